"""Shared arcs: every stretch of boundary that several shapes (or several dates) share is
stored once.

Two zones that meet share the edge between them; a region that stays whole shares its
border with every piece cut from it; the line of one date shares most of its course with the
line of the next. :func:`arcs_of` cuts every ring at its *junctions* (points where the rings
through them part ways) into arcs, keeps each distinct arc once, and writes each ring as a
list of arc references: ``i`` for arc ``i`` as stored, ``~i`` (``-i - 1``) for arc ``i``
reversed, as TopoJSON does. Consecutive arcs of a ring share their end point.

Coordinates are integer (latitude, longitude) pairs on a grid (the page's decimals), so
that points shared before rounding stay shared after it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["arcs_of", "rings_of"]

Ring = np.ndarray  # (n, 2) int64 (lat, lon), no closing point, n >= 3
Shape = list[list[Ring]]  # polygons, each a list of rings (outer first)


def _keys(points: np.ndarray) -> np.ndarray:
    """One int64 per point (latitude and longitude packed)."""
    return ((points[:, 0] + (1 << 31)) << 32) | (points[:, 1] + (1 << 31))


def _junctions(rings: list[Ring]) -> np.ndarray:
    """Whether each point of the rings (all of them, one after the other) is a point where
    rings part ways: a point met with more than one pair of neighbours (in either
    direction), wherever it is met."""
    if not rings:
        return np.zeros(0, dtype=bool)
    point = _keys(np.concatenate(rings))
    # Each point's neighbours along its ring (the ring closes: the first and last meet).
    lengths = np.array([len(ring) for ring in rings])
    ends = np.cumsum(lengths)
    starts = ends - lengths
    before = np.roll(point, 1)
    after = np.roll(point, -1)
    before[starts] = point[ends - 1]
    after[ends - 1] = point[starts]
    a, b = np.minimum(before, after), np.maximum(before, after)
    order = np.lexsort((b, a, point))  # by point, then by pair of neighbours
    point, a, b = point[order], a[order], b[order]
    new_point = np.ones(len(point), dtype=bool)
    new_point[1:] = point[1:] != point[:-1]
    new_pair = new_point.copy()  # the first of each (point, pair)
    new_pair[1:] |= (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    group = np.cumsum(new_point) - 1
    pairs = np.bincount(group, weights=new_pair)  # distinct pairs of neighbours per point
    junction = np.empty(len(point), dtype=bool)
    junction[order] = pairs[group] > 1
    return junction


def _closed_arc(ring: Ring, keys: np.ndarray) -> np.ndarray:
    """A ring with no junction as one closed arc, started at its smallest point and turned
    the way whose second point is smaller: the same arc however the ring was written."""
    start = int(np.argmin(keys))
    forward = np.roll(ring, -start, axis=0)
    backward = np.roll(ring[::-1], -(len(ring) - 1 - start), axis=0)
    second_f, second_b = _keys(forward[1:2])[0], _keys(backward[1:2])[0]
    chosen = forward if second_f <= second_b else backward
    return np.vstack([chosen, chosen[:1]])


class _Arcs:
    """Distinct arcs, each stored once, found forwards or backwards."""

    def __init__(self) -> None:
        self.arcs: list[np.ndarray] = []
        self._index: dict[bytes, int] = {}

    def ring_refs(self, ring: Ring, cuts: list[int]) -> list[int]:
        """A ring as arc references, cut at its junctions (the indices ``cuts``), or as one
        closed arc where it has none; each arc found (or stored) by its points' bytes,
        forwards and backwards, cut from the whole ring's (a page's 14,000 arcs are referred
        to 450,000 times)."""
        if cuts:
            first = cuts[0]
            closed = np.concatenate([ring[first:], ring[: first + 1]])
            offsets = [c - first for c in cuts] + [len(ring)]
        else:
            closed, offsets = _closed_arc(ring, _keys(ring)), [0, len(ring)]
        closed = closed.astype(np.int64, copy=False)
        forwards, backwards = closed.tobytes(), closed[::-1].tobytes()  # a point is 16
        last = len(closed) - 1
        index, refs = self._index, []
        for a, b in zip(offsets[:-1], offsets[1:], strict=True):
            key = forwards[16 * a : 16 * (b + 1)]
            found = index.get(key)
            if found is None:
                found = index.get(backwards[16 * (last - b) : 16 * (last - a + 1)])
                if found is not None:
                    found = ~found
                else:
                    found = index[key] = len(self.arcs)
                    self.arcs.append(closed[a : b + 1])
            refs.append(found)
        return refs


def arcs_of(shapes: list[Shape]) -> tuple[list[np.ndarray], list[list[list[list[int]]]]]:
    """The distinct arcs of some shapes, and each shape as arc references.

    Examples
    --------
    Two squares side by side share their middle edge, stored once (``-1`` is arc 0
    backwards):

    >>> left = np.array([[0, 0], [0, 1], [1, 1], [1, 0]])
    >>> right = np.array([[0, 1], [0, 2], [1, 2], [1, 1]])
    >>> arcs, refs = arcs_of([[[left]], [[right]]])
    >>> len(arcs), refs
    (3, [[[[0, 1]]], [[[2, -1]]]])
    >>> (ring,) = rings_of(arcs, refs[1][0])
    >>> sorted(map(tuple, ring.tolist())) == sorted(map(tuple, right.tolist()))
    True
    """
    rings = [ring for shape in shapes for polygon in shape for ring in polygon]
    junction = _junctions(rings)
    starts = np.cumsum([0, *(len(ring) for ring in rings)]).tolist()
    store = _Arcs()
    out = []
    at = 0
    for shape in shapes:
        polygons = []
        for polygon in shape:
            refs = []
            for ring in polygon:
                cuts = np.flatnonzero(junction[starts[at] : starts[at + 1]]).tolist()
                refs.append(store.ring_refs(ring, cuts))
                at += 1
            polygons.append(refs)
        out.append(polygons)
    return store.arcs, out


def rings_of(arcs: list[np.ndarray], polygon: list[list[int]]) -> list[np.ndarray]:
    """The rings of one polygon from its arc references (no closing point), as the page
    assembles them: the reverse of :func:`arcs_of`, up to where each ring starts."""
    rings = []
    for refs in polygon:
        points: list[np.ndarray] = []
        for n, ref in enumerate(refs):
            arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
            points.append(arc if n == 0 else arc[1:])
        rings.append(np.vstack(points)[:-1])
    return rings
