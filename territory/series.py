"""Series over the dates of a history: who held how much of each region, and what a
scenario would move, date by date.

Each date's numbers are those of loading that date alone (its map reconciled with our
outlines). A source's maps change a little from one date to the next, so the shares of
each region are computed date after date, each from the one before: the map is compared
edge by edge with the date before's, reconciliation is redone only around what changed, and
each unit is measured again only within a window around it. A map redrawn all over is
reconciled afresh. Histories of many dates are spread over the machine's cores, each
taking a run of consecutive dates.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from territory._regions import regions
from territory._scenarios import Scenario, scenario
from territory._snapshots import Snapshot
from territory.figures import plain_text
from territory.history import History, parse_date
from territory.progress import Progress, step, wait_reporting, worker_queue
from territory.rates import with_rates  # the km² a day between dates, beside the shares
from territory.reconcile import Trace
from territory.vocabulary import TOTAL

__all__ = [
    "EVERY",
    "chart",
    "held_km2",
    "pick",
    "pick_dates",
    "price_over_time",
    "shares_over_time",
    "with_rates",
]

#: How to thin the dates of a history: every date, one a week, one a month (the last date
#: of each week or month is kept, so the newest date is always in).
EVERY = ("day", "week", "month")
_PARALLEL_FROM = 8  # dates: below this, one process is quicker than starting workers


def pick_dates(
    history: History,
    *,
    every: str = "day",
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
) -> list[dt.date]:
    """The dates of a history to compute, oldest first.

    Examples
    --------
    >>> import datetime as dt, geopandas as gpd
    >>> days = [dt.date(2025, 7, 30) + dt.timedelta(days=i) for i in range(10)]
    >>> history = History("x", "test", {d: gpd.GeoDataFrame() for d in days})
    >>> pick_dates(history, every="week")
    [datetime.date(2025, 8, 3), datetime.date(2025, 8, 8)]
    >>> pick_dates(history, every="month")
    [datetime.date(2025, 7, 31), datetime.date(2025, 8, 8)]
    """
    return pick(history.dates, every=every, start=start, end=end)


def pick(
    held: list[dt.date],
    *,
    every: str = "day",
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
) -> list[dt.date]:
    """The dates to compute of those held (oldest first), as :func:`pick_dates` picks them;
    what :func:`territory.read_history` takes as ``pick`` to parse only those."""
    if every not in EVERY:
        from territory.errors import TerritoryError

        raise TerritoryError(f"unknown step {every!r}: use one of {', '.join(EVERY)}")
    first = parse_date(start) or dt.date.min
    last = parse_date(end) or dt.date.max
    dates = [d for d in held if first <= d <= last]
    if every == "day":
        return dates
    keys = {
        "week": lambda d: d.isocalendar()[:2],
        "month": lambda d: (d.year, d.month),
    }[every]
    newest: dict[Any, dt.date] = {}
    for day in dates:
        newest[keys(day)] = day
    return sorted(newest.values())


def shares_over_time(
    history: History,
    dates: Iterable[dt.date] | None = None,
    *,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Russian-held and contested km² and share of each region, for each date.

    A tidy table: one row per date and region that any of the dates has held ground in,
    then one row per date for all of Ukraine (``region`` = ``UA``). Columns ``date``,
    ``region``, ``region_name``, ``area_km2``, ``russia_km2``, ``russia_share``,
    ``contested_km2``, ``contested_share``.

    Each date's numbers are those of that date loaded alone, reconciled with our outlines
    (to float noise, far below the 0.01 km² shown), computed from the date before's where
    the maps differ (see the module's description). A unit's area is its own geodesic area
    (as :func:`~territory.regions` gives it), never less than the ground held in it.
    ``progress`` is told of each date done (see :mod:`territory.progress`).
    """
    chosen = list(dates) if dates is not None else history.dates
    units = regions()
    km2 = _chained(history, chosen, progress)
    russia = np.array([k[0] for k in km2]).reshape(len(chosen), len(units))
    contested = np.array([k[1] for k in km2]).reshape(len(chosen), len(units))
    held = (russia + contested).sum(axis=0) > 0
    codes = [*units["region"].to_numpy()[held].tolist(), TOTAL]
    names = [*units["region_name"].to_numpy()[held].tolist(), "Ukraine"]
    unit_area = units["area_km2"].to_numpy()
    rows = []
    for i, day in enumerate(chosen):
        # A unit's area never falls below what is held in it (they differ by float noise).
        area = np.maximum(unit_area, russia[i] + contested[i])
        columns = [
            np.append(values[held], values.sum()) for values in (area, russia[i], contested[i])
        ]
        for code, name, whole, taken, grey in zip(codes, names, *columns, strict=True):
            rows.append((day, code, name, whole, taken, taken / whole, grey, grey / whole))
    names_out = ["date", "region", "region_name", "area_km2"]
    names_out += ["russia_km2", "russia_share", "contested_km2", "contested_share"]
    table = pd.DataFrame(rows, columns=names_out)
    km2_columns = ["area_km2", "russia_km2", "contested_km2"]
    table[km2_columns] = table[km2_columns].round(2)
    table[["russia_share", "contested_share"]] = table[["russia_share", "contested_share"]].round(6)
    return table


