"""Rates of advance over a history: the km² that changed hands between the dates of a table
of shares (:func:`territory.series.shares_over_time`), and the mean km² a day.

"Russia took 245 km² in January" is the change between the last date of December and the
last of January; "3 km² a day" is that change over the days between. A rolling rate over a
window (30 days, say) is the change since the last date at least that long before, over the
days between: on a daily history, exactly the window.

Examples
--------
>>> import datetime as dt
>>> import pandas as pd
>>> table = pd.DataFrame({
...     "date": [dt.date(2025, 1, 1), dt.date(2025, 1, 11), dt.date(2025, 1, 31)],
...     "region": "UA",
...     "russia_km2": [100.0, 150.0, 130.0],
... })
>>> print(with_rates(table)[["days", "russia_km2_change", "russia_km2_per_day"]])
   days  russia_km2_change  russia_km2_per_day
0  <NA>                NaN                 NaN
1    10               50.0                 5.0
2    20              -20.0                -1.0

>>> with_rates(table, rolling_days=30)["russia_km2_per_day_30d"].tolist()
[nan, nan, 1.0]
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from territory.errors import TerritoryError
from territory.export import atomic_path
from territory.figures import plain_text
from territory.vocabulary import TOTAL

__all__ = ["RATE_COLUMNS", "chart", "parse_window", "with_rates"]

#: The columns :func:`with_rates` adds (and ``russia_km2_per_day_<N>d`` with a window).
RATE_COLUMNS = ("days", "russia_km2_change", "russia_km2_per_day")
_WINDOW = re.compile(r"^\s*(\d{1,4})\s*(d|days?|w|weeks?)?\s*$", re.IGNORECASE)


def with_rates(shares: pd.DataFrame, *, rolling_days: int | None = None) -> pd.DataFrame:
    """The table with, on each row, the change in Russian-held km² of its region since the
    previous date of the table, the days between, and the mean km² a day over them.

    Parameters
    ----------
    shares : DataFrame
        One row per date and region (``date``, ``region``, ``russia_km2``), as
        :func:`territory.series.shares_over_time` gives, the total row (``UA``) included.
    rolling_days : int, optional
        Also ``russia_km2_per_day_<N>d``: the mean km² a day since the last date at least N
        days before (empty until the table reaches that far back).

    Returns
    -------
    DataFrame
        The rows in their order, with ``days``, ``russia_km2_change`` and
        ``russia_km2_per_day`` (empty on a region's first date; km² to two decimals).
    """
    table = shares.copy()
    when = pd.to_datetime(table["date"])
    by_region = table.groupby("region", sort=False)
    days = (when - by_region["date"].shift(1).pipe(pd.to_datetime)).dt.days.astype(float)
    change = table["russia_km2"] - by_region["russia_km2"].shift(1)
    table["days"] = days.astype("Int64")
    table["russia_km2_change"] = change.round(2)
    table["russia_km2_per_day"] = (change / days).round(2)
    if rolling_days is not None:
        table[f"russia_km2_per_day_{rolling_days}d"] = _rolling(table, when, rolling_days)
    return table


def _rolling(table: pd.DataFrame, when: pd.Series, window: int) -> pd.Series:
    """Per row: (km² now - km² on the last date at least ``window`` days before) / days."""
    rates = pd.Series(np.nan, index=table.index)
    for _, rows in table.assign(_when=when).groupby("region", sort=False):
        stamps = rows["_when"].to_numpy()
        km2 = rows["russia_km2"].to_numpy(dtype=float)
        # The last date at or before each row's date less the window.
        start = np.searchsorted(stamps, stamps - np.timedelta64(window, "D"), side="right") - 1
        has = start >= 0
        span = (stamps[has] - stamps[start[has]]) / np.timedelta64(1, "D")
        rates.loc[rows.index[has]] = np.round((km2[has] - km2[start[has]]) / span, 2)
    return rates


def parse_window(text: str) -> int:
    """A rolling window in days, from ``30d``, ``30``, ``4w`` or ``2 weeks``.

    Examples
    --------
    >>> parse_window("30d"), parse_window("4w")
    (30, 28)
    """
    match = _WINDOW.match(text)
    if match is None or int(match.group(1)) < 1:
        raise TerritoryError(f"invalid window {text!r}: expected a number of days such as 30d")
    unit = (match.group(2) or "d").lower()
    return int(match.group(1)) * (7 if unit.startswith("w") else 1)


@plain_text
def chart(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    region: str = TOTAL,
    title: str = "Ground taken by Russia, km² a day",
    credit: str = "",
) -> Path:
    """Draw the rate of advance over time to a PNG, SVG or PDF (atomically): for each
    interval between the dates of ``table`` (:func:`with_rates`), a bar as wide as the
    interval and as high as the mean km² a day (ground lost below zero), and the rolling
    mean as a line when the table has one.
    """
    from matplotlib.figure import Figure

    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg", "pdf"):
        raise TerritoryError(f"{path}: a chart is written as .png, .svg or .pdf")
    rows = table[table["region"] == region].sort_values("date")
    figure = Figure(figsize=(8, 4.2))  # no pyplot: the caller's backend is left alone
    _draw_rates(figure.add_subplot(), rows, title)
    note = "Made with Natural Earth" + (f". {credit}" if credit else "")
    figure.text(0.01, 0.01, note, fontsize=7, color="#555555")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format=kind, dpi=150)
    return path


def _draw_rates(axes: Any, rows: pd.DataFrame, title: str) -> None:
    import matplotlib.dates

    when = pd.to_datetime(rows["date"])
    rate = rows["russia_km2_per_day"].astype(float)
    days = rows["days"].astype(float)
    bars = rate.notna()
    colours = np.where(rate[bars] >= 0, "#b2182b", "#2166ac")
    axes.bar(
        when[bars] - pd.to_timedelta(days[bars], unit="D"),
        rate[bars],
        width=days[bars].to_numpy(),
        align="edge",
        color=colours,
        edgecolor="white",
        linewidth=0.5,
    )
    rolling = [c for c in rows.columns if str(c).startswith("russia_km2_per_day_")]
    if rolling:
        axes.plot(when, rows[rolling[0]], color="#1a1a1a", linewidth=1.6, label=_window(rolling[0]))
        axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.axhline(0, color="#1a1a1a", linewidth=0.6)
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=18)
    first, last = rows["date"].min(), rows["date"].max()
    axes.text(0, 1.02, f"{first} to {last}", transform=axes.transAxes, fontsize=9, color="#555555")
    locator = matplotlib.dates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    axes.set_ylabel("km² a day")
    axes.grid(axis="y", color="#e3e3e3")
    axes.spines[["top", "right"]].set_visible(False)


def _window(column: str) -> str:
    days = column.rsplit("_", 1)[-1].removesuffix("d")
    return f"Mean over {days} days"
