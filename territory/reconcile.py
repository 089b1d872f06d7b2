"""Fit a foreign front line to our outlines of Ukraine's coast and state border.

Every source draws Russian-held ground on its own coastline and border. Clipped to ours,
the differences leave Ukrainian-held "ground" where nobody is: slivers between their coast
and ours, pockets behind the front, a line of contact along the sea. :func:`reconcile`
gives such artefacts to the side that surrounds them, by two rules:

1. **Pockets.** A Ukrainian-held piece cut off from the Ukrainian-held mainland (the
   largest piece) that borders held ground goes to the side around it when it touches our
   coast or state border, or when it is smaller than ``pocket_km2``. A larger enclave
   inside the front stays Ukrainian: a source draws that on purpose. An island that
   borders no held ground (Zmiinyi) stays too.
2. **Slivers.** A Ukrainian-held strip narrower than ``sliver_km`` that lies between held
   ground and our coast or border goes to the side beside it, though it still joins the
   mainland at one end (a coast drawn 1-3 km inland runs on to the front's end at the sea).
   Found by a morphological opening in metres; the cost is at most a fraction of a km²
   where the front meets the border at a sharp angle.

The reassigned ground is returned so that it can be recorded and reported per region.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pyproj
import shapely

from territory.geodesy import area_km2, areas_km2
from territory.geometry import grown, polygonal, without

__all__ = ["POCKET_KM2", "SLIVER_KM", "Reconciled", "borders_more", "reconcile"]

#: Cut-off pockets smaller than this (km²) are artefacts wherever they are: gaps between a
#: source's own polygons, specks left by clipping. Larger enclaves that touch neither our
#: coast nor our border are kept as drawn.
POCKET_KM2 = 2.0
#: Strips between held ground and our outline narrower than this (km) are artefacts. Coasts
#: and borders of public sources differ from Natural Earth's by up to about 3 km.
SLIVER_KM = 4.0

# An equal-area azimuthal projection centred on Ukraine: distances within it are within
# about 1% of the true ones, plenty for a width test.
_METRIC = pyproj.CRS.from_proj4("+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m")
_TOUCH_DEG = 1e-7  # "touching", in degrees: float noise of shared edges
_SIDE_M = 50.0  # how far into its neighbours a piece looks to see who surrounds it
_HAIRLINE_M = 2.0
_OPEN_SHARE = 0.25  # a sliver's rim is at most this much open to Ukrainian-held ground
# Densify to about 1 km before projecting: the projection bends long edges.
_STEP_DEG = 0.01
_STEP_M = 1000.0


@dataclasses.dataclass(frozen=True)
class Reconciled:
    """Held ground after reconciliation, and what was added to it."""

    russia: shapely.Geometry
    contested: shapely.Geometry
    #: The Ukrainian-held artefacts given to Russia or to the grey zone.
    reassigned: shapely.Geometry


@functools.cache
def _transformers() -> tuple[pyproj.Transformer, pyproj.Transformer]:
    forward = pyproj.Transformer.from_crs(4326, _METRIC, always_xy=True)
    back = pyproj.Transformer.from_crs(_METRIC, 4326, always_xy=True)
    return forward, back


def _to_metres(geometry: shapely.Geometry) -> shapely.Geometry:
    return _project(geometry, _transformers()[0], _STEP_DEG)


def _to_degrees(geometry: shapely.Geometry) -> shapely.Geometry:
    return _project(geometry, _transformers()[1], _STEP_M)


def _project(
    geometry: shapely.Geometry, transformer: pyproj.Transformer, step: float
) -> shapely.Geometry:
    """The geometry in the other CRS, densified first so that straight edges stay straight."""
    geometry = shapely.segmentize(geometry, step)
    moved = shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    # Reprojection can nudge near-touching rings into each other: repair, keep the polygons.
    if shapely.get_dimensions(moved) == 2 and not shapely.is_valid(moved):
        moved = polygonal(shapely.make_valid(moved))
    return moved


def reconcile(
    russia: shapely.Geometry,
    contested: shapely.Geometry,
    border: shapely.Geometry,
    *,
    pocket_km2: float = POCKET_KM2,
    sliver_km: float = SLIVER_KM,
) -> Reconciled:
    """Give the artefacts of a foreign outline to the side that surrounds them.

    Parameters
    ----------
    russia, contested : shapely geometry
        Held ground, lon/lat, already clipped to ``border``.
    border : shapely geometry
        Our outline of Ukraine.
    pocket_km2 : float
        Cut-off Ukrainian-held pieces smaller than this go to the side around them.
    sliver_km : float
        Strips narrower than this between held ground and the outline go to the side beside
        them. 0 turns the rule off.

    Examples
    --------
    A held box drawn 2 km short of a straight "coast" leaves a strip that joins the rest
    at its ends; the strip goes to the held side:

    >>> import shapely
    >>> land = shapely.box(30.0, 46.0, 32.0, 48.0)
    >>> held = shapely.box(30.5, 46.02, 31.5, 47.0)  # the coast is y = 46.0
    >>> out = reconcile(held, shapely.Polygon(), land)
    >>> round(out.russia.bounds[1], 6)
    46.0
    >>> round(area_km2(out.reassigned))
    173
    """
    return _reconcile(russia, contested, border, pocket_km2, sliver_km)[0]


@dataclasses.dataclass(frozen=True)
class Trace:
    """What :func:`reconcile` looked at, so that a series can tell whether the next date's
    map changed anything it depends on (see :mod:`territory.series`).

    Reconciliation reads held ground only through the Ukrainian-held pieces cut off from
    the mainland (before and after the slivers are taken out) and within ``reach`` of our
    outline: a change farther than that from all of them leaves its result as it was.
    """

    #: The Ukrainian-held pieces cut off from the mainland, first and second pass.
    cut_off: np.ndarray
    cut_off_after: np.ndarray
    #: The pockets and slivers of the first pass: the mainland less these is the second
    #: pass's Ukrainian-held ground.
    removed: shapely.Geometry
    #: Where slivers can lie (lon/lat): the band that the sliver test reads held ground in.
    reach: shapely.Geometry
    #: The artefacts found, all of them and as given to each side.
    reassigned: shapely.Geometry
    to_russia: shapely.Geometry
    to_grey: shapely.Geometry


def _reconcile(
    russia: shapely.Geometry,
    contested: shapely.Geometry,
    border: shapely.Geometry,
    pocket_km2: float = POCKET_KM2,
    sliver_km: float = SLIVER_KM,
) -> tuple[Reconciled, Trace | None]:
    """:func:`reconcile`, and its :class:`Trace` (None when nothing is held)."""
    held = shapely.union(russia, contested)
    if held.is_empty:
        return Reconciled(russia, contested, shapely.Polygon()), None
    outline = shapely.boundary(border)
    ukrainian = polygonal(shapely.difference(border, held))
    pockets, cut_off = _pockets(ukrainian, [held], outline, pocket_km2)
    ukrainian = without(ukrainian, pockets)
    slivers = shapely.Polygon()
    cut_off_after = np.empty(0, dtype=object)
    removed, reach = pockets, shapely.Polygon()
    if sliver_km > 0:
        reach = _outline_in_metres(shapely.to_wkb(outline), 2 * sliver_km * 1000)[2]
        slivers = _slivers(ukrainian, held, outline, sliver_km)
        ukrainian = without(ukrainian, slivers)
        # A bay or a headland widens a sliver beyond the limit in places: once the narrow
        # parts are gone, those wider parts are cut off, and are pockets like any other.
        more, cut_off_after = _pockets(ukrainian, [held, pockets, slivers], outline, pocket_km2)
        removed = polygonal(shapely.union(pockets, slivers))
        pockets = polygonal(shapely.union(pockets, more))
    reassigned = polygonal(shapely.union(pockets, slivers))
    to_russia, to_grey = reassigned, shapely.Polygon()
    if not reassigned.is_empty:
        parts = shapely.get_parts(reassigned)
        grey_parts = parts[borders_more(parts, contested, russia)]
        if len(grey_parts):
            to_grey = shapely.union_all(grey_parts)
            to_russia = polygonal(shapely.difference(reassigned, to_grey))
    trace = Trace(cut_off, cut_off_after, removed, reach, reassigned, to_russia, to_grey)
    return refit(russia, contested, trace), trace


def refit(russia: shapely.Geometry, contested: shapely.Geometry, trace: Trace) -> Reconciled:
    """Held ground with the artefacts that ``trace`` found given to their sides."""
    if trace.reassigned.is_empty:
        return Reconciled(russia, contested, trace.reassigned)
    return Reconciled(
        russia=polygonal(shapely.union(russia, trace.to_russia)),
        contested=polygonal(shapely.union(contested, trace.to_grey)),
        reassigned=trace.reassigned,
    )


def _pockets(
    ukrainian: shapely.Geometry,
    held: list[shapely.Geometry],
    outline: shapely.Geometry,
    pocket_km2: float,
) -> tuple[shapely.Geometry, np.ndarray]:
    """Parts of ``ukrainian`` cut off from its largest part that border any of ``held``
    (tested one by one rather than merged) and touch ``outline`` or are smaller than
    ``pocket_km2``; and all the parts cut off."""
    parts = shapely.get_parts(ukrainian)
    if len(parts) < 2:
        return shapely.Polygon(), np.empty(0, dtype=object)
    mainland, small = _mainland_and_small(parts, pocket_km2)
    borders_held = np.logical_or.reduce([_touching(parts, g) for g in held])
    on_outline = _touching(parts, outline)
    artefact = borders_held & (on_outline | small)
    artefact[mainland] = False
    chosen = parts[artefact]
    cut_off = np.delete(parts, mainland)
    return (shapely.union_all(chosen) if len(chosen) else shapely.Polygon()), cut_off


def _mainland_and_small(parts: np.ndarray, km2: float) -> tuple[int, np.ndarray]:
    """The index of the largest part, and which parts are smaller than ``km2``, by geodesic
    area. A planar estimate (within a few per cent at Ukraine's latitudes) settles most
    parts; only those near the limit, and the largest ones, are measured on the ellipsoid."""
    latitude = np.radians(shapely.get_y(shapely.centroid(parts)))
    rough = shapely.area(parts) * 111.2 * 111.32 * np.cos(latitude)
    small = rough < km2
    unsure = np.flatnonzero((rough > 0.8 * km2) & (rough < 1.25 * km2))
    if len(unsure):
        small[unsure] = areas_km2(parts[unsure]) < km2
    top = np.flatnonzero(rough >= 0.9 * rough.max())  # the mainland, and any near it
    mainland = int(top[np.argmax(areas_km2(parts[top]))])
    return mainland, small


def _slivers(
    ukrainian: shapely.Geometry,
    held: shapely.Geometry,
    outline: shapely.Geometry,
    sliver_km: float,
) -> shapely.Geometry:
    """Strips of ``ukrainian`` narrower than ``sliver_km`` between held ground and outline."""
    radius = sliver_km * 1000 / 2
    outline_m, outline_band, reach = _outline_in_metres(shapely.to_wkb(outline), 4 * radius)
    # Only where held ground comes near the outline can a sliver lie: work in that window,
    # which depends on held ground within twice its width of the outline, no further.
    held_m = _to_metres(polygonal(shapely.intersection(held, reach)))
    # A coarse buffer is enough for a window: its edge stays over 3.5 radii from held ground.
    window = shapely.intersection(grown(held_m, 4 * radius, quad_segs=2), outline_band)
    if window.is_empty:
        return shapely.Polygon()
    near = _to_metres(polygonal(shapely.intersection(ukrainian, reach)))
    local = polygonal(shapely.intersection(near, window))
    if local.is_empty:
        return shapely.Polygon()
    # Grown back a little more than it shrank, so that the round-off of the two buffers
    # leaves no hairlines along straight edges to be mistaken for slivers.
    opened = shapely.buffer(shapely.buffer(local, -radius), radius + _HAIRLINE_M)
    thin = shapely.get_parts(polygonal(shapely.difference(local, opened)))
    if not len(thin):
        return shapely.Polygon()
    touch = 1.0  # a metre: the edges are shared, up to projection noise
    shapely.prepare(held_m)
    chosen = thin[shapely.dwithin(thin, held_m, touch) & shapely.dwithin(thin, outline_m, touch)]
    if len(chosen):
        edges = shapely.union(shapely.boundary(held_m), outline_m)
        chosen = chosen[[_lies_between(piece, edges, touch) for piece in chosen]]
    if not len(chosen):
        return shapely.Polygon()
    # Back in lon/lat, cut the exact Ukrainian-held ground with a slightly grown mask, so
    # that the new edges coincide with the old ones and no hairline gap is left.
    mask = _to_degrees(grown(shapely.union_all(chosen), touch * 5))
    return polygonal(shapely.intersection(ukrainian, mask))


@functools.lru_cache(maxsize=4)
def _outline_in_metres(
    outline_wkb: bytes, width: float
) -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    """The outline in metres (prepared), the band ``width`` either side of it, and in lon/lat
    the band that reaches a little beyond twice that width: the same for every line read,
    so computed once."""
    outline_m = _to_metres(shapely.from_wkb(outline_wkb))
    shapely.prepare(outline_m)
    reach = _to_degrees(shapely.buffer(outline_m, 2.25 * width))
    return outline_m, shapely.buffer(outline_m, width), reach


def _lies_between(piece: shapely.Geometry, edges: shapely.Geometry, touch: float) -> bool:
    """True for a strip walled in by held ground and the outline along most of its rim.

    A strip between a coast drawn inland and ours is open only at its narrow ends. The
    corner that the opening also trims where the front meets the coast or border at an
    angle is open along its whole curved side: that ground is Ukrainian and stays so.
    """
    xmin, ymin, xmax, ymax = shapely.bounds(piece)
    near = shapely.clip_by_rect(edges, xmin - 10, ymin - 10, xmax + 10, ymax + 10)
    rim = shapely.boundary(piece)
    open_length = shapely.length(shapely.difference(rim, grown(near, touch)))
    return bool(open_length <= _OPEN_SHARE * shapely.length(rim))


def borders_more(
    pieces: np.ndarray, first: shapely.Geometry, second: shapely.Geometry
) -> np.ndarray:
    """For each piece, True when it borders more of ``first`` than of ``second``.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> left, right = shapely.box(0, 0, 1, 0.2), shapely.box(1.2, 0, 2, 1)
    >>> borders_more(np.array([shapely.box(1, 0, 1.2, 1)]), left, right).tolist()
    [False]
    """
    pieces = np.asarray(pieces)
    if first.is_empty or not len(pieces):
        return np.zeros(len(pieces), dtype=bool)
    near_first = _touching(pieces, first)
    near_second = _touching(pieces, second)
    more = near_first & ~near_second
    both = np.flatnonzero(near_first & near_second)
    if len(both):  # only pieces between the two need their rims measured
        rims = shapely.buffer([_to_metres(p) for p in pieces[both]], _SIDE_M)
        on_first = _rim_overlap(rims, pieces[both], first)
        on_second = _rim_overlap(rims, pieces[both], second)
        more[both] = on_first > on_second
    return more


def _touching(pieces: np.ndarray, geometry: shapely.Geometry) -> np.ndarray:
    """Which pieces touch ``geometry`` (within float noise). Pieces cut from it share its
    edges, so most intersect it outright; only the others need the slower distance test."""
    pieces = np.asarray(pieces)
    if geometry.is_empty or not len(pieces):
        return np.zeros(len(pieces), dtype=bool)
    shapely.prepare(geometry)
    touching = np.asarray(shapely.intersects(pieces, geometry))
    rest = np.flatnonzero(~touching)
    if len(rest):
        touching[rest] = shapely.dwithin(pieces[rest], geometry, _TOUCH_DEG)
    return touching


def _rim_overlap(rims: np.ndarray, pieces: np.ndarray, geometry: shapely.Geometry) -> np.ndarray:
    """Area of each rim over ``geometry``, cutting ``geometry`` to the pieces' extent first."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(pieces)
    pad = 0.01  # degrees: about a kilometre, well past a 50 m rim
    near = shapely.intersection(
        geometry, shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    )
    return np.asarray(shapely.area(shapely.intersection(rims, _to_metres(near))))


def reassigned_by_region(reassigned: shapely.Geometry, units: dict[str, shapely.Geometry]) -> dict:
    """km² of reassigned ground in each unit that has any, largest first."""
    if reassigned.is_empty:
        return {}
    found = {}
    for iso, unit in units.items():
        if shapely.intersects(unit, reassigned):
            km2 = area_km2(polygonal(shapely.intersection(unit, reassigned)))
            if km2 >= 0.005:
                found[iso] = round(km2, 2)
    return dict(sorted(found.items(), key=lambda item: -item[1]))
