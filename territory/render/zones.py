"""Step: the zones of every scenario, one switchable layer each, shapes shared.

Each scenario's zones become rows of attributes that point into the map's shape table
(:class:`territory.render.encode.GeometryTable`), so a region several scenarios leave the
same is stored once. The page builds a scenario's layer when it is first shown.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import shapely

from territory._regions import units
from territory._resolve import ZONE_COLUMNS
from territory._scenarios import Scenario
from territory._stats import demilitarised_of, snapshot_date_of, snapshot_of, total_record
from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.encode import runs, shape_keys
from territory.render.symbols import STYLE, labels
from territory.words import word

__all__ = [
    "FIELDS",
    "ZoneDraft",
    "add_zone_frames",
    "add_zones",
    "scenario_record",
    "zone_draft",
]

#: The attributes of a zone on the page, in the order of each row: the zones contract
#: without the scenario (one layer per scenario) and with the geometry as a shape id.
# The snapshot is the same for every zone of a page: given once, not per zone.
FIELDS = ("shape", *(c for c in ZONE_COLUMNS if c not in ("scenario", "snapshot", "geometry")))


def _area_text(area: Any, lang: str = "en") -> str:
    """A sub-area in words, for the panel's list of rules."""
    if area is None:
        return ""
    if area.is_band:
        side = word(f"side_{area.side}", lang)
        return word("area_band", lang, km=f"{area.along_line_km:g}", side=side)
    if area.file is not None:
        return word("area_file", lang, name=area.file.name)
    around = area.around if isinstance(area.around, str) else "{:.3f}, {:.3f}".format(*area.around)
    return word("area_circle", lang, km=f"{area.radius_km:g}", around=around)


def _rule_record(rule: Any, lang: str = "en") -> dict[str, Any]:
    return {
        "regions": list(rule.regions),
        "area": _area_text(rule.area, lang),
        "control": rule.control,
        "line": str(rule.line or ""),
        "recognition": rule.recognition,
        "recognised_by": list(rule.recognised_by),
        "demilitarised": rule.demilitarised,
        "label": rule.label,
        "claim": rule.claim,
    }


def _text(value: Any) -> str:
    """A zone's text value; empty for a missing one (None, NaN) of zones read back."""
    return "" if value is None or value != value else str(value)


_ORDER = ("region", "control_after", "control_now", "held_since", "change", "recognition", "label")
_TEXT = ("region", "region_name", "control_now", "held_since", "control_after", "change")


def _zone_rows(
    m: TerritoryMap, zones: gpd.GeoDataFrame, lang: str = "en", keys: list[bytes] | None = None
) -> list[list[Any]]:
    """One row per zone in ``FIELDS`` order, sorted so that the page is the same for the
    same zones (plain Python: tens of rows, where pandas' sorting costs more than the rows).
    ``keys``: the zones' :func:`~territory.render.encode.shape_keys`, when made already."""
    # Each column as a list first: reading a pandas column value by value costs more.
    text = {c: [_text(v) for v in zones[c].tolist()] for c in (*_TEXT, "recognition", "label")}
    if lang != "en":  # the region's name in the page's language
        names = region_names(lang)
        text["region_name"] = [
            names.get(r, n) for r, n in zip(text["region"], text["region_name"], strict=True)
        ]
    flags = [bool(v) for v in demilitarised_of(zones).tolist()]
    areas = [round(float(v), 1) for v in zones["area_km2"].tolist()]
    geometries = zones.geometry.values
    if keys is None:  # each shape's WKB, made for all the zones at once
        keys = shapely.to_wkb(geometries).tolist()
    order = sorted(range(len(zones)), key=lambda i: tuple(text[c][i] for c in _ORDER))
    return [
        [
            m.shapes.add(geometries[i], keys[i]),
            *(text[c][i] for c in _TEXT),
            text["recognition"][i],
            flags[i],
            text["label"][i],
            areas[i],
        ]
        for i in order
    ]


def scenario_record(
    m: TerritoryMap, scenario: Scenario, zones: gpd.GeoDataFrame, lang: str = "en"
) -> dict:
    """A scenario's texts (in ``lang`` where the scenario has them, else in English), rules
    and zone rows (adding its shapes to the map's table)."""
    return {
        "id": scenario.id,
        "title": scenario.text("title", lang),
        "summary": scenario.text("summary", lang),
        "notes": list(scenario.notes),
        "source": {str(k): str(v) for k, v in sorted(scenario.source.items())},
        "rules": [_rule_record(rule, lang) for rule in scenario.rules],
        "totals": _totals(zones),
        "zones": _zone_rows(m, zones, lang),
    }


def region_names(lang: str = "en") -> dict[str, str]:
    """Each unit's name as the page writes it (``"Donetsk"``, ``"Донецька область"``).

    Examples
    --------
    >>> region_names("uk")["UA-14"], region_names()["UA-14"]
    ('Донецька область', 'Donetsk')
    """

    table = units().set_index("iso")
    return {str(k): str(v) for k, v in table["name_uk" if lang == "uk" else "name"].items()}


