"""Geodesic areas (territory.geodesy): every ring measured as pyproj measures it, to the bit."""

from __future__ import annotations

import shapely

import territory
from territory.geodesy import WGS84, areas_km2

from .synthetic import squares


def test_geodesic_areas_are_pyproj_s_to_the_bit() -> None:
    """All coordinates are read at once, each ring measured by pyproj as its own loop does."""
    snap = territory.snapshot("2025-08-08")
    geometries = [*snap.by_region.geometry, *territory.regions().geometry, *squares(500)]
    geometries += [None, shapely.Polygon(), shapely.MultiPolygon()]
    geometries += [shapely.GeometryCollection([shapely.box(30, 50, 31, 51), shapely.Point(1, 1)])]
    theirs = [
        0.0 if g is None or g.is_empty else abs(WGS84.geometry_area_perimeter(g)[0]) / 1e6
        for g in geometries
    ]
    assert areas_km2(geometries).tolist() == theirs
