"""Step: the zones of every scenario, one switchable layer each, shapes shared.

Each scenario's zones become rows of attributes that point into the map's shape table
(:class:`territory.render.encode.GeometryTable`), so a region several scenarios leave the
same is stored once. The page builds a scenario's layer when it is first shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import geopandas as gpd

from territory._scenarios import Scenario
from territory._stats import snapshot_date_of, snapshot_of
from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.encode import runs
from territory.render.rows import (
    FIELDS,
    TOTAL_FIELDS,
    ZoneDraft,
    placed_rows,
    zone_draft,
    zones_payload,
)

__all__ = ["add_zone_frames", "add_zones"]


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


def add_zones(
    m: TerritoryMap,
    resolved: Sequence[tuple[Scenario, gpd.GeoDataFrame]],
    *,
    active: str | None = None,
    right: str | None = None,
    lang: str = "en",
    drafts: Sequence[ZoneDraft] | None = None,
) -> RuntimeCall:
    """Step: every scenario's zones; the ``active`` one (default: the first) is shown.

    Parameters
    ----------
    m : TerritoryMap
    resolved : sequence of (Scenario, zones)
        Zones as :func:`territory.resolve` returns them, all on one snapshot.
    active, right : str, optional
        Scenario ids shown first, and on the right of the swipe view.
    drafts : sequence of ZoneDraft, optional
        Each scenario's :func:`~territory.render.rows.zone_draft`, for a page in ``lang``,
        when made already.

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
    payload = zones_payload(
        m.shapes, resolved, active=active, right=right, lang=lang, drafts=drafts
    )
    step = RuntimeCall("zones", payload)
    m.add_child(step)
    return step


#: The text fields of a zone row, written in a frame as indices into the page's vocabulary.
_FRAME_TEXT = tuple(f for f in FIELDS if f not in ("shape", "demilitarised", "area_km2"))


def _frame_rows(
    m: TerritoryMap,
    zones: gpd.GeoDataFrame,
    vocabulary: dict[str, int],
    draft: ZoneDraft,
) -> list[list[Any]]:
    """Zone rows as :func:`~territory.render.rows.zone_rows` writes them (from their
    ``draft``), each text an index into ``vocabulary`` (a history page repeats the same few
    words thousands of times)."""
    rows = placed_rows(m.shapes, zones.geometry.values, draft.keys, draft.rows)
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
    :func:`~territory.render.rows.zone_draft` of each scenario's zones, for a page in
    ``lang``, when made already (where they were resolved, on another core).

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
    if drafts is None:
        drafts = [[zone_draft(zones, lang=lang) for _, zones in pairs] for pairs in frames]
    # The last date's rows are made once, from its drafts, and left to its frame.
    step = add_zones(m, last, active=active, right=right, lang=lang, drafts=drafts[-1])
    vocabulary: dict[str, int] = {}
    payload = step.payload
    for record in payload["scenarios"]:  # the frames hold every date's zones, the last too
        del record["zones"], record["totals"]
    payload["frames"] = []
    before: list[list[list[Any]]] = [[] for _ in last]
    totals_before: list[dict[str, float] | None] = [None for _ in last]
    for i, pairs in enumerate(frames):
        made = drafts[i]
        rows = [
            _frame_rows(m, zones, vocabulary, draft)
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
