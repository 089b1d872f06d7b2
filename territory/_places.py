"""Towns and key sites: which ones a settlement hands over, and where to put map markers.

The shipped ``geodata/places.geojson`` holds every town of 10,000 people or more (GeoNames,
CC BY 4.0, pre-war figures) in Crimea, Sevastopol, Donetsk, Luhansk, Zaporizhzhia,
Kherson, Kharkiv, Dnipropetrovsk, Mykolaiv and Sumy, the cities of 100,000 or more in the
rest of Ukraine (Kyiv, Odesa, Lviv and every regional capital among them), and two sites:
the Zaporizhzhia Nuclear Power Plant and the Kakhovka Dam. See ``geodata/PLACES.md``.

Anchors
-------
A town belongs to the region GeoNames files it under, but our region outlines are
simplified: Kherson city lies a few metres off its coastline, and Zhovti Vody falls just
over the line into Kirovohrad. So each place also has an *anchor*: its own point when that
lies inside its region's polygon, otherwise the nearest point about 100 m inside that
polygon. Spatial tests (:func:`places_within`) use anchors; maps draw the real point
(the geometry column).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import geopandas as gpd
import shapely
from shapely.ops import nearest_points

from territory._regions import region_code
from territory._regions import units as region_table
from territory.datafiles import read_shipped
from territory.errors import UnknownNameError
from territory.lookup import Lookup

__all__ = ["KINDS", "anchors", "local_name", "place", "places", "places_within"]


def local_name(name: object, name_uk: object, lang: str = "en") -> str:
    """A place's name in ``lang``: its Ukrainian name for ``"uk"`` where the file gives one.

    Examples
    --------
    >>> local_name("Kyiv", "Київ", "uk"), local_name("Kyiv", None, "uk"), local_name("Kyiv", "Київ")
    ('Київ', 'Kyiv', 'Kyiv')
    """
    return str(name_uk) if lang == "uk" and isinstance(name_uk, str) else str(name)


#: The kinds of place in the file: towns (with a population) and sites (none).
KINDS = ("town", "site")

# How far inside its region's polygon a point that lies outside it is moved, in degrees
# (about 100 m): far enough that the anchor is not on the boundary itself.
_ANCHOR_INSET = 0.001

_COLUMNS = [
    "name",
    "name_uk",
    "region",
    "kind",
    "population",
    "population_year",
    "population_source",
    "geonameid",
    "anchor_lon",
    "anchor_lat",
    "geometry",
]


@functools.cache
def _load() -> tuple[gpd.GeoDataFrame, tuple[tuple[str, ...], ...]]:
    """The places with their anchors, and each place's other spellings (same order)."""
    frame = read_shipped("geodata", "places.geojson")
    frame["population"] = frame["population"].astype("int64")
    for column in ("population_year", "geonameid"):
        frame[column] = frame[column].astype("Int64")
    frame["name_uk"] = frame["name_uk"].astype(object).where(frame["name_uk"].notna(), None)
    anchor = _anchor_points(frame)
    frame["anchor_lon"] = shapely.get_x(anchor).round(5)
    frame["anchor_lat"] = shapely.get_y(anchor).round(5)
    aliases = tuple(tuple(names) for names in frame["aliases"])
    return frame[_COLUMNS], aliases


def _anchor_points(frame: gpd.GeoDataFrame) -> list[shapely.Point]:
    outlines = region_table().set_index("iso").geometry
    shapes = outlines.loc[frame["region"].tolist()].to_numpy()
    points = frame.geometry.to_numpy()
    inside = shapely.contains(shapes, points)  # all of them at once, as arrays
    anchor = points.tolist()
    for i in (~inside).nonzero()[0].tolist():
        inner = shapes[i].buffer(-_ANCHOR_INSET)
        anchor[i] = nearest_points(inner, points[i])[0]
    return anchor


@functools.cache
def _lookup() -> Lookup[int]:
    """Names -> row positions, in tiers of precedence: the names we give (English and
    Ukrainian), GeoNames' own name, then other spellings GeoNames knows."""
    frame, aliases = _load()
    tiers: tuple[list[tuple[str, int]], ...] = ([], [], [])
    for position, row in enumerate(frame.itertuples()):
        geonames_name, *others = aliases[position]
        spellings = (
            [row.name, row.name_uk] if row.name_uk else [row.name],
            [geonames_name],
            others,
        )
        for tier, names in zip(tiers, spellings, strict=True):
            tier.extend((name, position) for name in names)
    return Lookup("place", tiers, label=_label)


def _label(position: int) -> str:
    row = _load()[0].iloc[position]
    return f"{row['name']} ({row['region']})"


def _region_codes(regions: str | Iterable[str] | None) -> list[str] | None:
    if regions is None:
        return None
    if isinstance(regions, str):
        regions = [regions]
    return [region_code(name) for name in regions]


def _check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The kinds asked for, each found by the forgiving lookup (``"Towns"`` is ``town``)."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    lookup = Lookup("place kind", [[(k, k) for k in KINDS] + [(f"{k}s", k) for k in KINDS]])
    return tuple(lookup.find(kind) for kind in kinds)


