"""Small geometry helpers every layer shares (the ground floor of the import graph)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import shapely

__all__ = [
    "MANY_PARTS",
    "Repeats",
    "boxes_around",
    "gathered",
    "grown",
    "polygonal",
    "union_of",
    "without",
]

Result = TypeVar("Result")

_POLYGON, _MULTIPOLYGON = 3, 6


class Repeats:
    """The last result of an overlay in each of a few slots, with the geometries it was made
    of: asked again in a slot with the same geometries, vertex for vertex, it is given as it
    was, not computed again. GEOS gives the same output for the same input, so a result
    taken again is the one computing it would give: a date's Crimea, unchanged since the
    date before, is cut from its unit once for a run of dates (17 ms a date).

    Holds one result a slot, in the ``most`` slots used last; safe across threads (at
    worst, a result is computed twice).

    Examples
    --------
    >>> repeats, made = Repeats(), []
    >>> def cut(a, b):
    ...     made.append(1)
    ...     return shapely.difference(a, b)
    >>> a, b = shapely.box(0, 0, 2, 1), shapely.box(1, 0, 2, 1)
    >>> first = repeats.of("unit", cut, a, b)
    >>> again = repeats.of("unit", cut, shapely.box(0, 0, 2, 1), b)  # the same vertices
    >>> again is first, len(made)
    (True, 1)
    >>> _ = repeats.of("unit", cut, a, shapely.box(1.5, 0, 2, 1))  # another: computed
    >>> len(made)
    2
    """

    def __init__(self, most: int = 256) -> None:
        self._kept: dict[Hashable, tuple[tuple[shapely.Geometry, ...], Any]] = {}
        self._most = most

    def of(
        self, slot: Hashable, work: Callable[..., Result], *geometries: shapely.Geometry
    ) -> Result:
        """``work(*geometries)``, or its result for the same geometries last time in ``slot``."""
        kept = self._kept.pop(slot, None)  # put back last: the slots used last stay
        if kept is not None and _identical(kept[0], geometries):
            self._kept[slot] = kept
            return kept[1]  # type: ignore[no-any-return]
        result = work(*geometries)
        self._kept[slot] = (geometries, result)
        while len(self._kept) > self._most:
            self._kept.pop(next(iter(self._kept)), None)
        return result


def _identical(kept: tuple[shapely.Geometry, ...], given: tuple[shapely.Geometry, ...]) -> bool:
    return len(kept) == len(given) and all(
        a is b or bool(shapely.equals_identical(a, b)) for a, b in zip(kept, given, strict=True)
    )


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of an overlay result (intersections may leave lines and points).

    The parts of a GEOS overlay result never overlap, so they make a valid MultiPolygon as
    they are, without another union.

    Examples
    --------
    >>> a, b = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    >>> polygonal(shapely.intersection(a, b)).is_empty  # they share only an edge
    True
    """
    parts = shapely.get_parts(geometry)
    kinds = shapely.get_type_id(parts)
    if (kinds == _MULTIPOLYGON).any():
        flat = [
            shapely.get_parts(p) if k == _MULTIPOLYGON else [p]
            for p, k in zip(parts, kinds, strict=True)
        ]
        parts = np.concatenate(flat)
        kinds = shapely.get_type_id(parts)
    parts = parts[(kinds == _POLYGON) & ~shapely.is_empty(parts)]
    if not len(parts):
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def without(geometry: shapely.Geometry, removed: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` less ``removed``, polygonal; as it is when nothing is removed.

    Examples
    --------
    >>> without(shapely.box(0, 0, 2, 1), shapely.box(1, 0, 2, 1)).bounds
    (0.0, 0.0, 1.0, 1.0)
    """
    return geometry if removed.is_empty else polygonal(shapely.difference(geometry, removed))


def grown(geometry: shapely.Geometry, distance: float, quad_segs: int = 8) -> shapely.Geometry:
    """``geometry`` buffered by ``distance``, part by part, then merged.

    The same area as ``shapely.buffer(geometry, distance)`` for a positive distance, but GEOS
    buffers a geometry of many parts far more slowly as a whole than one part at a time: on
    3,000 scattered parts, 13 s against 0.15 s.

    Examples
    --------
    >>> two = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(3, 0, 4, 1)])
    >>> round(grown(two, 1).area, 6) == round(shapely.buffer(two, 1).area, 6)
    True
    """
    parts = shapely.get_parts(geometry)
    if not len(parts):
        return shapely.Polygon()
    return shapely.union_all(shapely.buffer(parts, distance, quad_segs=quad_segs))


#: From how many parts (polygons, rings, holes) a geometry takes the paths built for
#: thousands of islands: merged cluster by cluster, cut and measured part by part, searched
#: through a tree of its parts. Below it, the plain overlays (the same ground).
MANY_PARTS = 1000


def union_of(geometries: np.ndarray) -> shapely.Geometry:
    """The polygonal union of polygons (valid ones, as ``make_valid`` leaves them).

    The same ground as ``shapely.union_all``, but many polygons are first grouped into
    clusters of polygons that meet (a spatial index and a connected-components pass), and
    each cluster merged on its own: on 200,000 small squares strewn apart, 20 s become a few.

    Examples
    --------
    Two thousand boxes, overlapping in pairs:

    >>> boxes = np.array([shapely.box(3 * (k // 2) + k % 2, 0, 3 * (k // 2) + k % 2 + 1.5, 1)
    ...                   for k in range(2000)])
    >>> merged = union_of(boxes)
    >>> int(shapely.get_num_geometries(merged)), round(merged.area, 6)
    (1000, 2500.0)
    """
    geometries = geometries[~shapely.is_missing(geometries)]
    geometries = geometries[~shapely.is_empty(geometries)]
    if not len(geometries):
        return shapely.Polygon()
    kinds = shapely.get_type_id(geometries)
    if len(geometries) == 1 and kinds[0] in (_POLYGON, _MULTIPOLYGON):
        return polygonal(geometries[0])  # a valid (Multi)Polygon's parts never overlap
    tree = shapely.STRtree(geometries)
    first, second = tree.query(geometries, predicate="intersects")
    if len(geometries) < MANY_PARTS:
        apart = (first == second).all() and np.isin(kinds, (_POLYGON, _MULTIPOLYGON)).all()
        # Polygons that never meet (a source's features, each a front of its own) need no
        # overlay: their parts make a valid MultiPolygon as they are.
        return polygonal(
            shapely.geometrycollections(geometries) if apart else shapely.union_all(geometries)
        )
    labels = _components(len(geometries), first, second)
    order = np.argsort(labels, kind="stable")
    starts = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1]])
    merged = []
    for group in np.split(order, starts[1:]):
        alone = len(group) == 1 and kinds[group[0]] in (_POLYGON, _MULTIPOLYGON)
        merged.append(geometries[group[0]] if alone else shapely.union_all(geometries[group]))
    return polygonal(shapely.geometrycollections(merged))


def _components(count: int, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A label for each of ``count`` nodes, the same within each connected component of
    the graph of edges ``first[i]``-``second[i]`` (given both ways round): the smallest
    label of its neighbours, taken again with pointer jumping until nothing changes."""
    labels = np.arange(count)
    while True:
        lowest = labels.copy()
        np.minimum.at(lowest, first, labels[second])
        lowest = lowest[lowest]
        if np.array_equal(lowest, labels):
            return labels
        labels = lowest


def gathered(parts: np.ndarray) -> shapely.Geometry:
    """Polygons that never overlap (the parts of one polygonal geometry) as one geometry,
    with no overlay.

    Examples
    --------
    >>> gathered(np.array([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])).geom_type
    'MultiPolygon'
    """
    parts = parts[~shapely.is_empty(parts)]
    if not len(parts):
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def boxes_around(geometries: np.ndarray, pad: float) -> np.ndarray:
    """The bounding boxes of ``geometries``, grown by ``pad`` and merged where they meet:
    one polygon for each group of geometries near each other.

    Examples
    --------
    >>> near = shapely.box([0, 1.5, 9], 0, [1, 2, 10], 1)
    >>> len(boxes_around(near, 0.5))
    2
    """
    xmin, ymin, xmax, ymax = shapely.bounds(geometries).T
    merged = shapely.union_all(shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad))
    return shapely.get_parts(merged)