#: The panel's figures, in the order a history page's frames list them.
TOTAL_FIELDS = ("russia", "ukraine", "contested", "to_russia", "to_ukraine", "demilitarised", "all")


def _totals(zones: gpd.GeoDataFrame) -> dict[str, float]:
    """The panel's figures: :func:`territory.totals`' row (the page adds nothing up)."""
    row: dict[str, Any] = total_record(zones)
    out = {name: round(float(row[f"{name}_km2"]), 2) for name in TOTAL_FIELDS[:-1]}
    out["all"] = round(float(row["area_km2"]), 2)
    return out


@dataclasses.dataclass(frozen=True)
class ZoneDraft:
    """What a history page takes from one scenario's zones on one date, made where the
    zones were resolved: the panel's figures and a key for each zone's shape."""

    totals: dict[str, float]
    keys: list[bytes]


def zone_draft(zones: gpd.GeoDataFrame, made: dict[int, bytes] | None = None) -> ZoneDraft:
    """The :class:`ZoneDraft` of some zones. ``made``: the keys of the geometries keyed so
    far, by object (the scenarios of one date share many), added to."""
    return ZoneDraft(_totals(zones), shape_keys(zones.geometry.values, made))


def _totals_since(
    totals: list[dict[str, float]], before: list[dict[str, float] | None]
) -> list[list[float] | int | None]:
    """A frame's figures of each scenario: None when they are the frame before's, the index
    of an earlier scenario whose figures in this frame are the same (a freeze and the line
    itself, say), else the numbers in the order of :data:`TOTAL_FIELDS`.

    Examples
    --------
    >>> a, b = {name: 1.0 for name in TOTAL_FIELDS}, {name: 2.0 for name in TOTAL_FIELDS}
    >>> _totals_since([a, b, b], [a, None, None])
    [None, [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], 1]
    """
    out: list[list[float] | int | None] = []
    for i, (now, then) in enumerate(zip(totals, before, strict=True)):
        if now == then:
            out.append(None)
            continue
        same = next((j for j in range(i) if totals[j] == now), None)
        out.append(same if same is not None else [now[name] for name in TOTAL_FIELDS])
    return out


def _region_table(zones: gpd.GeoDataFrame, lang: str = "en") -> dict[str, list[Any]]:
    names = region_names(lang)
    areas = zones.groupby("region")["area_km2"].sum()
    return {
        str(code): [str(names.get(code, code)), round(float(areas.get(code, 0.0)), 1)]
        for code in sorted(set(names) | set(areas.index))
    }


def add_zones(
    m: TerritoryMap,
    resolved: Sequence[tuple[Scenario, gpd.GeoDataFrame]],
    *,
    active: str | None = None,
    right: str | None = None,
    lang: str = "en",
) -> RuntimeCall:
    """Step: every scenario's zones; the ``active`` one (default: the first) is shown.

    Parameters
    ----------
    m : TerritoryMap
    resolved : sequence of (Scenario, zones)
        Zones as :func:`territory.resolve` returns them, all on one snapshot.
    active, right : str, optional
        Scenario ids shown first, and on the right of the swipe view.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> from territory import resolve
    >>> from territory import scenario
    >>> pair = [(scenario(i), resolve(i, "2022-02-23")) for i in ("freeze", "pre-invasion")]
    >>> step = add_zones(base_map(), pair)
    >>> [s["id"] for s in step.payload["scenarios"]], step.payload["active"]
    (['freeze', 'pre-invasion'], 'freeze')
    """
    if not resolved:
        raise ValueError("no scenarios to draw")
    first = resolved[0][1]
    ids = [scenario.id for scenario, _ in resolved]
    payload = {
        "snapshot": {
            "name": snapshot_of(first),
            "date": snapshot_date_of(first),
        },
        "active": active or ids[0],
        "right": right or ids[min(1, len(ids) - 1)],
        "fields": list(FIELDS),
        "words": labels(lang),
        "regions": _region_table(first, lang),
        "style": {
            k: STYLE[k]
            for k in ("fill", "fill_opacity", "edge", "contested_edge", "change", "demilitarised")
        },
        "scenarios": [scenario_record(m, scenario, zones, lang) for scenario, zones in resolved],
    }
    step = RuntimeCall("zones", payload)
    m.add_child(step)
    return step


#: The text fields of a zone row, written in a frame as indices into the page's vocabulary.
_FRAME_TEXT = tuple(f for f in FIELDS if f not in ("shape", "demilitarised", "area_km2"))


