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
from collections.abc import Callable

import numpy as np
import shapely

from territory.geodesy import areas_km2, rough_km2
from territory.geometry import MANY_PARTS, boxes_around, gathered, grown, polygonal, without
from territory.metric import to_degrees, to_metres

__all__ = [
    "NEAR_DEG",
    "POCKET_KM2",
    "SLIVER_KM",
    "Reconciled",
    "Trace",
    "borders_more",
    "find_artefacts",
    "reconcile",
    "refit",
]

#: Cut-off pockets smaller than this (km²) are artefacts wherever they are: gaps between a
#: source's own polygons, specks left by clipping. Larger enclaves that touch neither our
#: coast nor our border are kept as drawn.
POCKET_KM2 = 2.0
#: Strips between held ground and our outline narrower than this (km) are artefacts. Coasts
#: and borders of public sources differ from Natural Earth's by up to about 3 km.
SLIVER_KM = 4.0

_TOUCH_DEG = 1e-7  # "touching", in degrees: float noise of shared edges
_SIDE_M = 50.0  # how far into its neighbours a piece looks to see who surrounds it
_HAIRLINE_M = 2.0
_TOUCH_M = 1.0  # a metre: shared edges, up to projection noise
_OPEN_SHARE = 0.25  # a sliver's rim is at most this much open to Ukrainian-held ground


@dataclasses.dataclass(frozen=True)
class Reconciled:
    """Held ground after reconciliation, and what was added to it."""

    russia: shapely.Geometry
    contested: shapely.Geometry
    #: The Ukrainian-held artefacts given to Russia or to the grey zone.
    reassigned: shapely.Geometry


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
    >>> from territory.geodesy import area_km2
    >>> held = shapely.box(30.5, 46.02, 31.5, 47.0)  # the coast is y = 46.0
    >>> out = reconcile(held, shapely.Polygon(), land)
    >>> round(out.russia.bounds[1], 6)
    46.0
    >>> round(area_km2(out.reassigned))
    173
    """
    return refit(
        russia, contested, find_artefacts(russia, contested, border, pocket_km2, sliver_km)
    )


@dataclasses.dataclass(frozen=True)
class Trace:
    """What :func:`reconcile` found on the way, so that the next date of a series can
    reuse it where that date's map is the same (see :func:`find_artefacts`)."""

    #: Each cut-off Ukrainian-held piece's verdict (an artefact or not), by its normalised
    #: WKB: before the slivers are taken out, and after.
    first_pass: dict[bytes, bool]
    second_pass: dict[bytes, bool]
    #: Each reassigned piece's side (True: the grey zone), by its normalised WKB.
    grey: dict[bytes, bool]
    slivers: shapely.Geometry
    #: The artefacts found, all of them and as given to each side.
    reassigned: shapely.Geometry
    to_russia: shapely.Geometry
    to_grey: shapely.Geometry
    #: Where the result may differ from the date before's (lon/lat polygons, buffered);
    #: None when nothing was reused.
    touched: np.ndarray | None = None


#: How near (degrees: about 200-330 m) to a change a verdict is reached again rather than
#: reused: well beyond the 50 m rims and the float noise by which pieces judge neighbours.
NEAR_DEG = 0.003


