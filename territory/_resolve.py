"""Apply a scenario's rules to a snapshot: the zones that partition Ukraine.

Zones are the one product every later step reads (stats, diffs, maps, files). Their
columns are the zones contract (its words in :mod:`territory.vocabulary`): ``region``,
``region_name``, ``control_now``, ``held_since``, ``control_after``, ``change``,
``recognition``, ``demilitarised``, ``area_km2``, geometry, plus ``label`` (the name of a
sub-area rule, or empty) and ``scenario`` (the scenario's id).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from territory._places import place
from territory._regions import ukraine, unit_shapes
from territory._scenarios import Rule, Scenario, ScenarioError, SubArea, scenario
from territory._snapshots import Snapshot
from territory.geodesy import area_km2
from territory.geometry import Repeats, polygonal
from territory.importers import read_area, snapshot
from territory.vocabulary import change

__all__ = [
    "ZONE_COLUMNS",
    "band_along_line",
    "resolve",
    "resolve_each",
    "sub_area_geometry",
    "zones_of",
]

ZONE_COLUMNS = [
    "scenario",
    "region",
    "region_name",
    "control_now",
    "held_since",
    "control_after",
    "change",
    "recognition",
    "demilitarised",
    "label",
    "area_km2",
    "snapshot",
    "geometry",
]
# Pieces smaller than this (km²) are left by floating-point noise where layers meet.
_NOISE_KM2 = 1e-4


def _local_buffer(lon: float, lat: float, radius_km: float) -> shapely.Geometry:
    """A circle of ``radius_km`` around a point, drawn in an azimuthal equidistant projection."""
    local = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    to_lonlat = pyproj.Transformer.from_crs(local, 4326, always_xy=True)
    circle = shapely.Point(0, 0).buffer(radius_km * 1000, quad_segs=16)
    return shapely.transform(circle, lambda xy: np.column_stack(to_lonlat.transform(*xy.T)))


def _place_point(name: str) -> tuple[float, float]:

    found = place(name)
    point = found.geometry.iloc[0]
    return point.x, point.y


def band_along_line(
    snap: Snapshot, km: float, side: str = "both", near: shapely.Geometry | None = None
) -> shapely.Geometry:
    """The ground within ``km`` of the snapshot's line of contact, in EPSG:4326, on one side
    of it (``ukrainian``: Ukrainian-held; ``russian``: Russian-held or contested) or both,
    clipped to Ukraine; with ``near``, only as much of it as covers ``near`` (the same
    ground there, drawn from the stretch of line that can reach it: a region's band costs a
    fraction of the whole line's).

    Distances are measured in a conformal (Lambert) projection fitted to the line's span of
    latitude, whose scale differs from the ellipsoid's by under 0.1% over Ukraine's front:
    a band of 40 km is true to about 40 m.

    Examples
    --------
    >>> from territory import snapshot
    >>> both = area_km2(band_along_line(snapshot("2025-08-08"), 5))
    >>> one = area_km2(band_along_line(snapshot("2025-08-08"), 5, "ukrainian"))
    >>> 0.4 < one / both < 0.6
    True
    """

    line = snap.contact
    if line.is_empty:
        return shapely.Polygon()
    # Vertices a kilometre apart at most, so that the line bends in the projection as it
    # does on the ground (a long edge along a parallel would be drawn as its chord).
    line = shapely.segmentize(line, 0.01)
    fitted = tuple(round(edge * 4) / 4 for edge in line.bounds)
    there, back = _conformal(*fitted)
    if near is not None:
        line = _reaching(line, near, km)
        if line.is_empty:
            return shapely.Polygon()
    band = shapely.union_all(_buffered(_runs(line), km, fitted))
    # Short edges, so that straight lines in the projection stay true once back in lon/lat.
    band = shapely.segmentize(band, 2000)
    band = shapely.transform(band, lambda xy: np.column_stack(back.transform(*xy.T)))
    band = polygonal(shapely.intersection(shapely.make_valid(band), ukraine()))
    if side not in ("ukrainian", "russian"):
        return band
    held = shapely.union(snap.russia, snap.contested)
    if side == "ukrainian":
        return polygonal(shapely.difference(band, held))
    return polygonal(shapely.intersection(band, held))


#: Vertices in a run of the line buffered on its own, on average (see :func:`_runs`).
_RUN_VERTICES = 16


def _runs(line: shapely.Geometry) -> np.ndarray:
    """The line as short runs of its vertices, for the band to be the union of their buffers.

    GEOS buffers a jagged line of a thousand vertices by tens of kilometres slowly (0.15 s
    at 40 km for DeepState's line in Donetsk), its offset curves crossing one another
    hundreds of thousands of times; runs of 16 vertices take a sixth of that. The union is
    the same ground up to how GEOS draws it: a run's ends are round caps where the whole
    line has round joins, and GEOS leaves out of a line's offset curve the vertices that
    fall within a hundredth of the distance of their neighbours' chord, which a run's ends
    keep. Runs end at vertices picked by their coordinates alone (about one in
    ``_RUN_VERTICES``), so an edit to the line changes the runs only around it, and the
    band farther from it than its width stays the same ground.
    """
    runs = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        bits = np.ascontiguousarray(xy).view(np.uint64)
        mixed = (bits[:, 0] * np.uint64(0x9E3779B97F4A7C15)) ^ (
            bits[:, 1] * np.uint64(0xC2B2AE3D27D4EB4F)
        )
        ends = np.flatnonzero((mixed >> np.uint64(40)) % np.uint64(_RUN_VERTICES) == 0)
        cuts = [0, *ends[(ends > 0) & (ends < len(xy) - 1)].tolist(), len(xy) - 1]
        runs += [shapely.linestrings(xy[a : b + 1]) for a, b in itertools.pairwise(cuts)]
    return np.array(runs, dtype=object)


#: The buffers of the runs of the last line banded, by distance and projection: the next
#: date's line repeats most of its runs (see :func:`_runs`), whose buffers are not redrawn.
_LAST_RUNS: dict[tuple[float, tuple[float, ...]], dict[bytes, shapely.Geometry]] = {}


def _buffered(runs: np.ndarray, km: float, fitted: tuple[float, ...]) -> np.ndarray:
    """Each run (lon/lat) buffered by ``km`` in the conformal projection ``fitted``, in
    metres; a run the last line banded at this distance also had is taken as it was."""
    keys = shapely.to_wkb(runs)
    if len(_LAST_RUNS) > 32:  # lines of many spans, bands of many widths: bounded
        _LAST_RUNS.clear()
    last = _LAST_RUNS.get((km, fitted), {})
    out = np.array([last.get(key) for key in keys], dtype=object)
    new = np.flatnonzero([buffered is None for buffered in out])
    if len(new):
        there, _ = _conformal(*fitted)
        metres = shapely.transform(runs[new], lambda xy: np.column_stack(there.transform(*xy.T)))
        out[new] = shapely.buffer(metres, km * 1000, quad_segs=16)
    _LAST_RUNS[km, fitted] = dict(zip(keys, out, strict=True))
    return out


#: Degrees of longitude or latitude a kilometre can span over Ukraine (at most about 1/68
#: of a degree of longitude, at 52.4 N, its northern edge), rounded up.
_DEG_PER_KM = 1 / 60
#: Degrees kept clear of ``near`` beyond the band's reach when cutting the line to it.
_REACH_PAD_DEG = 0.05


def _reaching(line: shapely.Geometry, near: shapely.Geometry, km: float) -> shapely.Geometry:
    """The stretch of ``line`` (lon/lat) that comes within ``km`` of ``near``'s bounding box,
    with room to spare: a point of ``near`` within ``km`` of the line is within ``km`` of
    this stretch, and the round ends a cut leaves stay farther than ``km`` from ``near``."""
    reach = km * _DEG_PER_KM + _REACH_PAD_DEG
    xmin, ymin, xmax, ymax = near.bounds
    return shapely.clip_by_rect(line, xmin - reach, ymin - reach, xmax + reach, ymax + reach)


@functools.cache
def _conformal(
    west: float, south: float, east: float, north: float
) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    """To and from a Lambert conformal conic fitted to a span of latitude (its standard
    parallels a sixth of the span in from each edge). Bounds come rounded to a quarter
    degree, so that the lines of nearby dates share one projection, built once."""
    span = max(north - south, 0.5)
    # Written out as the pipelines PROJ makes of "EPSG:4326 to this LCC on WGS84" (lon/lat
    # order; parameters to 15 significant digits, as PROJ writes them), which it builds in
    # a few tenths of a millisecond instead of 15 looking up both ends in its database: the
    # same operations, the same numbers.
    lat_0, lon_0 = (south + north) / 2, (west + east) / 2
    lat_1, lat_2 = south + span / 6, north - span / 6
    lcc = (
        f"+proj=lcc +lat_0={lat_0:.15g} +lon_0={lon_0:.15g} +lat_1={lat_1:.15g} "
        f"+lat_2={lat_2:.15g} +x_0=0 +y_0=0 +ellps=WGS84"
    )
    there = pyproj.Transformer.from_pipeline(
        f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step {lcc}"
    )
    back = pyproj.Transformer.from_pipeline(
        f"+proj=pipeline +step +inv {lcc} +step +proj=unitconvert +xy_in=rad +xy_out=deg"
    )
    return there, back


def sub_area_geometry(area: SubArea, snap: Snapshot | None = None) -> shapely.Geometry:
    """The polygon a sub-area rule covers, in EPSG:4326 (a band along the line needs the
    snapshot whose line it follows).

    Examples
    --------
    >>> from territory._scenarios import SubArea
    >>> circle = sub_area_geometry(SubArea(around=(35.0, 47.8), radius_km=10))
    >>> round(area_km2(circle))
    314
    """
    if area.along_line_km is not None:
        if snap is None:
            raise ValueError("a band along the line of contact needs a snapshot")
        return band_along_line(snap, area.along_line_km, area.side)
    if area.file is not None:
        return _file_polygon(area.file, area.feature)
    assert area.around is not None and area.radius_km is not None
    lon, lat = area.around if isinstance(area.around, tuple) else _place_point(area.around)
    return _local_buffer(lon, lat, area.radius_km)


@functools.cache
def _file_polygon(path: Path, feature: str | None = None) -> shapely.Geometry:

    return read_area(path, feature)


#: A part of a unit under one rule: the rule, the part, and for the rest of the unit (what
#: no sub-area covers) the sub-areas drawn over it, else None.
_Layer = tuple[Rule, shapely.Geometry, shapely.Geometry | None]


def _after_layers(
    scen: Scenario,
    iso: str,
    unit: shapely.Geometry,
    shape_of: Callable[[SubArea, str], shapely.Geometry],
) -> list[_Layer]:
    """Disjoint parts of a unit with the rule that decides control there."""
    if not scen.sub_areas(iso):
        return [(scen.rule_for(iso), unit, None)]
    layers: list[_Layer] = []
    taken = shapely.Polygon()
    for rule in reversed(scen.sub_areas(iso)):  # later sub-areas are drawn over earlier ones
        assert rule.area is not None
        shape = shape_of(rule.area, iso)
        inside = polygonal(shapely.intersection(unit, shape))
        if rule.area.is_band:  # a band may miss some of its regions: the line moves
            if inside.is_empty:
                continue
        elif (overlap := area_km2(inside)) < 1 and overlap < 0.005 * max(
            min(area_km2(shape), area_km2(unit)), 1e-9
        ):
            # Under a km² and neither a real part of the sub-area nor of the unit: a polygon
            # drawn in the wrong place. (A shape over several units may cover all of a small
            # one, or a corner of a large one.)
            raise ScenarioError(
                f"{scen.file}: scenario {scen.id!r}: sub-area {rule.label or rule.area} lies "
                f"outside {iso}"
            )
        inside = polygonal(shapely.difference(inside, taken))
        taken = shapely.union(taken, inside)
        layers.append((rule, inside, None))
    layers.append((scen.rule_for(iso), polygonal(shapely.difference(unit, taken)), taken))
    return [layer for layer in layers if not layer[1].is_empty]


def _part(piece: shapely.Geometry, layer: _Layer) -> shapely.Geometry:
    """The part of a piece of the snapshot that lies in a layer.

    For the rest of the unit, the piece less the sub-areas: intersecting a piece with the
    rest, GEOS can give it a pocket the sub-areas cut off from the other side's ground (seen
    with a 0.5 km band along the line in Kharkiv: 36 km² counted twice).
    """
    _, ground, drawn_over = layer
    if drawn_over is not None:
        return polygonal(shapely.difference(piece, drawn_over))
    return polygonal(shapely.intersection(piece, ground))


def _after_control(
    rule: Rule, control_now: str, piece: shapely.Geometry, snap: Snapshot, slot: Hashable
) -> Iterator[tuple[str, shapely.Geometry, float | None]]:
    """(control_after, geometry, its km² or None where not measured yet) for one piece under
    one rule; ``slot``: where the piece's parts on another line are kept for the next date
    (see :class:`~territory.geometry.Repeats`)."""
    if rule.control == "keep":
        yield control_now, piece, None
    elif rule.control == "line":
        assert rule.line is not None
        same = rule.line.kind == "shipped" and rule.line.name == snap.name
        other = snap if same else snapshot(rule.line)
        for status, part, km2 in _REPEATS.of(slot, _held_on, piece, other.russia, other.contested):
            yield status, piece if part is None else part, km2
    else:
        yield rule.control, piece, None


def _held_on(
    piece: shapely.Geometry, russia: shapely.Geometry, contested: shapely.Geometry
) -> list[tuple[str, shapely.Geometry | None, float | None]]:
    """The parts of a piece Russian-held and contested on another line, and the rest
    Ukrainian-held, with their km²; the whole piece is None."""
    found: list[tuple[str, shapely.Geometry | None, float | None]] = []
    held = shapely.Polygon()
    for status, area in (("russia", russia), ("contested", contested)):
        if area.is_empty or not shapely.intersects(piece, area):
            continue
        part = polygonal(shapely.intersection(piece, area))
        held = shapely.union(held, part)
        if not part.is_empty:
            found.append((status, part, area_km2(part)))
    if held.is_empty:
        return [("ukraine", None, None)]
    rest = polygonal(shapely.difference(piece, held))
    if not rest.is_empty:
        found.append(("ukraine", rest, area_km2(rest)))
    return found


#: The parts of the last date's pieces on other lines, for the next date's (a unit's ground
#: is mostly the same from one date to the next).
_REPEATS = Repeats()


def _on_side(rule: Rule, control_now: str) -> bool:
    """Whether a rule's sub-area can hold ground of ``control_now``: a band on one side of
    the line holds that side's only."""
    if rule.area is None or not rule.area.is_band or rule.area.side == "both":
        return True
    return (control_now == "ukraine") == (rule.area.side == "ukrainian")


def _change(now: str, after: str) -> str:
    return change(now, after)


def resolve(scen: Scenario | str, snap: Snapshot | str | Path | None = None) -> gpd.GeoDataFrame:
    """The zones of a scenario applied to a snapshot (the newest shipped one by default).

    Returns
    -------
    GeoDataFrame
        One row per piece of constant status; the rows partition Ukraine. Columns:
        see ``ZONE_COLUMNS`` and :mod:`territory.vocabulary`.

    Examples
    --------
    >>> zones = resolve("us-russia-draft", "2025-08-08")
    >>> zones.groupby("region")["control_after"].unique()["UA-14"].tolist()
    ['russia']
    >>> bool(zones.query("region == 'UA-14'")["change"].eq("to_russia").any())
    True
    """
    scen = scenario(scen)
    snap = snapshot(snap)
    pieces = snap.by_region
    units = unit_shapes()
    layers_of: dict[str, list[_Layer]] = {}
    shapes: dict[tuple[SubArea, str], shapely.Geometry] = {}

    def shape_of(area: SubArea, iso: str) -> shapely.Geometry:  # each drawn once per call
        if area.is_band and area.side != "both":
            # One side of the line, cut from the unit's own pieces of that side: their
            # shared edges are the same vertices, so no sliver of the other side is left.
            if (area, iso) not in shapes:
                sides = ("ukraine",) if area.side == "ukrainian" else ("russia", "contested")
                mine = pieces[(pieces["region"] == iso) & pieces["control"].isin(sides)]
                both = shape_of(dataclasses.replace(area, side="both"), iso)
                cut = shapely.intersection(mine.geometry.values, both)
                shapes[area, iso] = polygonal(shapely.union_all(cut))
            return shapes[area, iso]
        if area.along_line_km is not None:
            # A band in one region is drawn only where it may cover that region; a band in
            # several, once along the whole line (each region takes its part).
            key = iso if _in_one_region(scen, area) else ""
            if (area, key) not in shapes:
                near = units[iso] if key else None
                shapes[area, key] = band_along_line(snap, area.along_line_km, "both", near)
            return shapes[area, key]
        if (area, "") not in shapes:
            shapes[area, ""] = sub_area_geometry(area, snap)
        return shapes[area, ""]

    rows = []
    for iso, name, control_now, held_since, area, geometry in zip(
        pieces["region"],
        pieces["region_name"],
        pieces["control"],
        pieces["held_since"],
        pieces["area_km2"],
        pieces.geometry.values,
        strict=True,
    ):
        if iso not in layers_of:
            layers_of[iso] = _after_layers(scen, iso, units[iso], shape_of)
        layers = layers_of[iso]
        whole_unit = len(layers) == 1  # no sub-areas: the one layer is the whole unit
        for position, layer in enumerate(layers):
            rule = layer[0]
            if not _on_side(rule, control_now):
                continue  # a one-sided band meets the other side's pieces only in slivers
            part = geometry if whole_unit else _part(geometry, layer)
            if part.is_empty:
                continue
            slot = (rule.line, iso, control_now, held_since, position)
            for control_after, geom, km2 in _after_control(rule, control_now, part, snap, slot):
                if km2 is None:  # not measured yet: the piece's own, or a part of it
                    km2 = area if geom is geometry else area_km2(geom)
                change = _change(control_now, control_after)
                rows.append(
                    (
                        scen.id,
                        iso,
                        name,
                        control_now,
                        held_since,
                        control_after,
                        change,
                        rule.recognition if control_after == "russia" else "none",
                        rule.demilitarises(change),
                        rule.label,
                        km2,
                        geom,
                    )
                )
    return _dissolved(rows, snap)


def _in_one_region(scen: Scenario, area: SubArea) -> bool:
    """Whether the rules with this sub-area name one region between them (not ``*``)."""
    named = {code for rule in scen.rules if rule.area == area for code in rule.regions}
    return len(named) == 1 and "*" not in named


def _dissolved(rows: list[tuple], snap: Snapshot) -> gpd.GeoDataFrame:
    """One row per distinct status in each region (pieces with the same status merged)."""
    groups: dict[tuple, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[:-2], []).append(row)
    merged = []
    for key in sorted(groups):
        group = groups[key]
        geometry = group[0][-1]
        if len(group) > 1:
            geometry = _union_of_pieces([r[-1] for r in group])
        merged.append((*key, sum(r[-2] for r in group), geometry))
    label = snap.date.isoformat() if snap.date else snap.name
    frame = pd.DataFrame([(*row[:-1], label, row[-1]) for row in merged], columns=ZONE_COLUMNS)
    frame = frame[frame["area_km2"] > _NOISE_KM2].reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def resolve_each(
    chosen: Iterable[Scenario | str | Path], snap: Snapshot
) -> list[tuple[Scenario, gpd.GeoDataFrame]]:
    """Each scenario (or its id, or its file) with its zones on ``snap``, in order.

    Examples
    --------
    >>> from territory import snapshot
    >>> [(s.id, len(zones) > 0) for s, zones in resolve_each(["freeze"], snapshot())]
    [('freeze', True)]
    """
    found = [item if isinstance(item, Scenario) else scenario(item) for item in chosen]
    return [(each, resolve(each, snap)) for each in found]


def _union_of_pieces(pieces: list[shapely.Geometry]) -> shapely.Geometry:
    """The union of pieces that tile their ground: a coverage union (fast), or a full union
    where overlaid sub-areas left the pieces' edges not quite matching."""
    try:
        return polygonal(shapely.coverage_union_all(pieces))
    except shapely.errors.GEOSException:
        return polygonal(shapely.union_all(pieces))


def zones_of(snap: Snapshot | str | Path | None = None) -> gpd.GeoDataFrame:
    """The zones of a snapshot itself: the status quo, nothing changed, nothing recognised.

    Examples
    --------
    >>> zones = zones_of("2022-02-23")
    >>> sorted(zones["change"].unique())
    ['none']
    """
    return resolve("status-quo", snap)
