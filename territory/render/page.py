"""The pages: one date, a comparison of scenarios, a history with a time slider; each
assembled from the same steps by one builder (:func:`_assemble`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import folium
import geopandas as gpd
import numpy as np
import shapely

from territory._resolve import resolve, resolve_each
from territory._scenarios import Scenario
from territory._scenarios import scenario as find_scenario
from territory._scenarios import scenarios as all_scenarios
from territory._snapshots import Snapshot
from territory.cores import kept_apart
from territory.errors import TerritoryError
from territory.export import write_text
from territory.history import History
from territory.importers import snapshot as find_snapshot
from territory.pool import map_dates
from territory.progress import Progress
from territory.render.base import TerritoryMap, add_land
from territory.render.controls import add_swipe, add_switcher, add_timeline
from territory.render.credits import history_source, line_source
from territory.render.determinism import deterministic_ids, seed_of
from territory.render.element import RuntimeCall
from territory.render.encode import ZONE_DECIMALS, GeometryTable, rounded
from territory.render.legend import add_legend
from territory.render.line import add_line, add_line_frames, line_label
from territory.render.markers import add_places
from territory.render.moves import Moved, add_frame_moves, moved_between, total_held_km2
from territory.render.panel import add_panel
from territory.render.prepared import Prepared, affected_regions, language, prepare, sides
from territory.render.rows import ZoneDraft, zone_draft
from territory.render.sketch import add_sketch, sketch_assets
from territory.render.zones import add_zone_frames
from territory.series import pick_dates
from territory.words import word

__all__ = [
    "map_html",
    "render_comparison",
    "render_history",
    "render_prepared",
    "render_scenario",
    "save_map",
]


class _OnDate(NamedTuple):
    """What a history page takes from one date, made on the core that resolved it."""

    snap: Snapshot
    #: Each scenario resolved on the date (zone shapes handed back before left out).
    resolved: list[tuple[Scenario, gpd.GeoDataFrame]]
    drafts: list[ZoneDraft]
    #: The regions the scenarios' zones touch.
    touched: list[str]
    #: What moved between this date and the one this worker did just before it, as
    #: (earlier date, later date, what moved), when that one was next to it.
    moved: tuple[dt.date, dt.date, Moved] | None
    #: The km² of Russian-held ground (:func:`~territory.render.moves.total_held_km2`).
    held: float
    #: The zone shapes handed back, rounded for the page (by key; see
    #: :meth:`~territory.render.encode.GeometryTable.take_rounded`).
    rounded: dict[bytes, list[list[np.ndarray]]]


def _on_date(
    snap: Snapshot,
    day: dt.date,
    chosen: list[Scenario],
    sent: set[bytes],
    last: list[Snapshot],
    lang: str,
) -> _OnDate:
    """A history page's date: its snapshot, each scenario resolved on it, what the page
    takes from each scenario's zones, the regions they touch, and what moved from the date
    this worker did before (``last``: that date's snapshot, replaced by this one), whichever
    way it goes through the dates (all made here, on the core that resolved the date).

    What is handed back is kept small, as it crosses from the worker's process to the
    page's: a zone whose shape this run of dates handed back before (``sent``, its keys,
    added to) comes without its geometry, put back by :func:`_with_shapes` (most of a
    region's zones are last week's); and the snapshot without its pieces by region, which
    the page does not use."""
    resolved = resolve_each(chosen, snap)
    made: dict[int, bytes] = {}
    drafts = [zone_draft(zones, made, lang) for _, zones in resolved]
    touched = affected_regions(resolved)
    shapes_rounded = {
        key: rounded(geometry)
        for (_, zones), draft in zip(resolved, drafts, strict=True)
        for key, geometry in zip(draft.keys, zones.geometry.values, strict=True)
        if key not in sent
    }
    slim = [
        (scenario, _without_shapes(zones, draft.keys, sent))
        for (scenario, zones), draft in zip(resolved, drafts, strict=True)
    ]
    moved = None
    then, now = (last[0].date if last else None), snap.date
    if then is not None and now is not None and then != now:
        if then < now:
            moved = (then, now, moved_between(last[0], snap))
        else:  # this worker goes through its dates backwards
            moved = (now, then, moved_between(snap, last[0]))
    last[:] = [snap]
    return _OnDate(
        snap.without_pieces(), slim, drafts, touched, moved, total_held_km2(snap), shapes_rounded
    )


def _without_shapes(
    zones: gpd.GeoDataFrame, keys: list[bytes], sent: set[bytes]
) -> gpd.GeoDataFrame:
    """The zones with no geometry (None) where the shape's key is among ``sent``; the keys
    added to ``sent``."""
    repeated = np.array([key in sent for key in keys], dtype=bool)
    sent.update(keys)
    if not repeated.any():
        return zones
    slim = zones.copy()
    slim.geometry.values[np.flatnonzero(repeated)] = None
    return slim


def _with_shapes(drawn: list[_OnDate]) -> None:
    """Each date's zones of :func:`_on_date` given back the geometries handed back once
    (found by their keys), in place."""
    frames = [
        (zones.geometry.values, draft.keys)  # the frame's own array: filled in place
        for date in drawn
        for (_, zones), draft in zip(date.resolved, date.drafts, strict=True)
    ]
    shapes: dict[bytes, Any] = {}
    missing = []
    for geometries, keys in frames:
        values = np.asarray(geometries)
        absent = shapely.is_missing(values)
        if absent.any():
            missing.append((geometries, keys, np.flatnonzero(absent).tolist()))
        for i in np.flatnonzero(~absent).tolist():
            shapes.setdefault(keys[i], values[i])
    for geometries, keys, where in missing:
        geometries[where] = [shapes[keys[i]] for i in where]


def _own_zones(
    drawn: list[_OnDate],
) -> tuple[list[gpd.GeoDataFrame], list[list[bytes]]] | tuple[None, None]:
    """Each date's status quo, when the page resolved it (the dates' own zones), and their
    shapes' keys."""
    ids = [scenario.id for scenario, _ in drawn[0].resolved] if drawn else []
    if "status-quo" not in ids:
        return None, None
    at = ids.index("status-quo")
    return [date.resolved[at][1] for date in drawn], [date.drafts[at].keys for date in drawn]


