"""Geodesic measurement on the WGS84 ellipsoid: the one way the library measures area."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")
_POLYGON, _MULTIPOLYGON = 3, 6


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
    return float(areas_km2([geometry])[0])


def rough_km2(polygons: np.ndarray) -> np.ndarray:
    """Planar estimates of lon/lat polygons' areas in km², within a few per cent at
    Ukraine's latitudes: enough to tell a speck from a region without the ellipsoid.

    Examples
    --------
    >>> import shapely
    >>> round(float(rough_km2(np.array([shapely.box(30, 50, 31, 51)]))[0]))  # geodesic: 7892
    7874
    """
    latitude = np.radians(shapely.get_y(shapely.centroid(polygons)))
    return np.asarray(shapely.area(polygons) * 111.2 * 111.32 * np.cos(latitude))


def _is_lonlat(series: gpd.GeoSeries) -> bool:
    return series.crs is None or bool(series.crs.equals("EPSG:4326"))


def areas_km2(geometries: Iterable[shapely.Geometry | None] | gpd.GeoSeries) -> np.ndarray:
    """Geodesic areas in km² of lon/lat geometries, one per input.

    A GeoSeries in another CRS is transformed to EPSG:4326 first.

    The same numbers, to the last bit, as pyproj's ``Geod.geometry_area_perimeter`` (each
    ring's signed area, a polygon's holes added to its shell, the polygons of a geometry
    summed in order), with the coordinates of all polygons taken out at once rather than
    ring by ring.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> s = gpd.GeoSeries([shapely.box(30, 50, 31, 51), None], crs=4326)
    >>> areas_km2(s).round(0).tolist()
    [7892.0, 0.0]
    """
    if isinstance(geometries, gpd.GeoSeries) and not _is_lonlat(geometries):
        geometries = geometries.to_crs(4326)
    values = np.asarray(
        geometries.array if isinstance(geometries, gpd.GeoSeries) else list(geometries),
        dtype=object,
    )
    out = np.zeros(len(values))
    if not len(values):
        return out
    kinds = shapely.get_type_id(values)  # -1 for None
    filled = (kinds >= 0) & ~shapely.is_empty(values)
    polygons = filled & ((kinds == _POLYGON) | (kinds == _MULTIPOLYGON))
    for i in np.flatnonzero(filled & ~polygons):  # lines, points, collections: pyproj's way
        out[i] = abs(WGS84.geometry_area_perimeter(values[i])[0]) / 1e6
    if polygons.any():
        out[polygons] = _polygon_areas(values[polygons])
    return out


def _polygon_areas(geometries: np.ndarray) -> np.ndarray:
    """Geodesic km² of non-empty Polygons and MultiPolygons (see :func:`areas_km2`)."""
    polygons, owner = shapely.get_parts(geometries, return_index=True)
    counts = shapely.get_num_interior_rings(polygons) + 1
    rings = shapely.get_rings(polygons)
    coords, coord_owner = shapely.get_coordinates(rings, return_index=True)
    x, y = np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1])
    ends = np.searchsorted(coord_owner, np.arange(len(rings) + 1))
    area_of = WGS84.polygon_area_perimeter
    ring_area = [area_of(x[a:b], y[a:b])[0] for a, b in zip(ends[:-1], ends[1:], strict=True)]
    sums = [0.0] * len(geometries)
    ring = 0
    for polygon, count in zip(owner.tolist(), counts.tolist(), strict=True):
        area = ring_area[ring]
        for hole in ring_area[ring + 1 : ring + count]:
            area += hole
        ring += count
        sums[polygon] += area
    return np.abs(sums) / 1e6
