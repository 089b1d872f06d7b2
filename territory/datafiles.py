"""Where the shipped data files are, installed or in a source checkout.

The built files sit in ``geodata/`` and ``seeds/`` at the top of the repository; a wheel
carries them inside the package as ``territory/geodata`` and ``territory/seeds``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

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
    read with ``json`` (the package's own small files need no OGR)."""
    import json

    import geopandas as gpd

    collection = json.loads(shipped(folder, name).read_text(encoding="utf-8"))
    features = collection["features"]
    frame = gpd.GeoDataFrame.from_features(features, crs=4326)
    columns = list(dict.fromkeys(k for f in features for k in (f.get("properties") or {})))
    return frame[[*columns, "geometry"]]
