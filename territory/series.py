"""Series over the dates of a history: who held how much of each region, and what a
scenario would move, date by date.

Each date is computed exactly as loading that date alone would compute it (its snapshot,
reconciled with our outlines); histories of many dates are spread over the machine's cores.
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
from territory.geometry import without
from territory.history import History, parse_date
from territory.reconcile import Trace

__all__ = ["EVERY", "chart", "pick_dates", "price_over_time", "shares_over_time"]

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
    if every not in EVERY:
        from territory.errors import TerritoryError

        raise TerritoryError(f"unknown step {every!r}: use one of {', '.join(EVERY)}")
    first = parse_date(start) or dt.date.min
    last = parse_date(end) or dt.date.max
    dates = [d for d in history.dates if first <= d <= last]
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


def shares_over_time(history: History, dates: Iterable[dt.date] | None = None) -> pd.DataFrame:
    """Russian-held and contested km² and share of each region, for each date.

    A tidy table: one row per date and region that any of the dates has held ground in,
    then one row per date for all of Ukraine (``region`` = ``UA``). Columns ``date``,
    ``region``, ``region_name``, ``area_km2``, ``russia_km2``, ``russia_share``,
    ``contested_km2``, ``contested_share``.

    Each date's numbers are those of that date loaded alone, reconciled with our outlines.
    Dates are taken in order: a date whose map differs from the one before only away from
    where reconciliation looks (the band along the coast and border, and every Ukrainian-held
    piece cut off from the rest) keeps the artefacts found the date before and adds what was
    gained and lost; any other date is reconciled afresh.
    """
    chosen = list(dates) if dates is not None else history.dates
    units = regions()
    km2 = _chained(history, chosen)
    russia = np.array([k[0] for k in km2]).reshape(len(chosen), len(units))
    contested = np.array([k[1] for k in km2]).reshape(len(chosen), len(units))
    held = (russia + contested).sum(axis=0) > 0
    codes = [*units["region"].to_numpy()[held].tolist(), "UA"]
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

#: How near (degrees: about 200-330 m) a change may come to what reconciliation read before
#: the date is reconciled afresh: well beyond the 50 m rims it judges neighbours by.
_NEAR_DEG = 0.003


@dataclasses.dataclass(frozen=True)
class _Link:
    """One date of a chain: its ground as drawn, what reconciling it read, and the
    reconciled km² in each unit (Russian-held, contested)."""

    russia: Any
    grey: Any
    trace: Trace | None
    russia_km2: np.ndarray
    contested_km2: np.ndarray


def _chained(history: History, dates: list[dt.date]) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(Russian-held, contested) km² in each unit on each date; on several cores when there
    are many dates, each worker taking a run of consecutive dates."""
    frames = [history.frames[day] for day in dates]
    workers = min(len(dates) // _PARALLEL_FROM, os.cpu_count() or 1, 4)
    if workers < 2:
        return _chain(frames, history.reconcile_outlines)
    bounds = np.linspace(0, len(frames), workers + 1).round().astype(int).tolist()
    runs = [frames[a:b] for a, b in itertools.pairwise(bounds)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(_chain, run, history.reconcile_outlines) for run in runs]
        return [km2 for job in jobs for km2 in job.result()]


def _chain(frames: list[Any], reconcile_outlines: bool) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(Russian-held, contested) km² in each unit for each frame, in order, and how each
    was found: ``afresh``, ``followed`` (from the date before) or ``same`` (as it)."""
    from territory._snapshots import _Drawn

    out = []
    link: _Link | None = None
    for frame in frames:
        drawn = _Drawn(frame)
        following = None if link is None else _following(link, drawn, reconcile_outlines)
        if link is None or following is None:
            link, how = _first(drawn, reconcile_outlines), "afresh"
        else:
            how = "same" if following.russia_km2 is link.russia_km2 else "followed"
            link = following
        out.append((link.russia_km2, link.contested_km2, how))
    return out


def _first(drawn: Any, reconcile_outlines: bool) -> _Link:
    """A date reconciled afresh, as loading it alone does."""
    from territory._regions import ukraine
    from territory.reconcile import _reconcile

    russia, grey, trace = drawn.russia, drawn.grey, None
    if reconcile_outlines:
        fitted, trace = _reconcile(drawn.russia, drawn.grey, ukraine())
        russia, grey = fitted.russia, fitted.contested
    return _Link(drawn.russia, drawn.grey, trace, _unit_km2(russia), _unit_km2(grey))


def _following(link: _Link, drawn: Any, reconcile_outlines: bool) -> _Link | None:
    """The next date, from this one, when its map changed only where reconciliation does
    not look; None when it must be reconciled afresh.

    Reconciliation reads held ground only in a band along the coast and border and around
    the Ukrainian-held pieces cut off from the mainland (:class:`~territory.reconcile.
    Trace`). When every change lies farther than ``_NEAR_DEG`` from that band and from the
    cut-off pieces of both dates, it finds the same artefacts and gives them to the same
    sides: only the units that the changes reach are measured again.
    """
    import shapely

    from territory._regions import ukraine
    from territory.geometry import polygonal
    from territory.reconcile import refit

    pairs = [(drawn.russia, link.russia), (drawn.grey, link.grey)]
    moves = [shapely.symmetric_difference(new, old) for new, old in pairs]
    changed = np.concatenate([shapely.get_parts(polygonal(move)) for move in moves])
    changed = changed[~shapely.is_empty(changed)]
    if not len(changed):
        return dataclasses.replace(link, russia=drawn.russia, grey=drawn.grey)
    near = shapely.buffer(changed, _NEAR_DEG, quad_segs=2)
    tree = shapely.STRtree(near)
    russia, grey = drawn.russia, drawn.grey
    if reconcile_outlines:
        trace = link.trace
        if trace is None:
            return None
        ukrainian = polygonal(shapely.difference(ukraine(), shapely.union(russia, grey)))
        then = without(ukrainian, trace.removed)
        looked_at = [trace.cut_off, trace.cut_off_after, np.array([trace.reach])]
        looked_at += [_cut_off(ukrainian), _cut_off(then)]
        if any(len(tree.query(pieces, predicate="intersects")[0]) for pieces in looked_at):
            return None
        fitted = refit(russia, grey, trace)
        russia, grey = fitted.russia, fitted.contested
    geoms, units = _units()
    reached = np.unique(units.query(near, predicate="intersects")[1])
    russia_km2, contested_km2 = link.russia_km2.copy(), link.contested_km2.copy()
    russia_km2[reached] = _unit_km2(russia, reached)
    contested_km2[reached] = _unit_km2(grey, reached)
    return _Link(drawn.russia, drawn.grey, link.trace, russia_km2, contested_km2)


def _cut_off(ukrainian: Any) -> np.ndarray:
    """The parts of Ukrainian-held ground other than the largest (the mainland)."""
    import shapely

    parts = shapely.get_parts(ukrainian)
    if len(parts) < 2:
        return parts[:0]
    return np.delete(parts, int(np.argmax(shapely.area(parts))))


def _unit_km2(geometry: Any, among: np.ndarray | None = None) -> np.ndarray:
    """Geodesic km² of ``geometry`` in each of Ukraine's units (in the order of regions()),
    or in the units ``among`` (indices) only."""
    import shapely

    from territory.geodesy import areas_km2
    from territory.geometry import polygonal

    geoms, tree = _units()
    chosen = np.arange(len(geoms)) if among is None else np.asarray(among, dtype=int)
    km2 = np.zeros(len(chosen))
    if geometry.is_empty or not len(chosen):
        return km2
    hits = tree.query(geometry, predicate="intersects")
    inside = np.isin(chosen, hits)
    pieces = shapely.intersection(geoms[chosen[inside]], geometry)
    km2[inside] = areas_km2([polygonal(piece) for piece in pieces])
    return km2


@functools.cache
def _units() -> tuple[np.ndarray, Any]:
    import shapely

    geoms = regions().geometry.to_numpy()
    return geoms, shapely.STRtree(geoms)


def price_over_time(
    history: History,
    scen: Scenario | str,
    dates: Iterable[dt.date] | None = None,
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
    """
    found = scenario(scen)
    chosen = list(dates) if dates is not None else history.dates
    results = _map(_price_on, history, chosen, found)
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


def _map(work: Callable[..., Any], history: History, dates: list[dt.date], *args: Any) -> list[Any]:
    """``work(snapshot, date, *args)`` for each date, in order; on several cores if many.

    Dates whose map is the same as an earlier one's (sources often repeat a day's map)
    are computed once.
    """
    first_of: dict[bytes, dt.date] = {}
    same_as = {day: first_of.setdefault(_fingerprint(history.frames[day]), day) for day in dates}
    distinct = sorted(set(same_as.values()))
    workers = min(len(distinct), os.cpu_count() or 1, 4)
    if len(distinct) < _PARALLEL_FROM or workers < 2:
        done = {day: work(history.snapshot(day), day, *args) for day in distinct}
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            chunks = [distinct[i::workers] for i in range(workers)]
            jobs = [pool.submit(_work_chunk, work, history, chunk, args) for chunk in chunks]
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
    work: Callable[..., Any], history: History, dates: list[dt.date], args: tuple
) -> list[tuple[dt.date, Any]]:
    return [(day, work(history.snapshot(day), day, *args)) for day in dates]


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
    table = series[series["region"] != "UA"]
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