def find_artefacts(
    russia: shapely.Geometry,
    contested: shapely.Geometry,
    border: shapely.Geometry,
    pocket_km2: float = POCKET_KM2,
    sliver_km: float = SLIVER_KM,
    before: tuple[Trace, np.ndarray] | None = None,
) -> Trace | None:
    """The artefacts of a foreign outline in held ground, and what decided them (None when
    nothing is held): :func:`refit` gives the held ground with them. Every snapshot is made
    this way, alone (``before`` None) or from the date before's; :func:`reconcile` is the
    two in one call.

    ``before`` is the trace of another map and the places (lon/lat polygons) where this
    map's held ground differs from that one's. Every verdict on a piece of ground farther
    than ``NEAR_DEG`` from all changes (and from the pieces whose verdict changed) is that
    map's, and the slivers are looked for again only in a window around the changes, so a
    date of a series costs a fraction of a fresh reconciliation, with the same result (up to
    float noise in the last digits).
    """
    held = _joined(russia, contested)
    if held.is_empty:
        return None
    outline = shapely.boundary(border)
    ukrainian = polygonal(shapely.difference(border, held))
    old, dirty = (None, None) if before is None else (before[0], _Dirty(before[1]))
    pockets, ukrainian, first_pass = _pockets(
        ukrainian, [held], outline, pocket_km2, None if old is None else old.first_pass, dirty
    )
    slivers, second_pass = shapely.Polygon(), dict[bytes, bool]()
    if sliver_km > 0:
        slivers = None
        if old is not None and dirty is not None:
            slivers = _slivers_again(ukrainian, held, outline, sliver_km, old.slivers, dirty)
        if slivers is None:
            slivers = _slivers(ukrainian, held, outline, sliver_km)
        ukrainian = without(ukrainian, slivers)
        # A bay or a headland widens a sliver beyond the limit in places: once the narrow
        # parts are gone, those wider parts are cut off, and are pockets like any other.
        more, _, second_pass = _pockets(
            ukrainian,
            [held, pockets, slivers],
            outline,
            pocket_km2,
            None if old is None else old.second_pass,
            dirty,
        )
        # Parts of different parts of the ground before: apart, so gathered, not merged.
        pockets_all = gathered(
            np.concatenate([shapely.get_parts(pockets), shapely.get_parts(more)])
        )
    else:
        pockets_all = pockets
    reassigned = _joined(pockets_all, slivers)
    to_russia, to_grey, grey = reassigned, shapely.Polygon(), {}
    if not reassigned.is_empty:
        parts = shapely.get_parts(reassigned)
        is_grey, keys = _verdicts(
            parts,
            None if old is None else old.grey,
            dirty,
            lambda i: borders_more(parts[i], contested, russia),
        )
        grey = dict(zip(keys, is_grey.tolist(), strict=True))
        if is_grey.any():
            to_grey = shapely.union_all(parts[is_grey])
            to_russia = polygonal(shapely.difference(reassigned, to_grey))
    return Trace(
        first_pass,
        second_pass,
        grey,
        slivers,
        reassigned,
        to_russia,
        to_grey,
        None if dirty is None else dirty.zones(),
    )


def _joined(first: shapely.Geometry, second: shapely.Geometry) -> shapely.Geometry:
    """The polygonal union of two polygonal geometries; either as it is when the other is
    empty (a source that draws no grey zone, a map without slivers), with no overlay."""
    if second.is_empty:
        return polygonal(first)
    if first.is_empty:
        return polygonal(second)
    return polygonal(shapely.union(first, second))


def refit(russia: shapely.Geometry, contested: shapely.Geometry, trace: Trace | None) -> Reconciled:
    """Held ground with the artefacts that reconciling it found given to their sides."""
    if trace is None or trace.reassigned.is_empty:
        return Reconciled(
            russia, contested, shapely.Polygon() if trace is None else trace.reassigned
        )
    return Reconciled(
        russia=polygonal(shapely.union(russia, trace.to_russia)),
        contested=polygonal(shapely.union(contested, trace.to_grey)),
        reassigned=trace.reassigned,
    )


