"""What each polygon of a front-line file means: Russian-held, contested, or left out.

Three vocabularies, tried in this order on every polygon of a file:

1. **Keys** at the end of a DeepState name, ``"<Ukrainian> /// <English> /// <key>"``
   (:data:`NAME_KEYS`): ``geoJSON.status.occupied``, with or without the ``geoJSON.``
   prefix, with odd spacing, a trailing newline, or a suffix such as
   ``geoJSON.status.dismissed_at {{at:27.03 - 29.03}}``.
2. **Labels** of the maps of 2022-2023 that carry no key (:data:`NAME_LABELS`):
   ``"Окуповано /// Occupied"``, ``"Статус невідомий /// Unknown status"``,
   ``"ОРДЛО /// CADR and CALR"``, ``"Occupied Crimea"``, ``"Звільнено /// Liberated"``.
3. **Fill colours** of DeepState's KML styles (:data:`FILLS`): ``#a52714`` occupied,
   ``#880e4f`` Crimea and ORDLO, ``#bcaaa4`` unknown, from a ``fill`` property or a
   ``styleUrl`` such as ``#poly-A52714-1200-87-nodesc``.

A file where no polygon speaks any of them is read by its columns: a ``control`` or
``status`` column may mark polygons contested (or Ukrainian: left out), a ``held_since``
column dates them; every other polygon is Russian-held (daily merged files, ISW exports).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pandas as pd

__all__ = ["FILLS", "NAME_KEYS", "NAME_LABELS", "Meaning", "label_rows", "name_key"]

#: ``(control, held_since)``; control None means "leave out" (ground Ukraine holds).
Meaning = tuple[str | None, str]

#: What a key at the end of a feature's ``name`` means. An empty ``held_since`` is decided
#: later from the pre-invasion snapshot. ``status.dismissed`` and ``status.liberated`` mark
#: ground Ukraine took back. Other ``territories.*`` keys mark satirical polygons outside
#: Ukraine (``territories.transnistria``, ``territories.prussia``): left out too.
NAME_KEYS: dict[str, Meaning] = {
    "status.occupied": ("russia", ""),
    "status.unknown": ("contested", ""),
    "status.dismissed": (None, ""),
    "status.liberated": (None, ""),
    "territories.ordlo": ("russia", "2014"),
    "territories.crimea": ("russia", "2014"),
    "territories.tuzla": ("russia", "2014"),
}

#: Labels of keyless maps, in English and Ukrainian, matched at the start of any part of
#: the name (``"Звільнено 25.03"`` is a liberation label too). Longest label first.
NAME_LABELS: dict[str, Meaning] = {
    "occupied crimea": ("russia", "2014"),
    "окупований крим": ("russia", "2014"),
    "cadr and calr": ("russia", "2014"),
    "ордло": ("russia", "2014"),
    "ordlo": ("russia", "2014"),
    "unknown status": ("contested", ""),
    "статус невідомий": ("contested", ""),
    "occupied": ("russia", ""),
    "окуповано": ("russia", ""),
    "окупована": ("russia", ""),
    "liberated": (None, ""),
    "звільнено": (None, ""),
    "звільнена": (None, ""),
}

#: DeepState's fill colours (lower case, no ``#``).
FILLS: dict[str, Meaning] = {
    "a52714": ("russia", ""),
    "880e4f": ("russia", "2014"),
    "bcaaa4": ("contested", ""),
    "ff5252": (None, ""),  # political areas outside Ukraine
}

_KEY = re.compile(r"^(?:geojson\.)?((?:status|territories)\.[a-z]+)")
_STYLE_FILL = re.compile(r"poly-([0-9a-f]{6})")
_HEX_FILL = re.compile(r"^#?([0-9a-f]{6})(?:[0-9a-f]{2})?$")

# Values of a ``control`` or ``status`` column, compared after casefolding and trimming.
_CONTESTED_VALUES = frozenset(
    (
        "contested",
        "grey",
        "gray",
        "grey zone",
        "gray zone",
        "greyzone",
        "grayzone",
        "grey_zone",
        "gray_zone",
        "status.unknown",
        "unknown",
    )
)
_UKRAINIAN_VALUES = frozenset(
    ("ukraine", "ukrainian", "liberated", "dismissed", "status.dismissed", "status.liberated")
)
_CONTROL_COLUMNS = ("control", "status")


def _visible(text: str) -> str:
    """Text without spaces of any kind (non-breaking, thin, zero-width) or case."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(c for c in normal if not c.isspace() and unicodedata.category(c) != "Cf")


def name_key(name: str) -> str:
    """The key at the end of a ``"<Ukrainian> /// <English> /// <key>"`` name, normalised.

    Spaces of any kind, newlines, case, the ``geoJSON.`` prefix and suffixes such as
    ``_at {{at:27.03}}`` are dropped. A name without a key gives its last part, normalised.

    Examples
    --------
    >>> name_key("Окупована територія /// Occupied\\u00a0territory ///\\n status.occupied ")
    'status.occupied'
    >>> name_key("ОРДЛО///ORDLO///Territories. ORDLO")
    'territories.ordlo'
    >>> name_key("Звільнено /// Liberated /// geoJSON.status.dismissed_at {{at:27.03 - 29.03}}\\n")
    'status.dismissed'
    """
    tail = _visible(name.rsplit("///", 1)[-1]).casefold()
    found = _KEY.match(tail)
    return found.group(1) if found else tail