# --- shares date after date -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Link:
    """One date of a chain: its ground as drawn, what reconciling it found, and the km² in
    each unit (rows: Russian-held, contested) of the ground as drawn and of the artefacts
    given to each side."""

    russia: Any
    grey: Any
    trace: Trace | None
    drawn_km2: np.ndarray
    given_km2: np.ndarray

    @property
    def km2(self) -> np.ndarray:
        """Reconciled km² in each unit: rows Russian-held, contested."""
        return self.drawn_km2 + self.given_km2


def _chained(
    history: History,
    dates: list[dt.date],
    progress: Progress | None = None,
    read: Callable[[_Link, str], Any] | None = None,
) -> list[Any]:
    """What ``read`` takes from each date's link of the chain (by default the Russian-held
    and contested km² in each unit, and how the date was found); on several cores when
    there are many dates, each worker taking a run of consecutive dates."""
    frames = [history.frames[day] for day in dates]
    workers = min(len(dates) // _PARALLEL_FROM, os.cpu_count() or 1, 4)
    if workers < 2:
        return _chain(frames, history.reconcile_outlines, progress, read)
    bounds = np.linspace(0, len(frames), workers + 1).round().astype(int).tolist()
    runs = [frames[a:b] for a, b in itertools.pairwise(bounds)]
    with (
        worker_queue(progress) as channel,
        concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool,
    ):
        told = channel.put if channel is not None else None
        reconcile_outlines = history.reconcile_outlines
        jobs = [pool.submit(_chain, run, reconcile_outlines, told, read) for run in runs]
        wait_reporting(jobs, channel, progress)
        return [value for job in jobs for value in job.result()]


def _chain(
    frames: list[Any],
    reconcile_outlines: bool,
    progress: Progress | None = None,
    read: Callable[[_Link, str], Any] | None = None,
) -> list[Any]:
    """For each frame, in order, what ``read`` takes from its link and how it was found:
    ``afresh``, ``followed`` (from the date before) or ``same`` (as it). By default
    (Russian-held km², contested km², how), each km² by unit."""
    from territory._snapshots import _Drawn

    read = read or _km2_and_how
    out = []
    link: _Link | None = None
    for frame in frames:
        link, how = _next(link, _Drawn(frame), reconcile_outlines)
        out.append(read(link, how))
        step(progress)
    return out


def _km2_and_how(link: _Link, how: str) -> tuple[np.ndarray, np.ndarray, str]:
    russia, contested = link.km2
    return russia, contested, how


def _next(link: _Link | None, drawn: Any, reconcile_outlines: bool) -> tuple[_Link, str]:
    """The next date of a chain, from the date before where it can be (see
    :func:`territory.reconcile._reconcile`): a unit is measured again only where a change
    reaches it, and the artefacts only when they changed."""
    import shapely

    from territory._regions import ukraine
    from territory.reconcile import NEAR_DEG, _reconcile

    if link is None or (reconcile_outlines and link.trace is None):
        trace = _reconcile(drawn.russia, drawn.grey, ukraine()) if reconcile_outlines else None
        measured = _drawn_km2(drawn, None), _given_km2(trace, None)
        return _Link(drawn.russia, drawn.grey, trace, *measured), "afresh"
    try:
        (russia_moved, russia_edges), (grey_moved, grey_edges) = (
            _changed(drawn.russia, link.russia),
            _changed(drawn.grey, link.grey),
        )
    except _Redrawn:  # a map redrawn all over: quicker reconciled afresh
        return _next(None, drawn, reconcile_outlines)
    changed = np.concatenate([russia_moved, grey_moved])
    if not len(changed):
        return dataclasses.replace(link, russia=drawn.russia, grey=drawn.grey), "same"
    _, units = _units()
    drawn_km2 = link.drawn_km2.copy()
    reached = np.unique(units.query(np.concatenate([russia_edges, grey_edges]), "intersects")[1])
    drawn_km2[:, reached] = _drawn_km2(drawn, reached)
    trace, given_km2 = link.trace, link.given_km2
    if reconcile_outlines and link.trace is not None:
        trace = _reconcile(drawn.russia, drawn.grey, ukraine(), before=(link.trace, changed))
        if trace is None:  # nothing held any more
            return _next(None, drawn, reconcile_outlines)
        if trace.grey != link.trace.grey:  # the artefacts, or their sides, changed
            zones = shapely.buffer(changed, NEAR_DEG) if trace.touched is None else trace.touched
            reached = np.unique(units.query(zones, predicate="intersects")[1])
            given_km2 = given_km2.copy()
            given_km2[:, reached] = _given_km2(trace, reached)
    return _Link(drawn.russia, drawn.grey, trace, drawn_km2, given_km2), "followed"


def held_km2(frame: Any, reconcile_outlines: bool = True) -> tuple[Any, Any, dict[str, float]]:
    """Russian-held and contested km² in each of Ukraine's units (in the order of
    :func:`~territory.regions`) of one map, reconciled with our outlines, and the km² of
    reconciled ground by unit: what loading the map gives, without its tags of 2014 and
    2022 or its pieces by region (the totals agree with :meth:`Snapshot.shares` to float
    noise; for a map of many thousands of polygons, a fraction of the time)."""
    from territory._snapshots import _Drawn

    link, _ = _next(None, _Drawn(frame), reconcile_outlines)
    russia, contested = link.km2
    if link.trace is None or link.trace.reassigned.is_empty:
        return russia, contested, {}
    km2 = _unit_km2(link.trace.reassigned)  # as reassigned_by_region, part by part if many
    codes = regions()["region"].tolist()
    found = {codes[i]: round(float(km2[i]), 2) for i in np.flatnonzero(km2 >= 0.005)}
    return russia, contested, dict(sorted(found.items(), key=lambda item: -item[1]))


def _drawn_km2(drawn: Any, among: np.ndarray | None) -> np.ndarray:
    """km² of the ground as drawn in each unit (or in the units ``among``): rows
    Russian-held, contested."""
    return np.array([_unit_km2(drawn.russia, among), _unit_km2(drawn.grey, among)])


def _given_km2(trace: Trace | None, among: np.ndarray | None) -> np.ndarray:
    """km² of the artefacts given to each side in each unit (or in the units ``among``).

    Measured apart from the ground as drawn: the two meet only along shared edges, which
    cancel out of a geodesic area, so the country's held ground is never merged again."""
    if trace is None:
        return np.zeros((2, len(_units()[0]) if among is None else len(among)))
    return np.array([_unit_km2(trace.to_russia, among), _unit_km2(trace.to_grey, among)])


#: The share of a map's edges that may differ from the date before's for the date to be
#: taken from it; past that the map was redrawn (every vertex moved), not edited.
_REDRAWN = 0.2


class _Redrawn(Exception):
    """A map differs from the date before's almost everywhere."""


def _changed(new: Any, old: Any) -> tuple[np.ndarray, np.ndarray]:
    """The polygons where ``new`` and ``old`` differ, and boxes around the edges that
    differ: found by comparing their edges, then overlaid only around those (the rest of a
    map is the date before's)."""
    import shapely

    from territory.geometry import polygonal

    none = np.empty(0, dtype=object)
    if new.is_empty and old.is_empty:
        return none, none
    new_edges, old_edges = _edges(new), _edges(old)
    ends = _differing(new_edges, old_edges)
    if not len(ends):
        return none, none
    if len(ends) > _REDRAWN * (len(new_edges) + len(old_edges)):
        raise _Redrawn
    pad = 0.002  # degrees: the overlay's window keeps clear of every differing edge
    xmin, ymin = np.minimum(ends[:, 0], ends[:, 2]) - pad, np.minimum(ends[:, 1], ends[:, 3]) - pad
    xmax, ymax = np.maximum(ends[:, 0], ends[:, 2]) + pad, np.maximum(ends[:, 1], ends[:, 3]) + pad
    boxes = shapely.box(xmin, ymin, xmax, ymax)
    region = shapely.union_all(boxes)
    parts = shapely.get_parts(
        polygonal(
            shapely.symmetric_difference(
                shapely.intersection(new, region), shapely.intersection(old, region)
            )
        )
    )
    return parts[~shapely.is_empty(parts)], boxes


def _edges(geometry: Any) -> np.ndarray:
    """The edges of a polygonal geometry as rows ``x0, y0, x1, y1``, the western end first
    (the southern where they tie), so that an edge reads the same either way round."""
    import shapely

    rings = shapely.get_rings(shapely.get_parts(geometry))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    swap = ((a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1])))[:, None]
    return np.hstack([np.where(swap, b, a), np.where(swap, a, b)])