class _Page(TerritoryMap):
    """A TerritoryMap that renders with deterministic element ids."""

    seed = "t"
    lang = "en"  # the page's <html lang>

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        with deterministic_ids(self.seed + "r"):
            super().render(**kwargs)


@dataclasses.dataclass
class _Plan:
    """What differs between the pages; :func:`_assemble` adds the same steps, in the same
    order, for all of them (one date, a comparison, a history)."""

    labelled: list[str]
    credit: str
    lang: str
    zones: Callable[[TerritoryMap], object]
    line: Callable[[TerritoryMap], object]
    line_label: str
    panel: dict[str, Any]
    #: The places step (its payload's label names the places' toggle).
    places: Callable[[TerritoryMap], RuntimeCall]
    #: The land's shapes, when the map's table holds them already.
    land: list[int] | None = None
    embed: bool = False
    timeline: Callable[[TerritoryMap], object] | None = None
    swipe: dict[str, Any] | None = None
    sketch: Callable[[TerritoryMap], object] | None = None


def _assemble(m: TerritoryMap, plan: _Plan) -> None:
    """The page's steps: land, zones, line, places, legend, panel, (time slider), switcher,
    (swipe view), (sketch)."""
    add_land(m, labelled=plan.labelled, credit=plan.credit, lang=plan.lang, shapes=plan.land)
    if plan.embed:
        m.add_child(RuntimeCall("embed", {}))
    plan.zones(m)
    plan.line(m)
    places_step = plan.places(m)
    add_legend(m, line_label=plan.line_label, lang=plan.lang)
    add_panel(m, lang=plan.lang, **plan.panel)
    if plan.timeline is not None:
        plan.timeline(m)
    add_switcher(m, line_label=plan.line_label, places_label=places_step.payload["label"])
    if plan.swipe is not None:
        add_swipe(m, **plan.swipe)
    if plan.sketch is not None:
        plan.sketch(m)


