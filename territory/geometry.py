"""Small geometry helpers every layer shares (the ground floor of the import graph)."""

from __future__ import annotations

import shapely

__all__ = ["polygonal", "without"]


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
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def without(geometry: shapely.Geometry, removed: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` less ``removed``, polygonal; as it is when nothing is removed.

    Examples
    --------
    >>> without(shapely.box(0, 0, 2, 1), shapely.box(1, 0, 2, 1)).bounds
    (0.0, 0.0, 1.0, 1.0)
    """
    return geometry if removed.is_empty else polygonal(shapely.difference(geometry, removed))
