"""Small geometry helpers every layer shares (the ground floor of the import graph)."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["grown", "polygonal", "without"]

_POLYGON, _MULTIPOLYGON = 3, 6


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
