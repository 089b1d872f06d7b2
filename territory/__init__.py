"""territory: who holds which part of Ukraine, and what each proposed settlement would change.

Functions over GeoDataFrames: regions, control snapshots, settlement scenarios resolved
into zones, statistics, diffs and maps.

Examples
--------
>>> import territory
>>> zones = territory.resolve("us-russia-draft")          # on the newest shipped snapshot
>>> table = territory.stats(zones).set_index("region")
>>> float(table.loc["UA-14", "russia_share"])
1.0
"""

from __future__ import annotations

from territory._places import place, places, places_within
from territory._regions import (
    ARTICLE_REGIONS,
    neighbours,
    region,
    region_code,
    region_name,
    regions,
    ukraine,
)
from territory._resolve import ZONE_COLUMNS, band_along_line, resolve, zones_of
from territory._scenarios import Scenario, ScenarioError, load_scenarios, scenario, scenarios
from territory._snapshots import (
    SHIPPED_SNAPSHOTS,
    Snapshot,
    line_of_contact,
    make_snapshot,
    snapshots,
)
from territory._stats import Diff, demilitarised_towns, diff, stats, totals
from territory.errors import InputFileError, TerritoryError, UnknownNameError
from territory.export import EXPORT_FORMATS, OutputError, export_zones
from territory.geodesy import area_km2, areas_km2
from territory.history import History
from territory.importers import read_histories, read_history, read_snapshot, snapshot

# Classes defined in the private modules are the package's: name them so in reprs,
# tracebacks and pickles.
for _public in (Diff, Scenario, ScenarioError, Snapshot):
    _public.__module__ = "territory"
del _public

# The map functions load folium, which the numbers do not need: import them on first use.
_RENDER_NAMES = (
    "map_html",
    "render_comparison",
    "render_scenario",
    "save_map",
    "static_figure",
)


def __getattr__(name: str) -> object:
    if name in _RENDER_NAMES:
        # Keeps `import territory` light: folium loads only when a map is drawn.
        from territory import render

        return getattr(render, name)
    raise AttributeError(f"module 'territory' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "ARTICLE_REGIONS",
    "EXPORT_FORMATS",
    "SHIPPED_SNAPSHOTS",
    "ZONE_COLUMNS",
    "Diff",
    "History",
    "InputFileError",
    "OutputError",
    "Scenario",
    "ScenarioError",
    "Snapshot",
    "TerritoryError",
    "UnknownNameError",
    "__version__",
    "area_km2",
    "areas_km2",
    "band_along_line",
    "demilitarised_towns",
    "diff",
    "export_zones",
    "line_of_contact",
    "load_scenarios",
    "make_snapshot",
    "map_html",
    "neighbours",
    "place",
    "places",
    "places_within",
    "read_histories",
    "read_history",
    "read_snapshot",
    "region",
    "region_code",
    "region_name",
    "regions",
    "render_comparison",
    "render_scenario",
    "resolve",
    "save_map",
    "scenario",
    "scenarios",
    "snapshot",
    "snapshots",
    "static_figure",
    "stats",
    "totals",
    "ukraine",
    "zones_of",
]
