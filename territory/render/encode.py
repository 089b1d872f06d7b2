"""Compact geometry for the page: polyline-encoded rings and a table of distinct shapes.

Coordinates are rounded to a fixed number of decimals (4 by default, about 10 m) and
written in the encoded-polyline form: each latitude and longitude is the difference from
the previous point as a signed integer in base-32 printable characters. Ring closing points
and points that round onto their predecessor are dropped. The page decodes with the
matching ``decode`` function of ``static/territory.js``.

:class:`GeometryTable` keeps each distinct shape once, so a region that several scenarios
leave unchanged is written once and referenced by its index, and writes the shapes' rings
as shared arcs, so an edge two shapes share is written once.
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely

from territory.render.topology import arcs_of

__all__ = ["GeometryTable", "encode_lines", "encode_polygons", "encode_ring", "rounded"]

#: Decimals kept for zones and land outlines: 1e-4 degrees is about 11 m north-south.
ZONE_DECIMALS = 4


def _rounded_path(coords: np.ndarray, decimals: int, closed: bool) -> np.ndarray:
    """Integer (lat, lon) steps of a path, without repeats and without a closing point."""
    ints = np.round(np.asarray(coords)[:, [1, 0]] * 10**decimals).astype(np.int64)
    if len(ints) > 1:
        keep = np.ones(len(ints), dtype=bool)
        keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
        ints = ints[keep]
    if closed and len(ints) > 1 and np.array_equal(ints[0], ints[-1]):
        ints = ints[:-1]
    return ints


def encode_ring(coords: np.ndarray, decimals: int = ZONE_DECIMALS, *, closed: bool = True) -> str:
    """Encode one ring (or line) of (lon, lat) coordinates.

    Returns an empty string when rounding leaves too few points to draw.

    Examples
    --------
    >>> import numpy as np
    >>> encode_ring(np.array([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]),
    ...             decimals=5, closed=False)
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    >>> encode_ring(np.array([[0, 0], [1e-6, 0], [0, 0]]))
    ''
    """
    ints = _rounded_path(coords, decimals, closed)
    if len(ints) < (3 if closed else 2):
        return ""
    return _encode_path(ints)


def _encode_path(ints: np.ndarray) -> str:
    """Integer (lat, lon) points as one encoded path (each a step from the one before)."""
    steps = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return _encode_integers(steps.ravel())


def _encode_integers(values: np.ndarray) -> str:
    """Signed integers in the encoded-polyline alphabet (ASCII 63 to 126), all at once.

    Each value is zig-zagged (its sign moved to the lowest bit), then written five bits a
    character, lowest first, 0x20 marking that more follow, plus 63.

    Examples
    --------
    >>> _encode_integers(np.array([-17998321]))  # -179.98321 at five decimals
    '`~oia@'
    """
    return _characters(values)[0]


def _characters(values: np.ndarray) -> tuple[str, np.ndarray]:
    """:func:`_encode_integers` of ``values``, and how many characters each takes."""
    bits = (values << 1) ^ (values >> 63)  # zig-zag: the sign moves to the lowest bit
    shifts = np.arange(0, 64, 5, dtype=np.int64)
    chunks = (bits[:, None] >> shifts[None, :]) & 0x1F
    # A value takes chunks up to its highest non-zero one (at least one chunk).
    higher = (bits[:, None] >> shifts[None, :]) > 0
    count = np.maximum(higher.sum(axis=1), 1)
    used = np.arange(len(shifts))[None, :] < count[:, None]
    more = np.arange(len(shifts))[None, :] < (count - 1)[:, None]
    codes = (chunks | np.where(more, 0x20, 0)) + 63
    return codes[used].astype(np.uint8).tobytes().decode("ascii"), count


def _encode_paths(paths: list[np.ndarray]) -> list[str]:
    """Many paths of integer (lat, lon) points encoded at once, each as :func:`_encode_path`
    encodes it (a page's thousands of arcs, in one pass instead of one each).

    Examples
    --------
    >>> paths = [np.array([[1, 2], [3, 5]]), np.array([[-4, 0], [0, 0], [7, -1]])]
    >>> _encode_paths(paths) == [_encode_path(path) for path in paths]
    True
    """
    lengths = np.array([len(path) for path in paths], dtype=np.int64)
    if not lengths.sum():
        return [_encode_path(path) for path in paths]
    points = np.concatenate([np.asarray(path, dtype=np.int64).reshape(-1, 2) for path in paths])
    steps = np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    starts = (np.cumsum(lengths) - lengths)[lengths > 0]
    steps[starts] = points[starts]  # each path steps from zero, not from the path before
    text, count = _characters(steps.ravel())
    # Where each path's characters end: after those of its points' two values each.
    per_point = count.reshape(-1, 2).sum(axis=1)
    bounds = np.concatenate([[0], np.cumsum(per_point)])[np.cumsum(np.concatenate([[0], lengths]))]
    return [text[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)]


def rounded(geometry: shapely.Geometry, decimals: int = ZONE_DECIMALS) -> list[list[np.ndarray]]:
    """A shape as :class:`GeometryTable` holds it (its polygons' rings on the integer grid),
    made where the shape was, for :meth:`GeometryTable.take_rounded`.

    Examples
    --------
    >>> square = shapely.box(30, 50, 30.001, 50.001)
    >>> [[ring.tolist() for ring in polygon] for polygon in rounded(square)]
    [[[[500000, 300000], [500010, 300000], [500010, 300010], [500000, 300010]]]]
    """
    return _integer_polygons(geometry, decimals)


def _integer_polygons(geometry: shapely.Geometry, decimals: int) -> list[list[np.ndarray]]:
    """A (multi)polygon's rings on the integer grid: rounded, without repeats or closing
    points, rings of fewer than three points left out."""
    polygons = []
    for part in shapely.get_parts(shapely.normalize(geometry)):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        shell = _rounded_path(shapely.get_coordinates(part.exterior), decimals, True)
        if len(shell) < 3:
            continue
        holes = [
            _rounded_path(shapely.get_coordinates(ring), decimals, True) for ring in part.interiors
        ]
        polygons.append([shell, *[h for h in holes if len(h) >= 3]])
    return polygons


def encode_polygons(geometry: shapely.Geometry, decimals: int = ZONE_DECIMALS) -> list[list[str]]:
    """A (multi)polygon as a list of polygons, each a list of encoded rings (outer first).

    Examples
    --------
    >>> encode_polygons(shapely.box(30, 50, 31, 51))
    [['_qo]_}hQ_pR??_pR~oR?']]
    >>> encode_polygons(shapely.Polygon())
    []
    """
    return [
        [_encode_path(ring) for ring in polygon]
        for polygon in _integer_polygons(geometry, decimals)
    ]


def encode_lines(geometry: shapely.Geometry, decimals: int = ZONE_DECIMALS) -> list[str]:
    """A (multi)linestring as a list of encoded paths.

    Examples
    --------
    >>> encode_lines(shapely.LineString([(30, 50), (31, 50)]))
    ['_qo]_}hQ?_pR']
    """
    paths = []
    for part in shapely.get_parts(geometry):
        if part.is_empty or part.geom_type != "LineString":
            continue
        encoded = encode_ring(shapely.get_coordinates(part), decimals, closed=False)
        if encoded:
            paths.append(encoded)
    return paths


def _shape_key(polygons: list[list[np.ndarray]]) -> bytes:
    parts = []
    for polygon in polygons:
        parts.append(b"P")
        for ring in polygon:
            parts.append(len(ring).to_bytes(8, "little") + ring.tobytes())
    return b"".join(parts)


class GeometryTable:
    """Distinct polygon shapes, each stored once and referred to by its index; on the page,
    their rings are made of shared arcs (:mod:`territory.render.topology`).

    Shapes are compared after normalising and rounding, so the same outline reached by
    different operations (a region left whole by two scenarios) gets one entry; the edge two
    shapes share is one arc.

    Examples
    --------
    >>> table = GeometryTable()
    >>> a = table.add(shapely.box(30, 50, 31, 51))
    >>> b = table.add(shapely.Polygon([(31, 51), (30, 51), (30, 50), (31, 50)]))
    >>> c = table.add(shapely.box(31, 50, 32, 51))
    >>> (a, b, c), len(table)
    ((0, 0, 1), 2)
    >>> len(table.payload()["arcs"])  # two boxes: the edge they share, and the rest of each
    3
    """

    def __init__(self, decimals: int = ZONE_DECIMALS) -> None:
        self.decimals = decimals
        self._index: dict[bytes, int] = {}
        self._by_wkb: dict[bytes, int] = {}  # the same geometry again: no need to round it
        self._rounded: dict[bytes, list[list[np.ndarray]]] = {}  # rounded elsewhere, by key
        self._shapes: list[list[list[np.ndarray]]] = []
        self._topology: tuple[list[np.ndarray], list[list[list[list[int]]]]] | None = None
        self._payload: dict[str, object] | None = None

    def __getstate__(self) -> dict[str, object]:
        # Sent to another process with its shapes and payload, not what is made again from
        # them: the index (each shape's whole outline as bytes, again), the arcs, and the
        # geometries' WKB (the same geometry added again is rounded again, to the same key).
        return {"decimals": self.decimals, "shapes": self._shapes, "payload": self._payload}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.decimals = state["decimals"]
        self._shapes = state["shapes"]
        self._index = {_shape_key(polygons): i for i, polygons in enumerate(self._shapes)}
        self._by_wkb = {}
        self._rounded = {}
        self._topology = None
        self._payload = state["payload"]

    def copy(self) -> GeometryTable:
        """A table with the same shapes, that shapes added to later do not change.

        Examples
        --------
        >>> table = GeometryTable()
        >>> _ = table.add(shapely.box(30, 50, 31, 51))
        >>> other = table.copy()
        >>> other.add(shapely.box(31, 50, 32, 51)), len(table), len(other)
        (1, 1, 2)
        """
        other = GeometryTable(self.decimals)
        other._index, other._by_wkb = dict(self._index), dict(self._by_wkb)
        other._rounded = dict(self._rounded)
        other._shapes, other._topology = list(self._shapes), self._topology
        other._payload = self._payload
        return other

    def take_rounded(self, rounded: dict[bytes, list[list[np.ndarray]]], decimals: int) -> None:
        """Shapes rounded already (:func:`rounded`, on the cores that resolved them), by
        their keys (:func:`shape_keys`): :meth:`add` given one of those keys takes its
        rounding rather than rounding the geometry again (rounded to other decimals than
        this table's: left out)."""
        if decimals == self.decimals:
            self._rounded.update(rounded)

    def add(self, geometry: shapely.Geometry, known: bytes | None = None) -> int:
        """The index of a shape, adding it when it is new. ``known``: a key that stands for
        this very geometry (:func:`shape_keys`), where its WKB would otherwise be made."""
        wkb = shapely.to_wkb(geometry) if known is None else known
        if wkb in self._by_wkb:
            return self._by_wkb[wkb]
        polygons = self._rounded.pop(wkb, None) if known is not None else None
        if polygons is None:
            polygons = _integer_polygons(geometry, self.decimals)
        key = _shape_key(polygons)
        if key not in self._index:
            self._index[key] = len(self._shapes)
            self._shapes.append(polygons)
            self._topology = self._payload = None
        self._by_wkb[wkb] = self._index[key]
        return self._index[key]

    def add_all(self, geometries: Iterable[shapely.Geometry]) -> list[int]:
        """Indices of several shapes, in order."""
        return [self.add(g) for g in geometries]

    def __len__(self) -> int:
        return len(self._shapes)

    def topology(self) -> tuple[list[np.ndarray], list[list[list[list[int]]]]]:
        """The distinct arcs (integer lat/lon) and each shape as arc references (see
        :func:`territory.render.topology.arcs_of`), computed once for the shapes so far."""
        if self._topology is None:
            self._topology = arcs_of(self._shapes)
        return self._topology

    def arcs_of_shapes(self, indices: Iterable[int]) -> set[int]:
        """The arcs (as stored, whatever the direction) that some shapes' rings use."""
        _, shapes = self.topology()
        return {
            ref if ref >= 0 else ~ref
            for i in indices
            for polygon in shapes[i]
            for ring in polygon
            for ref in ring
        }

    def payload(self) -> dict[str, object]:
        """What the page receives: the decimals, every distinct arc (encoded) and every
        shape as polygons of rings of arc references, runs of consecutive references
        written short (see :func:`runs`); made once for the shapes so far."""
        if self._payload is None:
            arcs, shapes = self.topology()
            encoded = _encode_paths(arcs)
            self._payload = {"decimals": self.decimals, "arcs": encoded, "shapes": derived(shapes)}
        return self._payload


def shape_keys(geometries: np.ndarray, made: dict[int, bytes] | None = None) -> list[bytes]:
    """A key for each geometry that two geometries share only when they are the same,
    vertex for vertex: a digest of its WKB, for :meth:`GeometryTable.add` (a history page's
    zones are keyed on the cores that resolved them). ``made``: the keys of geometry
    objects keyed before (and still alive), added to.

    Examples
    --------
    >>> a, b = shapely.box(0, 0, 1, 1), shapely.box(0, 0, 1, 2)
    >>> first, second, third = shape_keys(np.array([a, b, shapely.box(0, 0, 1, 1)]))
    >>> first == third, first == second
    (True, False)
    """
    made = {} if made is None else made
    keys = []
    for geometry in geometries:
        key = made.get(id(geometry))
        if key is None:
            key = made[id(geometry)] = (
                b"#" + hashlib.blake2b(shapely.to_wkb(geometry), digest_size=20).digest()
            )
        keys.append(key)
    return keys


def derived(shapes: list[list[list[list[int]]]]) -> list[Any]:
    """Shapes as the page receives them: each written whole (polygons of rings of
    :func:`runs`), or, when that is shorter, as an earlier shape it mostly repeats
    (``{"from": j, "polygons": ...}``, whose rings may copy ``[start, count, ring]``: that
    many references of ring ``ring`` of shape ``j``, its rings counted across polygons).
    Any shape's rings may also copy a stretch of an earlier shape that goes round the same
    arcs the other way (the zone across the line): ``[start, count, ring, shape]``, that
    many references of that ring of that shape, from its ``start``-th backwards, each
    arc turned round.

    The same zone on the next date of a history is the date before's but where the line
    moved, and where it moved, the zone across the line on that date went round the new
    arcs first; written whole, its rings list hundreds of references again.

    Examples
    --------
    >>> first = [[list(range(0, 60, 2))]]  # arcs of other dates' lines in between
    >>> second = [[[*range(0, 30, 2), 99, *range(32, 60, 2)]]]  # the line moved once
    >>> written = derived([first, second])
    >>> written[1]
    {'from': 0, 'polygons': [[[[0, 15, 0], 99, [16, 14, 0]]]]}
    >>> across = [[[5, 3, ~30, ~20, ~10, 7, 6]]]  # round arcs 10, 20, 30 the other way
    >>> derived([[[[10, 20, 30, 1, 2]]], [[[4, 8, 12, 16]]], across])[2]
    [[[5, 3, [2, 3, 0, 0], 7, 6]]]
    """
    out: list[Any] = []
    # Each arc reference (an arc one way round): the latest shape whose rings use it so,
    # and where that shape's rings (counted across its polygons) have it: (ring, position).
    last_place: dict[int, tuple[int, int, int]] = {}
    flat: list[list[list[int]]] = []  # each shape's rings, across its polygons
    for index, shape in enumerate(shapes):
        whole = [[runs(ring) for ring in polygon] for polygon in shape]
        used = [ref for polygon in shape for ring in polygon for ref in ring]
        users = collections.Counter(last_place[ref][0] for ref in used if ref in last_place)
        base = users.most_common(1)[0][0] if users else None
        rings = flat[base] if base is not None else []
        polygons = [
            [_copied(ring, rings, last_place, flat) for ring in polygon] for polygon in shape
        ]
        written: Any = whole
        size = len(json.dumps(polygons))
        if base is not None and size + 20 < len(json.dumps(whole)):
            written = {"from": base, "polygons": polygons}
        elif base is None and size < len(json.dumps(whole)):
            written = polygons  # reverse copies only: no base needed
        out.append(written)
        flat.append([ring for polygon in shape for ring in polygon])
        for r, ring in enumerate(flat[-1]):
            for k, ref in enumerate(ring):
                last_place[ref] = (index, r, k)
    return out


def _copied(
    ring: list[int],
    rings: list[list[int]],
    last_place: dict[int, tuple[int, int, int]],
    flat: list[list[list[int]]],
) -> list[Any]:
    """A ring's references as copies of stretches of the base ring that shares most of them
    (``[start, count, ring]``), or of an earlier ring that goes round them the other way
    (``[start, count, ring, shape]``, see :func:`derived`), and the rest as :func:`runs`."""
    refs = set(ring)
    base: list[int] = []
    chosen = 0
    if rings:
        chosen = max(range(len(rings)), key=lambda r: len(refs.intersection(rings[r])))
        base = rings[chosen]
    where = {ref: k for k, ref in enumerate(base)}

    def forward(i: int) -> tuple[int, int]:  # where ring[i:] runs on in the base, how far
        k = where.get(ring[i])
        n = 0
        if k is not None:
            n = 1
            while i + n < len(ring) and k + n < len(base) and base[k + n] == ring[i + n]:
                n += 1
        return (k if k is not None else -1), n

    out: list[Any] = []
    literal: list[int] = []
    i = 0
    while i < len(ring):
        k, n = forward(i)
        if n >= 3:
            out.extend(runs(literal))
            literal = []
            out.append([k, n, chosen])
            i += n
            continue
        place = last_place.get(~ring[i])
        if place is not None:
            shape, r, k = place
            other = flat[shape][r]
            n = 1
            while i + n < len(ring) and k - n >= 0 and other[k - n] == ~ring[i + n]:
                n += 1
            copy = [k, n, r, shape]
            if n >= 3 and len(json.dumps(copy)) < len(json.dumps(runs(ring[i : i + n]))):
                out.extend(runs(literal))
                literal = []
                out.append(copy)
                i += n
                continue
        literal.append(ring[i])
        i += 1
    out.extend(runs(literal))
    return out


def runs(refs: list[int]) -> list[int | list[int]]:
    """Arc references with each run of three or more consecutive ones (``a, a+1, ...``)
    written ``[a, n]``: a ring crossed by the lines of many dates is cut into many arcs,
    numbered in the order they were found, so its references run on for hundreds.

    Examples
    --------
    >>> runs([29, 30, 31, 32, -6, 7, 8, -3, -2, -1, 0])
    [[29, 4], -6, 7, 8, [-3, 4]]
    """
    out: list[int | list[int]] = []
    count = len(refs)
    if count >= _LONG:  # where each run starts: one numpy pass rather than a loop
        steps = np.diff(np.asarray(refs, dtype=np.int64))
        bounds = [0, *(np.flatnonzero(steps != 1) + 1).tolist(), count]
    else:
        bounds = [0, *(i for i in range(1, count) if refs[i] != refs[i - 1] + 1), count]
    for start, end in itertools.pairwise(bounds):
        if end - start >= 3:
            out.append([refs[start], end - start])
        else:
            out.extend(refs[start:end])
    return out


#: From how many references :func:`runs` finds them with numpy.
_LONG = 16