def _differing(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """The edges (rows) found in one of two sets and not in the other, as often: the two
    sorted together, a run of equal rows matches when it holds as many of each.

    Examples
    --------
    >>> a = np.array([[0.0, 0, 1, 1], [1, 1, 2, 0]])
    >>> _differing(a, np.array([[1.0, 1, 2, 0], [1, 1, 3, 3]])).tolist()
    [[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 3.0, 3.0]]
    """
    rows = np.concatenate([new, old])
    side = np.repeat([1.0, -1.0], [len(new), len(old)])
    order = np.lexsort(rows.T[::-1])
    rows, side = rows[order], side[order]
    starts = np.r_[True, (rows[1:] != rows[:-1]).any(axis=1)] if len(rows) else np.zeros(0, bool)
    run = np.cumsum(starts) - 1
    unmatched = np.bincount(run, weights=side) != 0 if len(rows) else np.zeros(0, bool)
    return rows[unmatched[run]] if len(rows) else rows


def _unit_km2(geometry: Any, among: np.ndarray | None = None) -> np.ndarray:
    """Geodesic km² of ``geometry`` in each of Ukraine's units (in the order of regions()),
    or in the units ``among`` (indices) only.

    Of a geometry of many parts, those that lie inside one unit are measured as they are,
    and only those across a unit's edge are cut."""
    import shapely

    from territory.geodesy import areas_km2
    from territory.geometry import MANY_PARTS, polygonal

    geoms, tree = _units()
    chosen = np.arange(len(geoms)) if among is None else among
    km2 = np.zeros(len(chosen))
    if geometry.is_empty or not len(chosen):
        return km2
    parts = shapely.get_parts(geometry)
    if len(parts) < MANY_PARTS:
        hits = np.isin(chosen, tree.query(geometry, predicate="intersects"))
        pieces = shapely.intersection(geoms[chosen[hits]], geometry)
        km2[hits] = areas_km2([polygonal(piece) for piece in pieces])
        return km2
    part, unit = tree.query(parts, predicate="intersects")
    position = {int(u): i for i, u in enumerate(chosen)}
    wanted = np.isin(unit, chosen)
    part, unit = part[wanted], unit[wanted]
    crossing = np.zeros(len(parts), dtype=bool)
    inside = np.zeros(len(part), dtype=bool)
    for u in np.unique(unit):
        mine = unit == u
        inside[mine] = shapely.contains_properly(_prepared_unit(int(u)), parts[part[mine]])
    crossing[part[~inside]] = True
    whole = part[inside & ~crossing[part]]
    np.add.at(
        km2, [position[int(u)] for u in unit[inside & ~crossing[part]]], areas_km2(parts[whole])
    )
    for u in np.unique(unit[~inside]):
        cut = shapely.intersection(
            geoms[u], shapely.multipolygons(parts[part[(unit == u) & crossing[part]]])
        )
        km2[position[int(u)]] += float(areas_km2([polygonal(cut)])[0])
    return km2


@functools.cache
def _prepared_unit(index: int) -> Any:
    import shapely

    unit = shapely.from_wkb(shapely.to_wkb(_units()[0][index]))  # a copy, prepared
    shapely.prepare(unit)
    return unit


@functools.cache
def _units() -> tuple[np.ndarray, Any]:
    import shapely

    geoms = regions().geometry.to_numpy()
    return geoms, shapely.STRtree(geoms)


def price_over_time(
    history: History,
    scen: Scenario | str,
    dates: Iterable[dt.date] | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a scenario would move on each date, against that date's line.

    Returns
    -------
    by_region : DataFrame
        ``date``, ``region``, ``region_name``, ``to_russia_km2``, ``to_ukraine_km2``: one row
        per date and region where anything moves, then ``UA`` for all of Ukraine.
    towns : DataFrame
        ``date``, ``name``, ``region``, ``population``, ``change``, ``demilitarised``: the
        towns of 10,000 or more (pre-war population) that would change hands on each date,
        and those the scenario would demilitarise (``change`` is ``none`` for a town that
        stays on its side).

    ``progress`` is told of each date done (see :mod:`territory.progress`).
    """
    found = scenario(scen)
    chosen = list(dates) if dates is not None else history.dates
    results = _map(_price_on, history, chosen, found, progress=progress)
    by_region = pd.concat([r[0] for r in results], ignore_index=True)
    towns = pd.concat([r[1] for r in results], ignore_index=True)
    return by_region, towns


def _price_on(snap: Snapshot, day: dt.date, scen: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    from territory._resolve import resolve
    from territory._stats import diff, with_totals

    change = diff(resolve("status-quo", snap), resolve(scen, snap))
    by_region = with_totals(change.by_region, change.totals)
    by_region.insert(0, "date", day)
    columns = ["name", "region", "population", "change", "demilitarised"]
    towns = change.all_towns().reindex(columns=columns)
    towns = towns.sort_values("population", ascending=False, kind="stable")
    towns.insert(0, "date", day)
    return by_region, towns.reset_index(drop=True)


def _map(
    work: Callable[..., Any],
    history: History,
    dates: list[dt.date],
    *args: Any,
    progress: Progress | None = None,
) -> list[Any]:
    """``work(snapshot, date, *args)`` for each date, in order; on several cores if many.

    Dates whose map is the same as an earlier one's (sources often repeat a day's map)
    are computed once (and reported done at once).
    """
    first_of: dict[bytes, dt.date] = {}
    same_as = {day: first_of.setdefault(_fingerprint(history.frames[day]), day) for day in dates}
    distinct = sorted(set(same_as.values()))
    step(progress, len(dates) - len(distinct))
    workers = min(len(distinct), os.cpu_count() or 1, 4)
    if len(distinct) < _PARALLEL_FROM or workers < 2:
        done = dict(_work_chunk(work, history, distinct, args, progress))
    else:
        with (
            worker_queue(progress) as channel,
            concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool,
        ):
            told = channel.put if channel is not None else None
            chunks = [distinct[i::workers] for i in range(workers)]
            jobs = [pool.submit(_work_chunk, work, history, c, args, told) for c in chunks]
            wait_reporting(jobs, channel, progress)
            done = {day: result for job in jobs for day, result in job.result()}
    return [_redated(done[same_as[day]], day) for day in dates]


def _fingerprint(frame: Any) -> bytes:
    import hashlib

    import shapely

    digest = hashlib.sha256()
    for control, since, geometry in zip(
        frame["control"], frame["held_since"], frame.geometry.values, strict=True
    ):
        digest.update(f"{control}|{since}|".encode())
        digest.update(shapely.to_wkb(shapely.normalize(geometry)))
    return digest.digest()


def _redated(result: Any, day: dt.date) -> Any:
    """A result computed for an identical map of another date, given this date."""
    if isinstance(result, tuple):
        return tuple(_redated(part, day) for part in result)
    return result.assign(date=day)


def _work_chunk(
    work: Callable[..., Any],
    history: History,
    dates: list[dt.date],
    args: tuple,
    progress: Progress | None = None,
) -> list[tuple[dt.date, Any]]:
    out = []
    for day in dates:
        out.append((day, work(history.snapshot(day), day, *args)))
        step(progress)
    return out


@plain_text
def chart(
    series: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    regions: Iterable[str] | None = None,
    title: str = "Share of each region held by Russia",
    credit: str = "",
) -> Path:
    """Draw the Russian-held share of regions over time to a PNG, SVG or PDF (atomically).

    By default every region that Russia held at least 1% of on some date, up to eight,
    each line labelled at its end with the region's name and its last share.
    """
    from matplotlib.figure import Figure

    from territory.export import atomic_path

    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg", "pdf"):
        from territory.errors import TerritoryError

        raise TerritoryError(f"{path}: a chart is written as .png, .svg or .pdf")
    table = series[series["region"] != TOTAL]
    if regions is None:
        peak = table.groupby("region")["russia_share"].max()
        last = table.sort_values("date").groupby("region")["russia_share"].last()
        chosen = last[peak >= _CHART_MIN_SHARE].sort_values(ascending=False)
        regions = list(chosen.index[:_CHART_MAX_LINES])
    figure = Figure(figsize=(8, 4.8))  # no pyplot: the caller's backend is left alone
    _draw_chart(figure, figure.add_subplot(), table, list(regions), title, credit)
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format=kind, dpi=150)
    return path


def _draw_chart(
    figure: Any, axes: Any, table: pd.DataFrame, regions: list[str], title: str, credit: str
) -> None:
    import matplotlib.dates

    ends = []
    for i, code in enumerate(regions):
        rows = table[table["region"] == code].sort_values("date")
        if rows.empty:
            continue
        colour = _CHART_COLOURS[i % len(_CHART_COLOURS)]
        shares = rows["russia_share"] * 100
        axes.plot(pd.to_datetime(rows["date"]), shares, color=colour, linewidth=1.8)
        ends.append(
            [float(shares.iat[-1]), f"{rows['region_name'].iat[0]} {shares.iat[-1]:.0f}%", colour]
        )
    _label_ends(axes, ends, pd.to_datetime(table["date"]).max())
    first, last_day = table["date"].min(), table["date"].max()
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=18)
    axes.text(
        0, 1.02, f"{first} to {last_day}", transform=axes.transAxes, fontsize=9, color="#555555"
    )
    locator = matplotlib.dates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    axes.set_ylim(0, 105)
    axes.set_ylabel("% of the region's area")
    axes.grid(axis="y", color="#e3e3e3")
    axes.spines[["top", "right"]].set_visible(False)
    note = "Made with Natural Earth" + (f". {credit}" if credit else "")
    figure.text(0.01, 0.01, note, fontsize=7, color="#555555")
    figure.tight_layout(rect=(0, 0.03, 0.84, 1))


_CHART_MIN_SHARE = 0.01
_CHART_MAX_LINES = 8
_CHART_COLOURS = (
    "#b2182b",
    "#d6604d",
    "#8c510a",
    "#35978f",
    "#01665e",
    "#542788",
    "#4d4d4d",
    "#878787",
)


def _label_ends(axes: Any, ends: list[list[Any]], at: Any) -> None:
    """Name each line at its right end, nudging labels apart so that none overlap."""
    gap = 5.0  # percentage points between labels
    ends.sort(key=lambda end: -end[0])
    placed: list[float] = []
    for value, _, _ in ends:
        y = min(value, placed[-1] - gap) if placed else value
        placed.append(y)
    if placed:  # keep the lowest off the axis, pushing up only the labels it then meets
        placed[-1] = max(placed[-1], gap / 2)
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = max(placed[i], placed[i + 1] + gap)
    for (value, text, colour), y in zip(ends, placed, strict=True):
        axes.annotate(
            text,
            xy=(at, value),
            xytext=(8, 0),
            textcoords="offset points",
            xycoords=("data", "data"),
            va="center",
            fontsize=8,
            color=colour,
            annotation_clip=False,
        )
        if abs(y - value) > 0.01:
            axes.texts[-1].xyann = (8, (y - value) * axes.bbox.height / 105 * 72 / axes.figure.dpi)
