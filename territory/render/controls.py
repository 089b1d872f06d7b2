"""Steps: the scenario switcher with the overlay toggles, the swipe view, and the time
slider of a history page.

The switcher is radio-style: one scenario is shown at a time. The swipe view shows two
scenarios left and right of a divider the reader drags; the page clips two Leaflet panes
with CSS ``clip-path`` as the divider or the map moves.
"""

from __future__ import annotations

from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall

__all__ = ["add_swipe", "add_switcher", "add_timeline"]


def add_switcher(
    m: TerritoryMap,
    *,
    line_label: str = "Line of contact",
    places_label: str = "Key sites and towns",
) -> RuntimeCall:
    """Step: the scenario switcher and the toggles of the overlays.

    Must follow the zones step (and the line and places steps, to get their toggles).

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> add_switcher(base_map()).script_text("m")
    'Territory.switcher(m, {"line_label":"Line of contact","places_label":"Key sites and towns"});'
    """
    step = RuntimeCall("switcher", {"line_label": line_label, "places_label": places_label})
    m.add_child(step)
    return step


def add_swipe(
    m: TerritoryMap,
    *,
    left: str | None = None,
    right: str | None = None,
    on: bool = False,
    at: list[float] | None = None,
) -> RuntimeCall:
    """Step: the swipe view of two scenarios (off until the reader turns it on, unless ``on``),
    its divider first over ``at`` ([lat, lon]: where the two differ) when given.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> add_swipe(base_map(), left="freeze", right="putin-demands").payload
    {'left': 'freeze', 'right': 'putin-demands'}
    >>> add_swipe(base_map(), left="freeze", right="putin-demands", on=True).payload["on"]
    True
    """
    payload: dict[str, object] = {"left": left or "", "right": right or ""}
    if on:  # absent when off: pages that open without it stay as they were
        payload["on"] = True
    if at is not None:
        payload["at"] = at
    step = RuntimeCall("swipe", payload)
    m.add_child(step)
    return step


def add_timeline(m: TerritoryMap, dates: list[str]) -> RuntimeCall:
    """Step: the time slider of a history page: the date in large type, a slider over the
    dates, play and pause, and a step back and forward (the arrow keys move the slider).

    Must follow the zone and line frames (:func:`territory.render.zones.add_zone_frames`).

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> add_timeline(base_map(), ["2025-07-01", "2025-08-01"]).payload["dates"]
    ['2025-07-01', '2025-08-01']
    """
    step = RuntimeCall("timeline", {"dates": list(dates)})
    m.add_child(step)
    return step