def _frame_rows(
    m: TerritoryMap,
    zones: gpd.GeoDataFrame,
    vocabulary: dict[str, int],
    lang: str = "en",
    keys: list[bytes] | None = None,
) -> list[list[Any]]:
    """Zone rows as :func:`_zone_rows` writes them, each text an index into ``vocabulary``
    (a history page repeats the same few words thousands of times)."""
    rows = _zone_rows(m, zones, lang, keys)
    text = [FIELDS.index(f) for f in _FRAME_TEXT]
    for row in rows:
        for i in text:
            row[i] = vocabulary.setdefault(row[i], len(vocabulary))
    return rows


def _since(rows: list[list[Any]], before: list[list[Any]]) -> list[Any]:
    """A frame's rows of one scenario as what changed from the frame before: a row drawn as
    before is the index of that row there, and three or more such rows in a row, as the
    rows before them, ``[index, count]``; a row that differs only in its shape and area
    (the same zone, where the line moved) is ``[index, shape, area]``; other rows whole.

    Examples
    --------
    >>> _since([[1, "a", 5.0], [2, "b", 7.0], [3, "c", 1.0], [4, "b", 9.0]],
    ...        [[2, "b", 7.0], [1, "a", 5.0], [8, "c", 2.0]])
    [1, 0, [2, 3, 1.0], [0, 4, 9.0]]
    >>> before = [[1, "a", 5.0], [2, "b", 6.0], [3, "c", 7.0]]
    >>> _since([*before, [4, "d", 8.0]], before)
    [[0, 3], [4, 'd', 8.0]]
    """
    assert FIELDS[0] == "shape" and FIELDS[-1] == "area_km2"
    where = {repr(row): i for i, row in enumerate(before)}
    alike = {repr(row[1:-1]): i for i, row in enumerate(before)}
    out: list[Any] = []
    for row in rows:
        same = where.get(repr(row))
        moved = alike.get(repr(row[1:-1]))
        if same is not None:
            out.append(same)
        elif moved is not None:
            out.append([moved, row[0], row[-1]])
        else:
            out.append(row)
    return _index_runs(out)


def _index_runs(items: list[Any]) -> list[Any]:
    """``items`` with each stretch of indices written as :func:`~territory.render.encode.runs`
    writes arc references (``[index, count]`` for three or more in a row)."""
    out: list[Any] = []
    for is_index, group in itertools.groupby(items, key=lambda item: isinstance(item, int)):
        written = list(group)
        out.extend(runs(written) if is_index else written)
    return out


def add_zone_frames(
    m: TerritoryMap,
    frames: Sequence[Sequence[tuple[Scenario, gpd.GeoDataFrame]]],
    *,
    active: str | None = None,
    right: str | None = None,
    lang: str = "en",
    drafts: Sequence[Sequence[ZoneDraft]] | None = None,
) -> RuntimeCall:
    """Step: every scenario's zones on each date of a history, for the time slider.

    ``frames`` holds, oldest first, each date's (Scenario, zones) pairs, the same scenarios
    in the same order on every date. The page opens on the last date; the slider step
    (:func:`territory.render.controls.add_timeline`) moves between them. Each frame holds
    what changed from the frame before (see :func:`_since`). ``drafts``: each date's
    :func:`zone_draft` of each scenario's zones, when made already (where they were
    resolved, on another core).

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> from territory import resolve, scenario
    >>> frames = [[(scenario("freeze"), resolve("freeze", day))]
    ...           for day in ("2022-02-23", "2025-08-08")]
    >>> step = add_zone_frames(base_map(), frames)
    >>> [f["date"] for f in step.payload["frames"]]
    ['2022-02-23', '2025-08-08']
    """
    if not frames or not frames[-1]:
        raise ValueError("no dates or no scenarios to draw")
    last = frames[-1]
    step = add_zones(m, last, active=active, right=right, lang=lang)
    vocabulary: dict[str, int] = {}
    payload = step.payload
    for record in payload["scenarios"]:  # the frames hold every date's zones, the last too
        del record["zones"], record["totals"]
    payload["frames"] = []
    before: list[list[list[Any]]] = [[] for _ in last]
    totals_before: list[dict[str, float] | None] = [None for _ in last]
    for i, pairs in enumerate(frames):
        made = drafts[i] if drafts is not None else [zone_draft(zones) for _, zones in pairs]
        rows = [
            _frame_rows(m, zones, vocabulary, lang, draft.keys)
            for (_, zones), draft in zip(pairs, made, strict=True)
        ]
        totals = [draft.totals for draft in made]
        payload["frames"].append(
            {
                "name": snapshot_of(pairs[0][1]),
                "date": snapshot_date_of(pairs[0][1]),
                "totals": _totals_since(totals, totals_before),
                "zones": [_since(now, then) for now, then in zip(rows, before, strict=True)],
            }
        )
        before, totals_before = rows, list(totals)
    payload["total_fields"] = list(TOTAL_FIELDS)
    payload["vocabulary"] = list(vocabulary)
    payload["frame"] = len(frames) - 1
    return step