def _page(
    seed: str, tiles: str | None, title: str, lang: str, shapes: GeometryTable | None = None
) -> _Page:
    m = _Page(tiles=tiles, title=title, shapes=shapes)
    m.seed = seed
    m.lang = lang  # checked by the page's builder, before any work
    return m


def _added(m: TerritoryMap, function: str, payload: dict[str, Any]) -> RuntimeCall:
    """A step whose payload is made already (:class:`Prepared`), added to the map."""
    step = RuntimeCall(function, payload)
    m.add_child(step)
    return step


def _add_sketch(
    m: TerritoryMap, snap: Snapshot, line_zones: gpd.GeoDataFrame | None, lang: str
) -> None:
    """The sketch tools and their libraries, priced against the line itself (its zones,
    resolved here when the page has none)."""

    if line_zones is None:
        line_zones = resolve("status-quo", snap)
    root: Any = m.get_root()  # a branca Figure: has .header
    root.header.add_child(sketch_assets(), name="sketch_assets")
    add_sketch(m, snap, line_zones, lang=lang)


def render_comparison(
    scenarios: Iterable[Scenario | str | Path] | None = None,
    snapshot: Snapshot | str | Path | None = None,
    *,
    tiles: str | None = None,
    left: str | None = None,
    right: str | None = None,
    title: str | None = None,
    subtitle: str = "",
    swipe: bool = False,
    lang: str = "en",
    embed: bool = False,
    sketch: bool = False,
) -> folium.Map:
    """One offline map comparing scenarios: a switcher, a swipe view and what changes hands.

    Parameters
    ----------
    scenarios : iterable of Scenario or str, optional
        Scenarios or their ids; by default the article's seven.
    snapshot : Snapshot, str or Path, optional
        The line to resolve them on; by default the newest shipped snapshot.
    tiles : str, optional
        An ``xyzservices`` provider name (e.g. ``"CartoDB.Positron"``) for web tiles;
        without it the page loads nothing from the network.
    left, right : str, optional
        Scenario ids shown first (and on the left of the swipe view) and on its right.
    title : str, optional
        The page title.
    subtitle : str
        A line under the title.
    swipe : bool
        Open in the swipe view, ``left`` and ``right`` side by side (as ``territory
        compare -o`` does).
    lang : str
        ``"en"`` (the default) or ``"uk"``: the language of the place, region, country and
        sea names written on the map (Ukrainian names from the shipped sources).
    embed : bool
        For an ``<iframe>`` in an article: the title and a "Scenarios" button on one line
        at any width, everything else folded away, the map taking the rest.
    sketch : bool
        Let the reader draw a settlement, see its price against the line live and export it
        as a scenario file (:mod:`territory.render.sketch`); ``window.territorySketch``
        gives ``load``, ``summary`` and ``export`` to scripts and tests.

    Returns
    -------
    folium.Map
        Shows itself in Jupyter; write it with :func:`save_map`.
    """

    snap = find_snapshot(snapshot)
    chosen = list(scenarios) if scenarios is not None else all_scenarios()
    prepared = prepare(chosen, snap, lang=lang, left=left, right=right)
    return render_prepared(
        prepared,
        tiles=tiles,
        title=title,
        subtitle=subtitle,
        swipe=swipe,
        embed=embed,
        sketch=sketch,
    )


