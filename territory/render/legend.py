"""Step: a categorical legend that reads without colour, and the SVG fill patterns.

The legend is HTML written in Python (every label escaped); the page moves it into a
Leaflet control. The same hidden SVG holds the patterns the zones refer to.
"""

from __future__ import annotations

from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.safe import html_text
from territory.render.symbols import CATEGORIES, STYLE, legend_label, pattern_defs
from territory.words import word

__all__ = ["add_legend", "legend_html", "swatch"]

_W, _H = 24, 14


def _svg(body: str) -> str:
    return (
        f'<svg width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" aria-hidden="true">{body}</svg>'
    )


def swatch(key: str, kind: str) -> str:
    """A small SVG showing how one legend category is drawn.

    Examples
    --------
    >>> "url(#terr-pattern-de_jure)" in swatch("de_jure", "pattern")
    True
    """
    fill, opacity = STYLE["fill"], STYLE["fill_opacity"]
    if kind == "fill":
        dash = ' stroke-dasharray="4 3"' if key == "contested" else ""
        edge = STYLE["contested_edge"] if key == "contested" else "#777777"
        return _svg(
            f'<rect x="1" y="1" width="{_W - 2}" height="{_H - 2}" fill="{fill[key]}" '
            f'fill-opacity="{opacity[key]}" stroke="{edge}"{dash}/>'
        )
    if kind == "pattern":
        return _svg(
            f'<rect x="1" y="1" width="{_W - 2}" height="{_H - 2}" '
            f'fill="url(#terr-pattern-{key})" fill-opacity="{opacity["russia"]}" '
            'stroke="#777777"/>'
        )
    if kind == "change":
        look = STYLE["change"][key]
        return _svg(
            f'<rect x="2" y="2" width="{_W - 4}" height="{_H - 4}" fill="{look["color"]}" '
            f'fill-opacity="{look["fill_opacity"]}" '
            f'stroke="{look["color"]}" stroke-width="{look["weight"] - 1}" '
            f'stroke-dasharray="{look["dash"]}" stroke-linecap="round"/>'
        )
    if kind == "overlay":
        look = STYLE["demilitarised"]
        return _svg(
            f'<rect x="1" y="1" width="{_W - 2}" height="{_H - 2}" fill="{fill["ukraine"]}" '
            f'fill-opacity="{opacity["ukraine"]}"/>'
            f'<rect x="2" y="2" width="{_W - 4}" height="{_H - 4}" '
            f'fill="url(#terr-pattern-{key})" stroke="{look["color"]}" stroke-width="2"/>'
        )
    if kind == "line":
        look = STYLE["line"]
        return _svg(
            f'<line x1="1" y1="{_H / 2}" x2="{_W - 1}" y2="{_H / 2}" '
            f'stroke="{look["color"]}" stroke-width="{look["weight"]}"/>'
        )
    look = STYLE["places"][key]
    radius = min(look["radius"] + 1, _H / 2 - 1)
    return _svg(
        f'<circle cx="{_W / 2}" cy="{_H / 2}" r="{radius}" fill="{look["fill"]}" '
        f'stroke="{look["color"]}" stroke-width="{look["weight"]}"/>'
    )


def legend_html(element_id: str, *, line_label: str = "Line of contact", lang: str = "en") -> str:
    """The legend's HTML (hidden until the page places it) with the pattern definitions.

    Examples
    --------
    >>> text = legend_html("legend_1")
    >>> "Russian control recognised de jure" in text, "<pattern" in text
    (True, True)
    """
    items = []
    for key, _, kind in CATEGORIES:
        text = line_label if key == "line" else legend_label(key, lang)
        items.append(
            f'<li data-category="{key}">{swatch(key, kind)}<span>{html_text(text)}</span></li>'
        )
    return (
        f'<svg class="terr-patterns" aria-hidden="true" focusable="false">{pattern_defs()}</svg>'
        f'<div class="terr-legend leaflet-control" id="{html_text(element_id)}" hidden>'
        '<h3><button type="button" class="terr-legend-toggle" aria-expanded="false">'
        f"{html_text(word('legend', lang))}</button></h3><ul>{''.join(items)}</ul></div>"
    )


def add_legend(
    m: TerritoryMap, *, line_label: str = "Line of contact", lang: str = "en"
) -> RuntimeCall:
    """Step: the legend, placed at the bottom right of the map.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> step = add_legend(base_map())
    >>> step.payload["id"] in step.html
    True
    """
    step = RuntimeCall("legend", {})
    element_id = f"legend-{step.get_name()}"
    step._payload = {"id": element_id}
    step.html = legend_html(element_id, line_label=line_label, lang=lang)
    m.add_child(step)
    return step
