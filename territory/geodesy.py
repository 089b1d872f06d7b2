"""Geodesic measurement on the WGS84 ellipsoid: the one way the library measures area."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")


def area_km2(geometry: shapely.Geometry | None) -> float:
    """Geodesic area of one lon/lat geometry in km².

    Examples
    --------
    >>> import shapely
    >>> round(area_km2(shapely.box(30, 50, 31, 51)), 0)
    7892.0
    >>> area_km2(shapely.Polygon())
    0.0
    """
    if geometry is None or geometry.is_empty:
        return 0.0
    return abs(WGS84.geometry_area_perimeter(geometry)[0]) / 1e6


def _is_lonlat(series: gpd.GeoSeries) -> bool:
    return series.crs is None or bool(series.crs.equals("EPSG:4326"))


def areas_km2(geometries: Iterable[shapely.Geometry | None] | gpd.GeoSeries) -> np.ndarray:
    """Geodesic areas in km² of lon/lat geometries, one per input.

    A GeoSeries in another CRS is transformed to EPSG:4326 first.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> s = gpd.GeoSeries([shapely.box(30, 50, 31, 51), None], crs=4326)
    >>> areas_km2(s).round(0).tolist()
    [7892.0, 0.0]
    """
    if isinstance(geometries, gpd.GeoSeries) and not _is_lonlat(geometries):
        geometries = geometries.to_crs(4326)
    return np.array([area_km2(g) for g in geometries], dtype=float)
