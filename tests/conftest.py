"""Canonical fixtures: tiny GeoDataFrames, shared by the tests."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely


@pytest.fixture
def bowtie() -> shapely.Polygon:
    """A self-intersecting polygon inside Donetsk oblast."""
    return shapely.Polygon([(37.5, 47.8), (38.0, 48.2), (38.0, 47.8), (37.5, 48.2)])


@pytest.fixture
def tiny_frames() -> dict[str, gpd.GeoDataFrame]:
    """An empty frame, one with an empty geometry, and one square inside Ukraine."""
    return {
        "empty": gpd.GeoDataFrame(geometry=[], crs=4326),
        "empty_geometry": gpd.GeoDataFrame(geometry=[shapely.Polygon()], crs=4326),
        "square": gpd.GeoDataFrame(geometry=[shapely.box(37.5, 47.8, 38.0, 48.2)], crs=4326),
    }
