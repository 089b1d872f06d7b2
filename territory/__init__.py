"""territory: who holds which part of Ukraine, and what each proposed settlement would change.

Functions over GeoDataFrames: regions, control snapshots, settlement scenarios resolved
into zones, statistics, diffs and maps.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from territory.errors import InputFileError, TerritoryError, UnknownNameError
from territory.geodesy import area_km2, areas_km2
from territory.regions import (
    ARTICLE_REGIONS,
    neighbours,
    region,
    region_code,
    region_name,
    regions,
    ukraine,
)

try:
    __version__ = version("territory")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "ARTICLE_REGIONS",
    "InputFileError",
    "TerritoryError",
    "UnknownNameError",
    "__version__",
    "area_km2",
    "areas_km2",
    "neighbours",
    "region",
    "region_code",
    "region_name",
    "regions",
    "ukraine",
]