def render_prepared(
    prepared: Prepared,
    *,
    tiles: str | None = None,
    title: str | None = None,
    subtitle: str = "",
    swipe: bool = False,
    embed: bool = False,
    sketch: bool = False,
) -> folium.Map:
    """:func:`render_comparison` of a page's data made already
    (:func:`~territory.render.prepared.prepare`, with the options that shape the data: the
    language and the sides of the swipe view): the command line makes it on another core
    while this one imports folium.

    Examples
    --------
    >>> from territory import snapshot
    >>> from territory.render.prepared import prepare
    >>> line = snapshot()
    >>> m = render_prepared(prepare(["freeze"], line, lang="uk"))
    >>> map_html(m) == map_html(render_comparison(["freeze"], line, lang="uk"))
    True
    """
    title = title or word("title", prepared.lang)
    snap, lang, ids = prepared.snap, prepared.lang, prepared.ids
    left, right = prepared.left, prepared.right
    seed = seed_of(snap.name, *ids, title, tiles or "", lang)
    pair: dict[str, Any] | None = None
    if len(ids) > 1:
        pair = {"left": left, "right": right, "on": swipe, "at": prepared.change_point}
    plan = _Plan(
        labelled=prepared.labelled,
        credit=snap.credit,
        lang=lang,
        embed=embed,
        land=prepared.land,
        zones=lambda m: _added(m, "zones", prepared.zones),
        line=lambda m: add_line(m, snap, lang),
        line_label=line_label(snap, lang),
        places=lambda m: _added(m, "places", prepared.places),
        panel={
            "title": title,
            "date": snap.date,
            "snapshot_name": snap.name,
            "subtitle": subtitle,
            "line_source": line_source(snap, lang),
            "accuracy": snap.text("accuracy", lang),
        },
        swipe=pair,
        sketch=(lambda m: _add_sketch(m, snap, prepared.line_zones, lang)) if sketch else None,
    )
    with deterministic_ids(seed):
        # A copy of the prepared table: the sketch adds shapes to the page's.
        m = _page(seed, tiles, title, lang, prepared.shapes.copy())
        _assemble(m, plan)
    return m


def render_history(
    history: History,
    scenarios: Iterable[Scenario | str | Path] | None = None,
    *,
    dates: Iterable[dt.date] | None = None,
    every: str = "week",
    tiles: str | None = None,
    left: str | None = None,
    right: str | None = None,
    title: str | None = None,
    subtitle: str = "",
    lang: str = "en",
    progress: Progress | None = None,
) -> folium.Map:
    """One offline map of a history: a time slider over its dates, each scenario resolved
    on each date's line.

    Parameters
    ----------
    history : History
        Many dated lines (:func:`territory.read_history`, :func:`territory.read_histories`).
    scenarios : iterable of Scenario or str, optional
        By default every shipped scenario.
    dates : iterable of date, optional
        The dates to draw; by default the history's, thinned by ``every``.
    every : str
        ``"week"`` (the default: the last date of each week), ``"month"`` or ``"day"`` (all).
    tiles, left, right, title, subtitle, lang
        As for :func:`render_comparison`.
    progress : callable, optional
        Told of each date drawn (see :mod:`territory.progress`).

    Examples
    --------
    >>> import territory
    >>> from territory.history import History
    >>> days = {d: territory.snapshot(d).areas for d in ("2022-02-23", "2025-08-08")}
    >>> history = History("two lines", "shipped", {dt.date.fromisoformat(d): f
    ...                                            for d, f in days.items()})
    >>> m = render_history(history, ["status-quo"], every="day")
    >>> "Territory.timeline(" in map_html(m)
    True
    """

    days = list(dates) if dates is not None else pick_dates(history, every=every)
    if not days:
        raise TerritoryError(f"{history.name}: no dated map to draw")
    chosen = [
        item if isinstance(item, Scenario) else find_scenario(item)
        for item in (scenarios if scenarios is not None else all_scenarios())
    ]
    lang = language(lang)  # before the work: the rows are made in the page's language
    with kept_apart() as keep:
        drawn: list[_OnDate] = map_dates(
            _on_date, history, days, chosen, set(), [], lang, progress=progress, once=False
        )
        keep()
        return _history_page(history, days, drawn, left, right, title, subtitle, tiles, lang)


