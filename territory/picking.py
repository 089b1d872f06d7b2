"""Choosing the dates of a history to compute: every date, one a week, one a month,
between two dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from territory.errors import TerritoryError
from territory.history import History, parse_date

#: How to thin the dates of a history: every date, one a week, one a month (the last date
#: of each week or month is kept, so the newest date is always in).
EVERY = ("day", "week", "month")


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
