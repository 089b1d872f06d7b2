"""Series over the dates of a history: who held how much of each region, and what a
scenario would move, date by date.

Each date is computed exactly as loading that date alone would compute it (its snapshot,
reconciled with our outlines); histories of many dates are spread over the machine's cores.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from territory._scenarios import Scenario, scenario
from territory._snapshots import Snapshot
from territory.figures import plain_text
from territory.history import History, parse_date

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
    """
    chosen = list(dates) if dates is not None else history.dates
    tables = _map(_shares_on, history, chosen)
    table = pd.concat(tables, ignore_index=True)
    held = table.groupby("region")[["russia_km2", "contested_km2"]].sum().sum(axis=1)
    keep = set(held[held > 0].index) | {"UA"}
    return table[table["region"].isin(keep)].reset_index(drop=True)


def _shares_on(snap: Snapshot, day: dt.date) -> pd.DataFrame:
    shares = snap.shares().reset_index()
    total = shares[["area_km2", "russia_km2", "contested_km2"]].sum()
    shares.loc[len(shares)] = {
        "region": "UA",
        "region_name": "Ukraine",
        **total.to_dict(),
        "russia_share": total["russia_km2"] / total["area_km2"],
        "contested_share": total["contested_km2"] / total["area_km2"],
    }
    shares.insert(0, "date", day)
    columns = ["date", "region", "region_name", "area_km2"]
    columns += ["russia_km2", "russia_share", "contested_km2", "contested_share"]
    out = shares[columns].copy()
    km2 = ["area_km2", "russia_km2", "contested_km2"]
    out[km2] = out[km2].round(2)
    out[["russia_share", "contested_share"]] = out[["russia_share", "contested_share"]].round(6)
    return out


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