def places(
    regions: str | Iterable[str] | None = None,
    *,
    min_population: int = 0,
    kinds: str | Iterable[str] = KINDS,
) -> gpd.GeoDataFrame:
    """Towns and key sites, optionally only those of some regions.

    Parameters
    ----------
    regions : str or list of str, optional
        Regions by any name :func:`territory.region_code` understands; all when omitted.
    min_population : int
        Leave out towns smaller than this. Sites have no population and are kept.
    kinds : str or tuple of str
        ``"town"``, ``"site"`` or both (the default).

    Returns
    -------
    GeoDataFrame
        In EPSG:4326, sorted by region then population (largest first), with columns
        ``name`` (English), ``name_uk`` (Ukrainian, may be None), ``region`` (ISO 3166-2),
        ``kind``, ``population`` (pre-war; 0 for sites), ``population_year`` (<NA> for
        GeoNames figures, whose year GeoNames does not give), ``population_source``
        (``"geonames"``, ``"ukrstat-2022"`` or ``"none"``), ``geonameid`` (<NA> for sites),
        ``anchor_lon`` and ``anchor_lat`` (see :func:`anchors`) and the real point as
        geometry.

    Examples
    --------
    >>> everything = places()
    >>> everything.crs.to_epsg(), bool((everything["kind"] == "site").sum() == 2)
    (4326, True)
    >>> places("Kherson", kinds="town")[["name", "population"]].values[0].tolist()
    ['Kherson', 279131]
    >>> places(["Luhansk", "UA-14"], min_population=300_000)["name"].tolist()
    ['Luhansk', 'Donetsk', 'Mariupol', 'Makiivka']
    """
    frame, _ = _load()
    kinds = _check_kinds(kinds)
    keep = frame["kind"].isin(kinds)
    keep &= (frame["kind"] == "site") | (frame["population"] >= min_population)
    codes = _region_codes(regions)
    if codes is not None:
        keep &= frame["region"].isin(codes)
    return frame[keep].reset_index(drop=True)


def anchors(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The points used for spatial tests: inside each place's region polygon.

    A place whose real point lies outside its region's (simplified) polygon is anchored at
    the nearest point about 100 m inside it; any other place is anchored at itself.

    Examples
    --------
    >>> kherson = place("Kherson")
    >>> real, anchor = kherson.geometry.iloc[0], anchors(kherson).iloc[0]
    >>> bool(real == anchor), round(real.distance(anchor) * 111_000) < 500
    (False, True)
    """
    points = shapely.points(frame["anchor_lon"].to_numpy(), frame["anchor_lat"].to_numpy())
    return gpd.GeoSeries(points, index=frame.index, crs=4326)


def place(name: str, region: str | None = None) -> gpd.GeoDataFrame:
    """A place found by name: English, Ukrainian or a common other spelling.

    Case, accents, apostrophes and hyphens do not matter. Usually one row; several when
    places share a name (there are two Kostiantynivkas): pass ``region`` to choose.

    Raises
    ------
    UnknownNameError
        When nothing matches; the message names the closest matches.

    Examples
    --------
    >>> place("kherson")[["name", "region", "population"]].values.tolist()
    [['Kherson', 'UA-65', 279131]]
    >>> place("Severodonetsk")["name"].item(), place("Бахмут")["name"].item()
    ('Sievierodonetsk', 'Bakhmut')
    >>> place("Kostiantynivka")["region"].tolist()
    ['UA-14', 'UA-23']
    >>> place("Kostiantynivka", region="Zaporizhzhia")["region"].item()
    'UA-23'
    >>> place("Khersn")
    Traceback (most recent call last):
    ...
    territory.errors.UnknownNameError: unknown place 'Khersn'; did you mean 'Kherson (UA-65)'?
    """
    frame, _ = _load()
    lookup = _lookup()
    positions = lookup.all(name)
    found = frame.iloc[positions]
    if region is not None:
        found = found[found["region"] == region_code(region)]
    if found.empty:
        labels = [_label(p) for p in positions]
        raise UnknownNameError("place", name, labels or lookup.suggestions(name))
    return found.sort_values("population", ascending=False, kind="stable").reset_index(drop=True)


def places_within(
    geometry: shapely.Geometry,
    *,
    min_population: int = 0,
    kinds: str | Iterable[str] = KINDS,
) -> gpd.GeoDataFrame:
    """The places whose anchor lies in (or on the edge of) a geometry in EPSG:4326.

    Anchors, not the real points, are tested (see :func:`anchors`): Kherson city lies just
    off the simplified coastline, yet it counts as inside the Kherson region.

    Parameters
    ----------
    geometry : shapely geometry
        Typically a zone or a union of zones, in longitude and latitude.
    min_population, kinds
        As for :func:`places`.

    Examples
    --------
    >>> from territory import region
    >>> kherson = region("Kherson").geometry.iloc[0]
    >>> places_within(kherson, min_population=40_000, kinds="town")["name"].tolist()
    ['Kherson', 'Nova Kakhovka']
    >>> places_within(shapely.box(34.5, 47.4, 34.7, 47.6))["name"].tolist()
    ['Enerhodar', 'Zaporizhzhia Nuclear Power Plant']
    """
    frame = places(min_population=min_population, kinds=kinds)
    inside = shapely.intersects(geometry, anchors(frame).values)
    return frame[inside].reset_index(drop=True)