def _history_page(
    history: History,
    days: list[dt.date],
    drawn: list[_OnDate],
    left: str | None,
    right: str | None,
    title: str | None,
    subtitle: str,
    tiles: str | None,
    lang: str,
) -> folium.Map:
    """:func:`render_history`'s page of the dates drawn, its shapes' payload made."""
    _with_shapes(drawn)
    snaps = [date.snap for date in drawn]
    frames = [date.resolved for date in drawn]
    # What moved on each date since the date before, where a worker did both dates.
    index = {day: i for i, day in enumerate(days)}
    known = {
        index[later]: moved
        for earlier, later, moved in (date.moved for date in drawn if date.moved is not None)
        if index.get(later, 0) > 0 and days[index[later] - 1] == earlier
    }
    snap, resolved = snaps[-1], frames[-1]
    ids = [s.id for s, _ in resolved]
    left, right = sides(resolved, left, right)  # as on the last date
    title = title or word("title", lang)
    seed = seed_of(history.name, *[d.isoformat() for d in days], *ids, title, tiles or "")
    regions = sorted({code for date in drawn for code in date.touched})
    shown = word("line_toggle_shown", lang)

    def timeline(m: TerritoryMap) -> None:
        add_timeline(m, [s.date.isoformat() if s.date else s.name for s in snaps])
        add_frame_moves(m, snaps, lang, known, [date.held for date in drawn])

    plan = _Plan(
        labelled=[c for c in regions if c != "UA-40"],
        credit=history.credit,
        lang=lang,
        zones=lambda m: add_zone_frames(
            m, frames, active=left, right=right, lang=lang, drafts=[date.drafts for date in drawn]
        ),
        line=lambda m: add_line_frames(m, snaps, lang, *_own_zones(drawn)),
        line_label=shown,
        places=lambda m: add_places(m, None, (), lang=lang),
        panel={
            "title": title,
            "date": snap.date,
            "subtitle": subtitle,
            "line_source": history_source(history, lang),
            "dates": (days[0], days[-1], len(days)),
        },
        timeline=timeline,
        swipe={"left": left, "right": right} if len(resolved) > 1 else None,
    )
    table = GeometryTable()
    for date in drawn:
        table.take_rounded(date.rounded, ZONE_DECIMALS)
    with deterministic_ids(seed):
        m = _page(seed, tiles, title, lang, table)
        _assemble(m, plan)
    m.shapes.payload()  # the topology of thousands of shapes: made here, apart from the collector
    return m


def render_scenario(
    scenario: Scenario | str | Path,
    snapshot: Snapshot | str | Path | None = None,
    *,
    tiles: str | None = None,
    title: str | None = None,
) -> folium.Map:
    """An offline map of one scenario (no switcher choice, no swipe view).

    Examples
    --------
    >>> m = render_scenario("freeze", "2022-02-23")
    >>> "Territory.zones(" in map_html(m)
    True
    """
    return render_comparison([scenario], snapshot, tiles=tiles, title=title)


def map_html(m: folium.Map) -> str:
    """The page of a map as text (rendered with deterministic ids)."""
    seed = getattr(m, "seed", "t")
    with deterministic_ids(seed + "r"):
        page = m.get_root().render()
    # The language of the page, for screen readers and hyphenation (folium writes none).
    page = page.replace("<html>", f'<html lang="{getattr(m, "lang", "en")}">', 1)
    # The map is the page's main landmark; and a reader may zoom the page (folium's
    # viewport forbids it, which keeps readers with low vision out).
    page = page.replace('<div class="folium-map" ', '<div class="folium-map" role="main" ', 1)
    return _VIEWPORT.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />', page, 1
    )


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map's page to ``path`` atomically (a temporary file, then a rename).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = save_map(render_scenario("freeze", "2022-02-23"),
    ...                pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return write_text(map_html(m), Path(path))
