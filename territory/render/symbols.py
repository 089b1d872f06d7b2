"""How each category looks: one palette for the map, the legend and the printed PNG.

Colours are from the Okabe–Ito palette, which stays distinct for the common forms of
colour blindness: pale yellow for Ukrainian control, vermillion for Russian, grey for
contested ground, on a grey-blue sea. Nothing relies on colour alone: recognition is a
fill pattern (dots for de facto, diagonal hatching for de jure), contested ground has a
dashed edge, the two directions of change are outlined with different dash patterns, and
demilitarised ground is striped across (bluish green, with a solid edge) over its fill.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CATEGORIES",
    "LABELS",
    "PATTERNS",
    "STYLE",
    "blend",
    "flat_fill",
    "labels",
    "legend_label",
    "pattern_defs",
]

SEA = "#c9dbe6"
LAND = "#ecebe6"
BORDER = "#a0a0a0"

STYLE: dict[str, Any] = {
    "fill": {"ukraine": "#F0E442", "russia": "#D55E00", "contested": "#999999"},
    "fill_opacity": {"ukraine": 0.3, "russia": 0.62, "contested": 0.6},
    "edge": "#ffffff",
    "contested_edge": "#333333",
    "change": {
        "to_russia": {"color": "#CC79A7", "weight": 4, "dash": "9 5", "fill_opacity": 0.45},
        "to_ukraine": {"color": "#0072B2", "weight": 4, "dash": "2 7", "fill_opacity": 0.35},
    },
    "demilitarised": {"color": "#009E73", "weight": 2.5},
    "line": {"color": "#000000", "weight": 2},
    "places": {
        "town": {"color": "#1a1a1a", "fill": "#ffffff", "weight": 1.5, "radius": 3},
        "site": {"color": "#000000", "fill": "#F0E442", "weight": 2, "radius": 7},
    },
    "land": LAND,
    "border": BORDER,
    "sea": SEA,
}

#: SVG patterns by recognition, and the stripes drawn over demilitarised ground; their ids
#: are ``terr-pattern-<key>``.
PATTERNS: dict[str, str] = {
    "de_facto": (
        '<pattern id="terr-pattern-de_facto" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="{fill}"/>'
        '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/></pattern>'
    ),
    "de_jure": (
        '<pattern id="terr-pattern-de_jure" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="{fill}"/>'
        '<rect width="2.2" height="6" fill="#1a1a1a"/></pattern>'
    ),
    # Horizontal stripes on a clear ground, over whatever fill the zone has.
    "demilitarised": (
        '<pattern id="terr-pattern-demilitarised" width="7" height="7" '
        'patternUnits="userSpaceOnUse"><rect y="2.5" width="7" height="2" fill="#009E73"/>'
        "</pattern>"
    ),
}

#: Legend entries in reading order: (key, label, kind of swatch).
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("ukraine", "Ukrainian control", "fill"),
    ("russia", "Russian control, not recognised", "fill"),
    ("de_facto", "Russian control recognised de facto (dots)", "pattern"),
    ("de_jure", "Russian control recognised de jure (hatched)", "pattern"),
    ("contested", "Contested (dashed edge)", "fill"),
    ("to_russia", "Passes to Russia (long dashes)", "change"),
    ("to_ukraine", "Returns to Ukraine (dots)", "change"),
    ("demilitarised", "Demilitarised (horizontal stripes)", "overlay"),
    ("line", "Line of contact", "line"),
    ("town", "Town of 100,000 people or more", "place"),
    ("site", "Key site (nuclear plant, dam)", "place"),
)


#: The words for each value of the zones' columns and of a rule's ``control``, as the page's
#: tooltips and panel write them (the page receives this table; it holds no words of its own).
LABELS: dict[str, dict[str, str]] = {
    "control": {
        "ukraine": "Ukrainian control",
        "russia": "Russian control",
        "contested": "Contested",
    },
    "recognition": {"none": "", "de_facto": "recognised de facto", "de_jure": "recognised de jure"},
    "change": {"none": "", "to_russia": "passes to Russia", "to_ukraine": "returns to Ukraine"},
    "demilitarised": {
        "all": "demilitarised",
        "handed-over": "the ground handed over demilitarised",
        "zone": "Demilitarised under this scenario",
    },
    "rule": {
        "keep": "stay where the line is",
        "russia": "Russian control",
        "ukraine": "Ukrainian control",
        "contested": "contested",
        "line": "as on the line of",
    },
}


def blend(colour: str, under: str, opacity: float) -> str:
    """``colour`` at ``opacity`` over ``under`` as one opaque colour (``#rrggbb``).

    Examples
    --------
    >>> blend("#000000", "#ffffff", 0.5)
    '#808080'
    """
    top, bottom = bytes.fromhex(colour.lstrip("#")), bytes.fromhex(under.lstrip("#"))
    mixed = (round(opacity * t + (1 - opacity) * b) for t, b in zip(top, bottom, strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def flat_fill(control: str) -> str:
    """The colour the page shows for a control value: its fill at its opacity over the
    land. Print figures fill with it, so that the two look alike.

    Examples
    --------
    >>> flat_fill("ukraine"), flat_fill("russia")
    ('#ede9b5', '#de9457')
    """
    fill, opacity = STYLE["fill"].get(control, "#cccccc"), STYLE["fill_opacity"].get(control, 1)
    return blend(fill, STYLE["land"], opacity)


#: The legend's words in Ukrainian, by category.
CATEGORY_LABELS_UK = {
    "ukraine": "Контроль України",
    "russia": "Контроль Росії, не визнаний",
    "de_facto": "Контроль Росії, визнаний де-факто (крапки)",
    "de_jure": "Контроль Росії, визнаний де-юре (штрихування)",
    "contested": "Спірна територія (пунктирний край)",
    "to_russia": "Переходить до Росії (довгі штрихи)",
    "to_ukraine": "Повертається Україні (крапки)",
    "demilitarised": "Демілітаризована (горизонтальні смуги)",
    "line": "Лінія зіткнення",
    "town": "Місто з населенням від 100\u00a0000",
    "site": "Ключовий об'єкт (атомна станція, дамба)",
}

#: :data:`LABELS` in Ukrainian.
LABELS_UK: dict[str, dict[str, str]] = {
    "control": {"ukraine": "Контроль України", "russia": "Контроль Росії", "contested": "Спірна"},
    "recognition": {"none": "", "de_facto": "визнаний де-факто", "de_jure": "визнаний де-юре"},
    "change": {
        "none": "",
        "to_russia": "переходить до Росії",
        "to_ukraine": "повертається Україні",
    },
    "demilitarised": {
        "all": "демілітаризована",
        "handed-over": "передана територія демілітаризована",
        "zone": "Демілітаризована за цим сценарієм",
    },
    "rule": {
        "keep": "залишається там, де лінія",
        "russia": "контроль Росії",
        "ukraine": "контроль України",
        "contested": "спірна",
        "line": "як на лінії",
    },
}


def labels(lang: str = "en") -> dict[str, dict[str, str]]:
    """:data:`LABELS` in ``lang`` (``"en"`` or ``"uk"``).

    Examples
    --------
    >>> labels("uk")["change"]["to_russia"]
    'переходить до Росії'
    """
    return LABELS_UK if lang == "uk" else LABELS


def legend_label(key: str, lang: str = "en") -> str:
    """The legend's words for a category, the same on the page and in print.

    Examples
    --------
    >>> legend_label("de_jure")
    'Russian control recognised de jure (hatched)'
    >>> legend_label("de_jure", "uk")
    'Контроль Росії, визнаний де-юре (штрихування)'
    """
    if lang == "uk":
        return CATEGORY_LABELS_UK[key]
    return next(label for k, label, _ in CATEGORIES if k == key)


def pattern_defs() -> str:
    """The SVG ``<defs>`` holding every fill pattern, for one hidden SVG in the page.

    Examples
    --------
    >>> defs = pattern_defs()
    >>> "terr-pattern-de_jure" in defs and "terr-pattern-de_facto" in defs
    True
    """
    russia = STYLE["fill"]["russia"]
    patterns = "".join(p.format(fill=russia) for p in PATTERNS.values())
    return f"<defs>{patterns}</defs>"
