"""Where the shipped data files are, installed or in a source checkout.

The built files sit in ``geodata/`` and ``seeds/`` at the top of the repository; a wheel
carries them inside the package as ``territory/geodata`` and ``territory/seeds``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    import shapely

_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped(folder: str, name: str) -> Path:
    """Path of a shipped data file, e.g. ``shipped("geodata", "neighbours.geojson")``."""
    installed = Path(str(resources.files("territory"))) / folder / name
    if installed.exists():
        return installed
    in_checkout = _CHECKOUT / folder / name
    if in_checkout.exists():
        return in_checkout
    raise FileNotFoundError(f"shipped data file {folder}/{name} is missing from this installation")


def read_shipped(folder: str, name: str) -> gpd.GeoDataFrame:
    """A shipped GeoJSON file as a GeoDataFrame in EPSG:4326: the columns of its features'
    properties in their order, then the geometry, as ``geopandas.read_file`` gives them,
    read with ``json`` (the package's own small files need no OGR) and their coordinates
    made into geometries as arrays (a third of the time ``GeoDataFrame.from_features``
    takes, on every start of the command line)."""
    import json

    import geopandas as gpd
    import pandas as pd

    collection = json.loads(shipped(folder, name).read_text(encoding="utf-8"))
    features = collection["features"]
    properties = [f.get("properties") or {} for f in features]
    columns = list(dict.fromkeys(k for p in properties for k in p))
    geometries = [_geometry(f.get("geometry")) for f in features]
    return gpd.GeoDataFrame(
        pd.DataFrame(properties, columns=columns), geometry=geometries, crs=4326
    )


def _geometry(mapping: dict[str, Any] | None) -> shapely.Geometry | None:
    """A GeoJSON geometry as shapely's: polygons and points from arrays of coordinates,
    anything else through ``shapely.geometry.shape``.

    Examples
    --------
    >>> _geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}).area
    0.5
    >>> _geometry({"type": "Point", "coordinates": [30.5, 50.4]}).wkt
    'POINT (30.5 50.4)'
    """
    import numpy as np
    import shapely
    import shapely.geometry

    def polygon(rings: list[Any]) -> shapely.Polygon:
        shell, *holes = [np.asarray(ring, dtype=float) for ring in rings]
        return shapely.polygons(shell, holes=holes or None)

    if mapping is None:
        return None
    kind, coordinates = mapping.get("type"), mapping.get("coordinates")
    if kind == "Polygon" and coordinates:
        return polygon(coordinates)
    if kind == "MultiPolygon" and coordinates:
        return shapely.multipolygons([polygon(rings) for rings in coordinates])
    if kind == "Point" and coordinates:
        return shapely.points(coordinates)
    return shapely.geometry.shape(mapping)
