"""Control snapshots: the territory Russia held inside Ukraine on a date.

A :class:`Snapshot` is a date, a name, a note of its source and a GeoDataFrame of
non-overlapping polygons clipped to Ukraine, each tagged with ``control`` (``russia`` or
``contested``) and, for Russian-held parts, ``held_since`` (``2014`` or ``2022``). The line
of contact is derived from the polygons (:func:`line_of_contact`), never stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory._regions import ukraine
from territory._regions import units as unit_table
from territory.datafiles import read_shipped, shipped
from territory.errors import UnknownNameError
from territory.geodesy import WGS84, area_km2, areas_km2, rough_km2
from territory.geometry import MANY_PARTS, Repeats, gathered, polygonal, union_of, without
from territory.measure import km2_by_region, unit_km2, unit_shares
from territory.reconcile import (
    _TOUCH_DEG,
    Trace,
    borders_more,
    find_artefacts,
    refit,
)

__all__ = [
    "PRE_INVASION",
    "SHIPPED_SNAPSHOTS",
    "Snapshot",
    "line_of_contact",
    "make_snapshot",
    "shipped_snapshot",
    "snapshots",
]

#: Built snapshot files shipped in ``geodata/snapshots/``, by date.
SHIPPED_SNAPSHOTS = ("2022-02-23", "2025-08-08")
#: The line before the full-scale invasion: the source of ``held_since = 2014`` tags.
PRE_INVASION = "2022-02-23"

COLUMNS = ["control", "held_since", "geometry"]
# Parts smaller than this (km²) are clipping slivers, not territory.
_SLIVER_KM2 = 0.01
#: Ukrainian-held parts of a unit smaller than this (km²) that touch held ground are specks
#: of the cut along our outline, not ground (see ``Snapshot.by_region``).
SPECK_KM2 = 0.1


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """Who held what on a date.

    Attributes
    ----------
    date : datetime.date or None
        The date the data describes (None when a file does not say and none was given).
    name : str
        How the snapshot is referred to: its date for shipped ones, the file name otherwise.
    source : str
        Where the data came from.
    areas : GeoDataFrame
        EPSG:4326; columns ``control`` (``russia``/``contested``), ``held_since``
        (``2014``/``2022`` for Russian-held parts, empty otherwise) and geometry.
    reconciled_km2 : dict
        Ground the source drew as Ukrainian-held that was an artefact of its outlines
        (see :mod:`territory.reconcile`) and was given to the side around it: km² by unit.
    credit : str
        What maps and figures made from the snapshot must credit (fetched data), or empty.
    accuracy : str
        How close the line is to the ground, as its source states it (the shipped lines'
        measured accuracy), or empty when the source says nothing.
    uk : dict
        ``source`` and ``accuracy`` in Ukrainian, where the snapshot has them (the shipped
        lines do), for pages and figures in Ukrainian.
    """

    date: dt.date | None
    name: str
    source: str
    areas: gpd.GeoDataFrame = dataclasses.field(repr=False)
    reconciled_km2: dict[str, float] = dataclasses.field(default_factory=dict, repr=False)
    credit: str = ""
    accuracy: str = dataclasses.field(default="", repr=False)
    uk: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)

    def text(self, field: str, lang: str = "en") -> str:
        """``"source"`` or ``"accuracy"`` in ``lang`` where the snapshot has it, else as
        the source wrote it."""
        own = str(getattr(self, field))
        return (self.uk.get(field) or own) if lang == "uk" else own

    # cached_property writes to the instance __dict__, which a frozen dataclass allows.
    @functools.cached_property
    def russia(self) -> shapely.Geometry:
        """All Russian-held territory as one geometry."""
        held = self.areas[self.areas["control"] == "russia"].geometry
        return shapely.union_all(held.values)

    @functools.cached_property
    def contested(self) -> shapely.Geometry:
        """All contested (grey-zone) territory as one geometry."""
        grey = self.areas[self.areas["control"] == "contested"].geometry
        return shapely.union_all(grey.values)

    @functools.cached_property
    def contact(self) -> shapely.Geometry:
        """The line of contact as one (Multi)LineString: see :func:`line_of_contact`."""
        held = shapely.union(self.russia, self.contested)
        edge = shapely.boundary(held)
        # A metre or so of slack absorbs the float noise of clipping along the border.
        inside = shapely.difference(edge, _outline_band())
        return shapely.line_merge(inside) if not inside.is_empty else inside

    @functools.cached_property
    def by_region(self) -> gpd.GeoDataFrame:
        """The snapshot cut by Ukraine's units: one row per unit and status, with km².

        Columns ``region``, ``region_name``, ``control`` (``ukraine``, ``russia`` or
        ``contested``), ``held_since``, ``area_km2`` and geometry; the rows partition Ukraine.

        Examples
        --------
        >>> pieces = shipped_snapshot("2022-02-23").by_region
        >>> sorted(pieces.loc[pieces["region"] == "UA-14", "control"])
        ['russia', 'ukraine']
        """
        # Each overlay is kept for the next date (see Repeats): most units' ground is the
        # same from one date to the next (Crimea's Ukrainian-held specks cost 17 ms a date).
        units = unit_table()
        rows = []
        held = np.full(len(units), None, dtype=object)
        for area in self.areas.itertuples():
            since = area.held_since if area.control == "russia" else ""
            cut = _REPEATS.of(("cut", area.control, since), _cut_by_units, area.geometry)
            for index, piece in cut:
                held[index] = piece if held[index] is None else shapely.union(held[index], piece)
                rows.append((index, area.control, since, piece))
        for index, geom in enumerate(units.geometry.values):
            rest = (
                geom
                if held[index] is None
                else _REPEATS.of(("ukrainian", index), _ukrainian, geom, held[index])
            )
            if not rest.is_empty:
                rows.append((index, "ukraine", "", rest))
        rows.sort(key=lambda row: row[0])
        frame = gpd.GeoDataFrame(
            {
                "region": [units["iso"].iat[r[0]] for r in rows],
                "region_name": [units["name"].iat[r[0]] for r in rows],
                "control": [r[1] for r in rows],
                "held_since": [r[2] for r in rows],
            },
            geometry=[r[3] for r in rows],
            crs=4326,
        )
        frame["area_km2"] = [
            _REPEATS.of(("km2", index, control, since), area_km2, piece)
            for index, control, since, piece in rows
        ]
        return frame

    def without_pieces(self) -> Snapshot:
        """This snapshot with its pieces by region (:attr:`by_region`) let go, for it to
        cross to another process small; they are made again if ever asked for.

        Examples
        --------
        >>> snap = shipped_snapshot("2022-02-23")
        >>> len(snap.by_region) > 0, "by_region" in snap.without_pieces().__dict__
        (True, False)
        """
        self.__dict__.pop("by_region", None)  # a cached property
        return self

    def shares(self) -> pd.DataFrame:
        """Russian-held and contested km² and share of each of Ukraine's units: indexed by
        ``region`` (ISO 3166-2), with ``region_name``, ``area_km2``, ``russia_km2``,
        ``contested_km2``, ``russia_share`` and ``contested_share``.

        Measured as each date of :func:`~territory.series.shares_over_time` is (see
        :mod:`territory.measure`): a unit's area is its own geodesic area, never less than
        the ground held in it, so that a share never passes 1.

        Examples
        --------
        >>> table = shipped_snapshot("2022-02-23").shares()
        >>> float(round(table.loc["UA-43", "russia_share"], 3))
        1.0
        """
        return unit_shares(unit_km2(self.russia), unit_km2(self.contested))


#: The overlays of the last snapshot cut by units, for the next (see :attr:`by_region`).
_REPEATS = Repeats()


def _cut_by_units(geometry: shapely.Geometry) -> list[tuple[int, shapely.Geometry]]:
    """The polygonal pieces of ``geometry`` in each unit it meets: (unit's index, piece)."""
    unit_geoms = unit_table().geometry.values
    hits = shapely.intersects(unit_geoms, geometry)
    cut = shapely.intersection(unit_geoms[hits], geometry)
    pieces = [
        (index, polygonal(piece))
        for index, piece in zip(np.flatnonzero(hits).tolist(), cut, strict=True)
    ]
    return [(index, piece) for index, piece in pieces if not piece.is_empty]


def _ukrainian(unit: shapely.Geometry, held: shapely.Geometry) -> shapely.Geometry:
    """The Ukrainian-held part of a unit: the unit less its held ground, without the specks
    that cutting leaves where the held ground runs along the unit's edge (the coast, the
    state border, another unit): parts under ``SPECK_KM2`` that touch held ground. They are
    hairlines of a metre or less along our outline, which a map would draw as ground that
    changes hands; an island apart from held ground stays, whatever its size."""
    rest = polygonal(shapely.difference(unit, held))
    parts = _parts(rest)
    small = _small(parts, SPECK_KM2)
    if not small.any():
        return rest
    specks = np.flatnonzero(small)
    touching = specks[shapely.dwithin(parts[specks], held, _TOUCH_DEG)]
    if not len(touching):
        return rest
    kept = np.delete(parts, touching)
    return gathered(kept) if len(kept) else shapely.Polygon()


def _small(parts: np.ndarray, km2: float) -> np.ndarray:
    """Which parts are smaller than ``km2``: a planar estimate (within a few per cent)
    settles the large ones, the ellipsoid the rest."""
    small = np.zeros(len(parts), dtype=bool)
    if not len(parts):
        return small
    unsure = np.flatnonzero(rough_km2(parts) < 2 * km2)
    small[unsure] = areas_km2(parts[unsure]) < km2
    return small


def _parts(geometry: shapely.Geometry) -> np.ndarray:
    parts = shapely.get_parts(geometry)
    return parts[~shapely.is_empty(parts)]


def _parts_below(geometry: shapely.Geometry, km2: float) -> shapely.Geometry:
    parts = _parts(geometry)
    small = parts[_small(parts, km2)]
    return shapely.union_all(small) if len(small) else shapely.Polygon()


def _without_slivers(
    tagged_2014: shapely.Geometry, tagged_2022: shapely.Geometry
) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Russian-held ground split by tag, without the specks that splitting leaves.

    A speck of one tag beside the other joins it (it stays Russian-held, so no hole opens
    in the held area); a speck on its own is dropped.
    """
    specks = _parts_below(tagged_2014, _SLIVER_KM2)
    if not specks.is_empty:
        tagged_2014 = without(tagged_2014, specks)
        tagged_2022 = polygonal(shapely.union(tagged_2022, specks))
    specks = _parts_below(tagged_2022, _SLIVER_KM2)
    if not specks.is_empty:
        tagged_2022 = without(tagged_2022, specks)
        parts = shapely.get_parts(specks)
        beside = parts[shapely.dwithin(parts, tagged_2014, 1e-7)]
        if len(beside):
            tagged_2014 = polygonal(shapely.union(tagged_2014, shapely.union_all(beside)))
    return tagged_2014, tagged_2022


def _without_specks(geometry: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` without its parts smaller than ``_SLIVER_KM2``: dropped whole, with no
    overlay (the parts of a polygonal geometry never overlap)."""
    parts = _parts(geometry)
    small = _small(parts, _SLIVER_KM2)
    return geometry if not small.any() else gathered(parts[~small])


class _Drawn:
    """A frame's polygons as drawn: made valid, clipped to Ukraine, merged by status, specks
    dropped; Russian control wins where statuses overlap. Before any reconciliation."""

    def __init__(self, frame: gpd.GeoDataFrame) -> None:
        if frame.crs is None:
            frame = frame.set_crs(4326)
        elif frame.crs != 4326:
            frame = frame.to_crs(4326)
        index = frame.index
        self.control = frame["control"] if "control" in frame else pd.Series("russia", index=index)
        self.held_since = (
            frame["held_since"].fillna("").astype(str)
            if "held_since" in frame
            else pd.Series("", index=index)
        )
        self._geometries = shapely.make_valid(frame.geometry.values)
        self.russia = _without_specks(self.merged(self.control == "russia"))
        contested = self.merged(self.control == "contested")
        self.grey = _without_specks(polygonal(shapely.difference(contested, self.russia)))

    def merged(self, mask: pd.Series) -> shapely.Geometry:
        """The union of the chosen rows, clipped to Ukraine."""
        return _in_ukraine(union_of(self._geometries[mask.to_numpy()]))


def _in_ukraine(geometry: shapely.Geometry) -> shapely.Geometry:
    """Polygonal ``geometry`` clipped to Ukraine; of many parts, only those that cross the
    border are cut (the rest lie inside as they are)."""
    parts = shapely.get_parts(geometry)
    if len(parts) < MANY_PARTS:
        return polygonal(shapely.intersection(geometry, ukraine()))
    inside = shapely.contains_properly(_prepared_ukraine(), parts)
    cut = polygonal(shapely.intersection(shapely.multipolygons(parts[~inside]), ukraine()))
    return polygonal(shapely.geometrycollections([*parts[inside], cut]))


@functools.cache
def _prepared_ukraine() -> shapely.Geometry:
    border = shapely.from_wkb(shapely.to_wkb(ukraine()))  # a copy, prepared
    shapely.prepare(border)
    return border


def make_snapshot(
    frame: gpd.GeoDataFrame,
    *,
    date: dt.date | str | None,
    name: str,
    source: str,
    tag_2014_from: Snapshot | None = None,
    reconcile_outlines: bool = True,
    credit: str = "",
) -> Snapshot:
    """Normalise polygons of control into a :class:`Snapshot`.

    Polygons are made valid, clipped to Ukraine and merged per status. ``control`` defaults
    to ``russia``. Where statuses overlap, Russian control wins over contested. Then the
    artefacts of the source's own coast and border (Ukrainian-held slivers and pockets
    that no front line made) go to the side around them (:func:`~territory.reconcile.
    reconcile`), recorded in ``reconciled_km2``. Russian-held parts without a
    ``held_since`` tag are split: the part inside ``tag_2014_from``'s 2014 areas (by
    default the shipped pre-invasion snapshot) gets ``2014``, the rest ``2022``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> frame = gpd.GeoDataFrame(geometry=[shapely.box(37.0, 47.5, 38.0, 48.5)], crs=4326)
    >>> snap = make_snapshot(frame, date="2025-01-01", name="box", source="a test")
    >>> sorted(snap.areas["held_since"])
    ['2014', '2022']
    """
    as_drawn = _Drawn(frame)
    trace = (
        find_artefacts(as_drawn.russia, as_drawn.grey, ukraine()) if reconcile_outlines else None
    )
    return finished(
        as_drawn,
        trace,
        date=date,
        name=name,
        source=source,
        tag_2014_from=tag_2014_from,
        reconcile_outlines=reconcile_outlines,
        credit=credit,
    )


def finished(
    as_drawn: _Drawn,
    trace: Trace | None,
    *,
    date: dt.date | str | None,
    name: str,
    source: str,
    tag_2014_from: Snapshot | None = None,
    reconcile_outlines: bool = True,
    credit: str = "",
) -> Snapshot:
    """The snapshot of a map as drawn, once reconciling it found ``trace``: afresh
    (:func:`make_snapshot`) or from the date before's (:func:`territory.chain.snapshots`),
    the rest is the same."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    control, held_since, merged = as_drawn.control, as_drawn.held_since, as_drawn.merged
    russia, grey = as_drawn.russia, as_drawn.grey
    reconciled: dict[str, float] = {}
    reassigned = shapely.Polygon()
    if reconcile_outlines:
        fitted = refit(russia, grey, trace)
        # What was given to Russia: apart from the ground drawn, so no overlay is needed.
        reassigned = polygonal(shapely.difference(fitted.russia, russia))
        russia, grey = fitted.russia, fitted.contested
        # Most dates reassign the same artefacts as the date before (21 weeks in 29).
        reconciled = dict(_REPEATS.of("reassigned", km2_by_region, fitted.reassigned))
    drawn = without(russia, reassigned)
    tagged_2014 = merged((control == "russia") & (held_since == "2014"))
    tagged_2022 = merged((control == "russia") & (held_since == "2022"))
    untagged = shapely.difference(drawn, shapely.union(tagged_2014, tagged_2022))
    if not untagged.is_empty:
        reference = tag_2014_from if tag_2014_from is not None else _pre_invasion()
        before = reference.areas
        old = shapely.union_all(before[before["held_since"] == "2014"].geometry.values)
        tagged_2014 = shapely.union(tagged_2014, shapely.intersection(untagged, old))
    tagged_2014 = polygonal(shapely.intersection(tagged_2014, drawn))
    # Reassigned ground was never drawn: it takes the tag of the held ground around it.
    pieces = shapely.get_parts(reassigned)
    old_side = pieces[borders_more(pieces, tagged_2014, without(drawn, tagged_2014))]
    if len(old_side):
        tagged_2014 = polygonal(shapely.union(tagged_2014, shapely.union_all(old_side)))
    tagged_2022 = polygonal(shapely.difference(russia, tagged_2014))
    tagged_2014, tagged_2022 = _without_slivers(tagged_2014, tagged_2022)
    pieces = [
        ("russia", "2014", tagged_2014),
        ("russia", "2022", tagged_2022),
        ("contested", "", grey),
    ]
    rows = [(c, h, g) for c, h, g in pieces if not g.is_empty]
    areas = gpd.GeoDataFrame(rows, columns=COLUMNS, geometry="geometry", crs=4326)
    return Snapshot(
        date=date, name=name, source=source, areas=areas, reconciled_km2=reconciled, credit=credit
    )


@functools.cache
def _shipped(name: str) -> Snapshot:
    path = shipped("geodata", f"snapshots/{name}.geojson")
    meta = json.loads(path.read_text(encoding="utf-8")).get("snapshot", {})
    frame = read_shipped("geodata", f"snapshots/{name}.geojson")
    frame["held_since"] = frame["held_since"].fillna("").astype(str)
    return Snapshot(
        date=dt.date.fromisoformat(meta.get("date", name)),
        name=name,
        source=meta.get("source", f"territory shipped snapshot {name}"),
        areas=frame[COLUMNS],
        reconciled_km2=meta.get("reconciled_km2", {}),
        accuracy=meta.get("accuracy", ""),
        uk=dict(meta.get("uk", {})),
    )


def _pre_invasion() -> Snapshot:
    return _shipped(PRE_INVASION)


def snapshots() -> pd.DataFrame:
    """The shipped snapshots, oldest first; the last one is the default current line.

    Examples
    --------
    >>> snapshots()["name"].tolist()
    ['2022-02-23', '2025-08-08']
    """
    rows = []
    for name in SHIPPED_SNAPSHOTS:
        snap = _shipped(name)
        rows.append({"name": name, "date": snap.date, "source": snap.source})
    return pd.DataFrame(rows)


def shipped_snapshot(name: str | None = None) -> Snapshot:
    """A shipped snapshot by its date exactly; ``None``: the newest.

    What a reference names (a date however typed, ``latest``, a file, a source) is decided
    by :class:`territory.reference.LineRef`; :func:`territory.snapshot` takes any of them.

    Examples
    --------
    >>> shipped_snapshot().name
    '2025-08-08'
    >>> shipped_snapshot("2022-02-23").date
    datetime.date(2022, 2, 23)
    """
    if name is None:
        return _shipped(SHIPPED_SNAPSHOTS[-1])
    if name not in SHIPPED_SNAPSHOTS:
        raise UnknownNameError("snapshot", name, list(SHIPPED_SNAPSHOTS))
    return _shipped(name)


@functools.cache
def _outline_band() -> shapely.Geometry:
    """Ukraine's border and coast, a metre or so wide (prepared): the same for every line."""
    band = shapely.buffer(shapely.boundary(ukraine()), 2e-5)
    shapely.prepare(band)
    return band


def line_of_contact(snap: Snapshot) -> gpd.GeoDataFrame:
    """The line of contact: the boundary of the held area inside Ukraine.

    The state border and the coast are left out; what remains is where the two sides
    meet (including the edges of any contested ground).

    Returns
    -------
    GeoDataFrame
        One row, a (Multi)LineString in EPSG:4326, with its length in km.

    Examples
    --------
    >>> line = line_of_contact(shipped_snapshot("2022-02-23"))
    >>> line.geometry.iloc[0].geom_type in ("LineString", "MultiLineString")
    True
    """
    inside = snap.contact
    length_km = WGS84.geometry_length(inside) / 1000 if not inside.is_empty else 0.0
    return gpd.GeoDataFrame(
        {"snapshot": [snap.name], "length_km": [length_km]}, geometry=[inside], crs=4326
    )
