"""Offline Leaflet maps of zones: one self-contained HTML file compares scenarios.

Only this subpackage imports folium, and only when a name that needs it is first used: a
comparison's data (:func:`prepare`) is made without it, on another core while it loads. A
map is built in small steps, each a module that adds one element and can be rendered alone:
:mod:`~territory.render.base` (the map and land), :mod:`~territory.render.zones`,
:mod:`~territory.render.line`, :mod:`~territory.render.markers`,
:mod:`~territory.render.legend`, :mod:`~territory.render.panel` and
:mod:`~territory.render.controls`. Assets are inlined (:mod:`~territory.render.assets`),
text is escaped (:mod:`~territory.render.safe`) and element ids are deterministic
(:mod:`~territory.render.determinism`), so the same input gives the same bytes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from territory.render.base import ATTRIBUTION, TerritoryMap
    from territory.render.credits import line_source
    from territory.render.figure import static_figure
    from territory.render.page import (
        map_html,
        render_comparison,
        render_history,
        render_prepared,
        render_scenario,
        save_map,
    )
    from territory.render.prepared import Prepared, prepare

#: Each name this package gives, and the module it comes from (imported when first asked).
_SOURCES = {
    "ATTRIBUTION": "base",
    "TerritoryMap": "base",
    "static_figure": "figure",
    "line_source": "credits",
    "map_html": "page",
    "render_comparison": "page",
    "render_history": "page",
    "render_prepared": "page",
    "render_scenario": "page",
    "save_map": "page",
    "Prepared": "prepared",
    "prepare": "prepared",
}


def __getattr__(name: str) -> object:
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module 'territory.render' has no attribute {name!r}")
    return getattr(importlib.import_module(f"territory.render.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_SOURCES])


__all__ = [
    "ATTRIBUTION",
    "Prepared",
    "TerritoryMap",
    "line_source",
    "map_html",
    "prepare",
    "render_comparison",
    "render_history",
    "render_prepared",
    "render_scenario",
    "save_map",
    "static_figure",
]