def _from_key(name: str) -> Meaning | None:
    if "///" not in name and not _KEY.match(_visible(name).casefold()):
        return None
    key = name_key(name)
    if key in NAME_KEYS:
        return NAME_KEYS[key]
    if key.startswith("territories."):
        return (None, "")
    return None


def _from_label(name: str) -> Meaning | None:
    for part in name.split("///"):
        words = " ".join(unicodedata.normalize("NFKC", part).casefold().split())
        for label, meaning in NAME_LABELS.items():
            if words.startswith(label):
                return meaning
    return None


def _from_fill(fill: object, style: object) -> Meaning | None:
    for value, pattern in ((fill, _HEX_FILL), (style, _STYLE_FILL)):
        if isinstance(value, str):
            found = pattern.search(value.strip().casefold())
            if found and found.group(1) in FILLS:
                return FILLS[found.group(1)]
    return None


def _column(frame: pd.DataFrame, wanted: str) -> pd.Series | None:
    for column in frame.columns:
        if str(column).lower() == wanted and column != getattr(frame, "_geometry_column_name", ""):
            return frame[column]
    return None


def _text(values: pd.Series | None, index: pd.Index) -> list[str]:
    if values is None:
        return [""] * len(index)
    return ["" if not isinstance(v, str) else v for v in values]


def label_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, str, list[str]]:
    """``control`` and ``held_since`` of every row, the layout used, and unknown names.

    ``control`` is ``russia``, ``contested``, or None for rows to leave out. The unknown
    names, one per row, are empty except for rows a DeepState map marks with no key, label
    or fill we know (left out too).

    Examples
    --------
    >>> rows = pd.DataFrame({"name": ["Окуповано /// Occupied", "Звільнено /// Liberated"]})
    >>> labels, layout, unknown = label_rows(rows)
    >>> labels["control"].tolist(), layout
    (['russia', None], 'DeepState map, status from name labels')
    """
    names = _text(_column(frame, "name"), frame.index)
    fills = _text(_column(frame, "fill"), frame.index)
    styles = _text(_column(frame, "styleurl"), frame.index)
    readers: list[tuple[str, Callable[[int], Meaning | None]]] = [
        ("keys", lambda i: _from_key(names[i])),
        ("labels", lambda i: _from_label(names[i])),
        ("fill colours", lambda i: _from_fill(fills[i], styles[i])),
    ]
    meanings: list[Meaning | None] = [None] * len(frame)
    used = []
    for what, read in readers:
        found = 0
        seen: dict[tuple[str, str, str], Meaning | None] = {}  # rows repeat a few names
        for i in range(len(frame)):
            if meanings[i] is None:
                key = (names[i], fills[i], styles[i])
                if key not in seen:
                    seen[key] = read(i)
                meanings[i] = seen[key]
                found += meanings[i] is not None
        if found:
            used.append(what)
    if not used:
        return _labels_from_columns(frame)
    unknown = [
        (names[i] or fills[i] or "(no name)") if m is None else "" for i, m in enumerate(meanings)
    ]
    labels = pd.DataFrame(
        {
            "control": pd.Series(
                [m[0] if m else None for m in meanings], index=frame.index, dtype=object
            ),
            "held_since": [m[1] if m else "" for m in meanings],
        },
        index=frame.index,
    )
    return labels, f"DeepState map, status from name {' and '.join(used)}", unknown


def _labels_from_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, str, list[str]]:
    found = (_column(frame, wanted) for wanted in _CONTROL_COLUMNS)
    column = next((c for c in found if c is not None), None)
    statuses = column if column is not None else pd.Series(None, index=frame.index, dtype=object)
    held = _column(frame, "held_since")
    labels = pd.DataFrame(
        {
            "control": statuses.map(_control_from_value),
            "held_since": held.map(_held_since_tag) if held is not None else "",
        },
        index=frame.index,
    )
    unknown = [""] * len(frame)
    if column is None:
        return labels, "every polygon Russian-held", unknown
    return labels, f"status from column {column.name!r}", unknown


def _control_from_value(value: object) -> str | None:
    """``russia`` unless the value says contested (or Ukrainian: None, left out)."""
    text = "" if value is None or pd.isna(value) else str(value).strip().casefold()
    if text in _CONTESTED_VALUES:
        return "contested"
    if text in _UKRAINIAN_VALUES:
        return None
    return "russia"


def _held_since_tag(value: object) -> str:
    """``2014`` for any year before 2022, ``2022`` from then on, empty when there is no year."""
    if value is None or pd.isna(value):
        return ""
    match = re.match(r"\s*(\d{4})", str(value))
    if not match:
        return ""
    return "2014" if int(match.group(1)) < 2022 else "2022"
