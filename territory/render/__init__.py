"""Offline Leaflet maps of zones: one self-contained HTML file compares scenarios.

Only this subpackage imports folium. A map is built in small steps, each a module that
adds one element and can be rendered alone: :mod:`~territory.render.base` (the map and
land), :mod:`~territory.render.zones`, :mod:`~territory.render.line`,
:mod:`~territory.render.markers`, :mod:`~territory.render.legend`,
:mod:`~territory.render.panel` and :mod:`~territory.render.controls`. Assets are inlined
(:mod:`~territory.render.assets`), text is escaped (:mod:`~territory.render.safe`) and
element ids are deterministic (:mod:`~territory.render.determinism`), so the same input
gives the same bytes.
"""

from __future__ import annotations

from territory.render.base import ATTRIBUTION, TerritoryMap
from territory.render.figure import static_figure
from territory.render.page import (
    line_source,
    map_html,
    render_comparison,
    render_history,
    render_resolved,
    render_scenario,
    save_map,
)

__all__ = [
    "ATTRIBUTION",
    "TerritoryMap",
    "line_source",
    "map_html",
    "render_comparison",
    "render_history",
    "render_resolved",
    "render_scenario",
    "save_map",
    "static_figure",
]