class _Dirty:
    """Where a map differs from the one before: the places of change, buffered by
    ``NEAR_DEG``, growing as verdicts near them change."""

    def __init__(self, changed: np.ndarray) -> None:
        self._zones = [shapely.buffer(np.asarray(changed), NEAR_DEG, quad_segs=2)]
        self._tree: shapely.STRtree | None = None

    def add(self, pieces: np.ndarray) -> None:
        if len(pieces):
            self._zones.append(shapely.buffer(np.asarray(pieces), NEAR_DEG, quad_segs=2))
            self._tree = None

    def zones(self) -> np.ndarray:
        return np.concatenate(self._zones)

    def near(self, pieces: np.ndarray) -> np.ndarray:
        """Which pieces come within ``NEAR_DEG`` of a change."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.zones())
        hits = np.zeros(len(pieces), dtype=bool)
        if len(pieces):
            hits[np.unique(self._tree.query(pieces, predicate="intersects")[0])] = True
        return hits


def _keys(parts: np.ndarray) -> list[bytes]:
    return list(shapely.to_wkb(shapely.normalize(parts)))


def _verdicts(
    parts: np.ndarray,
    known: dict[bytes, bool] | None,
    dirty: _Dirty | None,
    judge: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, list[bytes]]:
    """``judge(indices)`` of the parts, and each part's key, taking the verdict of an
    earlier map for every part that map had too, far from every change; the parts judged
    anew join the changes."""
    keys = _keys(parts)
    if known is None or dirty is None:
        return np.asarray(judge(np.arange(len(parts))), dtype=bool), keys
    fresh = dirty.near(parts) | np.array([key not in known for key in keys], dtype=bool)
    verdict = np.array([known.get(key, False) for key in keys], dtype=bool)
    if fresh.any():
        verdict[fresh] = judge(np.flatnonzero(fresh))
        dirty.add(parts[fresh])
    return verdict, keys


def _pockets(
    ukrainian: shapely.Geometry,
    held: list[shapely.Geometry],
    outline: shapely.Geometry,
    pocket_km2: float,
    known: dict[bytes, bool] | None = None,
    dirty: _Dirty | None = None,
) -> tuple[shapely.Geometry, shapely.Geometry, dict[bytes, bool]]:
    """Parts of ``ukrainian`` cut off from its largest part that border any of ``held``
    (tested one by one rather than merged) and touch ``outline`` or are smaller than
    ``pocket_km2``; ``ukrainian`` without them; and the verdict on each part cut off, by
    its key. Whole parts are taken, so both are their parts gathered, with no overlay."""
    parts = shapely.get_parts(ukrainian)
    if len(parts) < 2:
        return shapely.Polygon(), ukrainian, {}
    mainland, small = _mainland_and_small(parts, pocket_km2)
    cut_off, small = np.delete(parts, mainland), np.delete(small, mainland)

    def artefacts(index: np.ndarray) -> np.ndarray:
        chosen = cut_off[index]
        borders_held = np.logical_or.reduce([_touching(chosen, g) for g in held])
        return borders_held & (_touching(chosen, outline) | small[index])

    artefact, keys = _verdicts(cut_off, known, dirty, artefacts)
    if not artefact.any():
        return shapely.Polygon(), ukrainian, dict(zip(keys, artefact.tolist(), strict=True))
    keep = np.ones(len(parts), dtype=bool)
    keep[np.delete(np.arange(len(parts)), mainland)[artefact]] = False
    return (
        gathered(cut_off[artefact]),
        gathered(parts[keep]),
        dict(zip(keys, artefact.tolist(), strict=True)),
    )


def _mainland_and_small(parts: np.ndarray, km2: float) -> tuple[int, np.ndarray]:
    """The index of the largest part, and which parts are smaller than ``km2``, by geodesic
    area. A planar estimate (within a few per cent at Ukraine's latitudes) settles most
    parts; only those near the limit, and the largest ones, are measured on the ellipsoid."""
    rough = rough_km2(parts)
    small = rough < km2
    unsure = np.flatnonzero((rough > 0.8 * km2) & (rough < 1.25 * km2))
    if len(unsure):
        small[unsure] = areas_km2(parts[unsure]) < km2
    top = np.flatnonzero(rough >= 0.9 * rough.max())  # the mainland, and any near it
    mainland = int(top[0] if len(top) == 1 else top[np.argmax(areas_km2(parts[top]))])
    return mainland, small


def _slivers(
    ukrainian: shapely.Geometry,
    held: shapely.Geometry,
    outline: shapely.Geometry,
    sliver_km: float,
) -> shapely.Geometry:
    """Strips of ``ukrainian`` narrower than ``sliver_km`` between held ground and outline."""
    _, chosen = _thin_pieces(ukrainian, held, outline, sliver_km * 1000 / 2)
    return _on_ground(ukrainian, chosen)


def _thin_pieces(
    ukrainian: shapely.Geometry,
    held: shapely.Geometry,
    outline: shapely.Geometry,
    radius: float,
    crop: shapely.Geometry | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """In metres: the parts of the ground where slivers are looked for (``local``), and the
    strips in it that are slivers; within ``crop`` (a lon/lat box) only, if given."""
    none = np.empty(0, dtype=object)
    outline_m, outline_band, reach = _outline_in_metres(shapely.to_wkb(outline), 4 * radius)
    if crop is not None:
        reach = shapely.intersection(reach, crop)
        outline_band = shapely.intersection(outline_band, to_metres(crop))
    # Only where held ground comes near the outline can a sliver lie: work in that window,
    # which depends on held ground within twice its width of the outline, no further.
    held_m = to_metres(polygonal(shapely.intersection(held, reach)))
    # A coarse buffer is enough for a window: its edge stays over 3.5 radii from held ground.
    window = shapely.intersection(grown(held_m, 4 * radius, quad_segs=2), outline_band)
    if window.is_empty:
        return none, none
    near = to_metres(polygonal(shapely.intersection(ukrainian, reach)))
    local = polygonal(shapely.intersection(near, window))
    if local.is_empty:
        return none, none
    # Grown back a little more than it shrank, so that the round-off of the two buffers
    # leaves no hairlines along straight edges to be mistaken for slivers.
    opened = shapely.buffer(_eroded(local, radius), radius + _HAIRLINE_M)
    thin = shapely.get_parts(polygonal(shapely.difference(local, opened)))
    if not len(thin):
        return shapely.get_parts(local), none
    shapely.prepare(held_m)
    chosen = thin[
        shapely.dwithin(held_m, thin, _TOUCH_M) & shapely.dwithin(outline_m, thin, _TOUCH_M)
    ]
    if len(chosen):
        edges = shapely.get_parts(shapely.union(shapely.boundary(held_m), outline_m))
        near = shapely.STRtree(edges)
        chosen = chosen[[_lies_between(piece, edges, near, _TOUCH_M) for piece in chosen]]
    return shapely.get_parts(local), chosen


def _eroded(local: shapely.Geometry, radius: float) -> shapely.Geometry:
    """``local`` shrunk by ``radius`` (metres). Ground pierced by many holes (thousands of
    held islands) is shrunk as its outer rings shrunk less its holes grown, which is the
    same ground, in a fraction of the memory that GEOS takes to buffer it whole."""
    parts = shapely.get_parts(local)
    if shapely.get_num_interior_rings(parts).sum() < MANY_PARTS:
        return shapely.buffer(local, -radius)
    shells = shapely.buffer(shapely.polygons(shapely.get_exterior_ring(parts)), -radius)
    rings, owner = shapely.get_rings(parts, return_index=True)
    holes = shapely.polygons(rings[np.r_[False, owner[1:] == owner[:-1]]])
    inside = polygonal(shapely.geometrycollections(list(shells)))
    return polygonal(shapely.difference(inside, grown(holes, radius)))


def _on_ground(ukrainian: shapely.Geometry, chosen: np.ndarray) -> shapely.Geometry:
    """The Ukrainian-held ground under the chosen strips (metres)."""
    if not len(chosen):
        return shapely.Polygon()
    # Back in lon/lat, cut the exact Ukrainian-held ground with a slightly grown mask, so
    # that the new edges coincide with the old ones and no hairline gap is left.
    mask = to_degrees(grown(shapely.union_all(chosen), _TOUCH_M * 5))
    rings = shapely.get_num_interior_rings(shapely.get_parts(ukrainian)).sum()
    if rings < MANY_PARTS:
        return polygonal(shapely.intersection(ukrainian, mask))
    # Ground pierced by thousands of holes: cut first to boxes around groups of the mask.
    groups = boxes_around(shapely.get_parts(mask), 0.01)  # degrees
    pieces = [
        shapely.intersection(shapely.intersection(ukrainian, group), mask) for group in groups
    ]
    return polygonal(shapely.geometrycollections(pieces))


def _slivers_again(
    ukrainian: shapely.Geometry,
    held: shapely.Geometry,
    outline: shapely.Geometry,
    sliver_km: float,
    before: shapely.Geometry,
    dirty: _Dirty,
) -> shapely.Geometry | None:
    """The slivers of a map that differs from the one whose slivers were ``before`` only
    at ``dirty``: those of the earlier map, looked for again around the changes. None when
    the ground they lie in reaches too far to be looked at in a window.

    Slivers are strips of the ground near both held ground and the outline (``local``):
    every part of that ground that a change comes near is looked at again whole, in a
    window wide enough that its edge comes nowhere near that part; the slivers of every
    other part are as they were.
    """
    radius = sliver_km * 1000 / 2
    reach = _outline_in_metres(shapely.to_wkb(outline), 4 * radius)[2]
    zones = dirty.zones()
    # Slivers read held and Ukrainian-held ground within `reach` only.
    zones = zones[shapely.intersects(reach, zones)]
    if not len(zones):
        return before
    # `local` can differ as far as the window's reach (4 radii) from a change; changes far
    # apart (two fronts) are looked at in windows of their own.
    changed = shapely.get_parts(
        grown(to_metres(shapely.union_all(zones)), 4 * radius + 10 * _TOUCH_M, 2)
    )
    groups = boxes_around(changed, 10 * radius)
    redo, chosen = [], []
    for group in groups:
        here = shapely.union_all(changed[shapely.intersects(group, changed)])
        found = _window_pass(ukrainian, held, outline, radius, here)
        if found is None:
            return None
        redo.append(found[0])
        chosen.append(found[1])
    again = _on_ground(ukrainian, np.concatenate(chosen))
    region = to_degrees(shapely.union_all([*np.concatenate(redo), *changed]))
    old = shapely.get_parts(before)
    old = old[~shapely.is_empty(old)]
    dropped = shapely.intersects(region, old) if len(old) else np.zeros(0, dtype=bool)
    dirty.add(old[dropped])
    dirty.add(shapely.get_parts(again))
    return polygonal(shapely.union_all([*old[~dropped], again]))


def _window_pass(
    ukrainian: shapely.Geometry,
    held: shapely.Geometry,
    outline: shapely.Geometry,
    radius: float,
    changed: shapely.Geometry,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The parts of the sliver ground that ``changed`` (metres) meets, and the slivers in
    them, looked for in a window around it; None when they reach too far for a window."""
    for pad in (10 * radius, 40 * radius):
        xmin, ymin, xmax, ymax = shapely.bounds(changed)
        crop = shapely.envelope(
            to_degrees(shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad))
        )
        local, chosen = _thin_pieces(ukrainian, held, outline, radius, crop)
        redo = local[shapely.intersects(local, changed)]
        # Exact within 4 radii of the crop's edge (the window's reach), so the parts
        # looked at again must keep 6 away (a sliver is judged by its rim, 2 more).
        edge = pad - 6 * radius
        inner = shapely.box(xmin - edge, ymin - edge, xmax + edge, ymax + edge)
        if shapely.within(redo, inner).all():
            break
    else:
        return None
    if len(redo) and len(chosen):
        tree = shapely.STRtree(redo)
        return redo, chosen[np.unique(tree.query(chosen, predicate="intersects")[0])]
    return redo, chosen[:0]


