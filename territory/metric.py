"""A metric projection for Ukraine: geometry in metres (and back) where widths are tested.

An equal-area azimuthal projection centred on Ukraine: distances within it are within about
1% of the true ones, plenty for a width test. Geometry is densified to about 1 km before it
is projected, so that the projection does not bend long edges.
"""

from __future__ import annotations

import functools

import numpy as np
import pyproj
import shapely

from territory.geometry import polygonal

__all__ = ["to_degrees", "to_metres"]

_METRIC = pyproj.CRS.from_proj4("+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m")
_STEP_DEG = 0.01
_STEP_M = 1000.0


@functools.cache
def _transformers() -> tuple[pyproj.Transformer, pyproj.Transformer]:
    forward = pyproj.Transformer.from_crs(4326, _METRIC, always_xy=True)
    back = pyproj.Transformer.from_crs(_METRIC, 4326, always_xy=True)
    return forward, back


def to_metres(geometry: shapely.Geometry) -> shapely.Geometry:
    return _project(geometry, _transformers()[0], _STEP_DEG)


def to_degrees(geometry: shapely.Geometry) -> shapely.Geometry:
    return _project(geometry, _transformers()[1], _STEP_M)


def _project(
    geometry: shapely.Geometry, transformer: pyproj.Transformer, step: float
) -> shapely.Geometry:
    """The geometry in the other CRS, densified first so that straight edges stay straight."""
    geometry = shapely.segmentize(geometry, step)
    moved = shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    # Reprojection can nudge near-touching rings into each other: repair, keep the polygons.
    if shapely.get_dimensions(moved) == 2 and not shapely.is_valid(moved):
        moved = polygonal(shapely.make_valid(moved))
    return moved