@functools.lru_cache(maxsize=4)
def _outline_in_metres(
    outline_wkb: bytes, width: float
) -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    """The outline in metres (prepared), the band ``width`` either side of it, and in lon/lat
    the band that reaches a little beyond twice that width: the same for every line read,
    so computed once."""
    outline_m = to_metres(shapely.from_wkb(outline_wkb))
    shapely.prepare(outline_m)
    reach = to_degrees(shapely.buffer(outline_m, 2.25 * width))
    return outline_m, shapely.buffer(outline_m, width), reach


def _lies_between(
    piece: shapely.Geometry, edges: np.ndarray, tree: shapely.STRtree, touch: float
) -> bool:
    """True for a strip walled in by held ground and the outline along most of its rim.

    A strip between a coast drawn inland and ours is open only at its narrow ends. The
    corner that the opening also trims where the front meets the coast or border at an
    angle is open along its whole curved side: that ground is Ukrainian and stays so.
    ``edges`` are the lines of held ground and outline, ``tree`` their index: only those
    near the strip are cut to its surroundings (the same lines as cutting them all).
    """
    xmin, ymin, xmax, ymax = shapely.bounds(piece)
    around = (xmin - 10, ymin - 10, xmax + 10, ymax + 10)
    found = np.sort(tree.query(shapely.box(*around)))
    near = shapely.get_parts(shapely.clip_by_rect(shapely.multilinestrings(edges[found]), *around))
    rim = shapely.boundary(piece)
    # Only lines within `touch` of the rim can cover any of it: the rest are left out.
    shapely.prepare(rim)
    near = near[shapely.dwithin(rim, near, touch)] if len(near) else near
    walls = shapely.union_all(shapely.buffer(near, touch)) if len(near) else shapely.Polygon()
    open_length = shapely.length(shapely.difference(rim, walls))
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
        rims = shapely.buffer([to_metres(p) for p in pieces[both]], _SIDE_M)
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
    parts = shapely.get_parts(geometry)
    if len(parts) >= MANY_PARTS:  # a tree of the parts: quicker than one huge prepared shape
        tree = shapely.STRtree(parts)
        touching = np.zeros(len(pieces), dtype=bool)
        touching[tree.query(pieces, predicate="intersects")[0]] = True
        rest = np.flatnonzero(~touching)
        found = tree.query(pieces[rest], predicate="dwithin", distance=_TOUCH_DEG)[0]
        touching[rest[found]] = True
        return touching
    shapely.prepare(geometry)
    touching = np.asarray(shapely.intersects(geometry, pieces))
    rest = np.flatnonzero(~touching)
    if len(rest):
        touching[rest] = shapely.dwithin(geometry, pieces[rest], _TOUCH_DEG)
    return touching


def _rim_overlap(rims: np.ndarray, pieces: np.ndarray, geometry: shapely.Geometry) -> np.ndarray:
    """Area of each rim over ``geometry``, cutting ``geometry`` to the pieces' extent first."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(pieces)
    pad = 0.01  # degrees: about a kilometre, well past a 50 m rim
    near = shapely.intersection(
        geometry, shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    )
    return np.asarray(shapely.area(shapely.intersection(rims, to_metres(near))))
