"""Histories: the dated snapshots a multi-date file (or several files) holds, oldest first.

A multi-date file is never merged into one snapshot: each date's features make that
date's snapshot, built when it is first asked for (a 769-date archive is read in seconds;
building every snapshot takes longer, and most uses want one or a few).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pandas as pd

from territory._snapshots import Snapshot, _Drawn, finished, make_snapshot
from territory.errors import TerritoryError
from territory.reconcile import Trace

__all__ = ["DATE_COLUMNS", "History", "parse_date", "row_dates"]

#: Columns that date each feature, in the order they are looked for: ``date``
#: (``"YYYY-MM-DD"`` or a full ISO time), ``datetime``, ``start`` (unix seconds, as the
#: owlmaps archive writes it: local midnight).
DATE_COLUMNS = ("date", "datetime", "start")
#: Front-line sources date their maps in Kyiv time.
KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
_UNIX_MS = 1e11  # unix times above this are milliseconds
#: The dates a front line can have: anything outside is a broken stamp, not a map's date.
EARLIEST, LATEST = dt.date(1991, 1, 1), dt.date(2100, 12, 31)


def date_of_unix(seconds: float) -> dt.date:
    """The Kyiv date of a unix time (seconds, or milliseconds when it is that large).

    Examples
    --------
    >>> date_of_unix(1670540400)  # local midnight, 23:00 UTC the day before
    datetime.date(2022, 12, 9)
    """
    stamp = seconds / 1000 if seconds > _UNIX_MS else seconds
    try:
        return _in_range(dt.datetime.fromtimestamp(stamp, tz=dt.UTC).astimezone(KYIV).date())
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"{seconds!r} is not a unix time between 1991 and 2100") from None


def _in_range(date: dt.date) -> dt.date:
    if not EARLIEST <= date <= LATEST:
        raise ValueError(f"{date} is not a date between 1991 and 2100")
    return date


def _as_date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    return _in_range(_any_date(value))


def _any_date(value: object) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return (value.tz_convert(KYIV) if value.tzinfo else value).date()
    if isinstance(value, dt.datetime):
        return (value.astimezone(KYIV) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | np.integer | np.floating):
        return date_of_unix(float(value))
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) == 10 else _iso_time(text)
    except ValueError as problem:
        if text.isdigit():
            return date_of_unix(float(text))
        shown = str(problem).replace("Invalid isoformat string", "not YYYY-MM-DD")
        raise ValueError(shown) from None


def _iso_time(text: str) -> dt.date:
    stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (stamp.astimezone(KYIV) if stamp.tzinfo else stamp).date()


def row_dates(frame: pd.DataFrame) -> tuple[str | None, list[dt.date | None]]:
    """The column that dates each row (see :data:`DATE_COLUMNS`), and each row's date.

    ``(None, [None, ...])`` when no such column holds a date.

    Examples
    --------
    >>> rows = pd.DataFrame({"id": ["0", "1"], "date": ["2024-07-08", "2024-07-09"]})
    >>> row_dates(rows)
    ('date', [datetime.date(2024, 7, 8), datetime.date(2024, 7, 9)])
    """
    columns = {str(c).lower(): c for c in frame.columns}
    for wanted in DATE_COLUMNS:
        if wanted not in columns:
            continue
        dates: list[dt.date | None] = []
        bad: list[tuple[object, object, str]] = []
        for label, value in zip(frame.index, frame[columns[wanted]], strict=True):
            try:
                dates.append(_as_date(value))
            except (ValueError, OverflowError, OSError) as refused:
                dates.append(None)
                bad.append((label, value, str(refused)))
        if not any(d is not None for d in dates):
            continue  # no dates at all: some other meaning of the word
        if bad:
            label, value, why = bad[0]
            where = f"feature {label + 1}" if isinstance(label, int | np.integer) else "a feature"
            shown = _shown(value)
            raise TerritoryError(f"{where}: {columns[wanted]} {shown} is not a date ({why})")
        return str(columns[wanted]), dates
    return None, [None] * len(frame)


def _shown(value: object) -> str:
    text = repr(value.isoformat()[:10] if isinstance(value, dt.date) else value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclasses.dataclass(frozen=True)
class History:
    """Dated snapshots from one source, oldest first, each built on first use.

    Attributes
    ----------
    name : str
        The source's name (a file name).
    source : str
        Where the data came from and how it was read.
    frames : dict
        The labelled polygons of each date (``control``, ``held_since``, geometry); the key
        is None for a file that holds a single undated map.
    """

    name: str
    source: str
    frames: dict[dt.date | None, gpd.GeoDataFrame] = dataclasses.field(repr=False)
    tag_2014_from: Snapshot | None = dataclasses.field(default=None, repr=False)
    reconcile_outlines: bool = dataclasses.field(default=True, repr=False)
    #: What reading found: format, layout, date column, features, polygons by status,
    #: polygons (and km²) dropped because they lie wholly outside Ukraine.
    report: dict = dataclasses.field(default_factory=dict, repr=False)
    #: What maps and figures made from it must credit (fetched data), or empty.
    credit: str = ""
    _built: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @property
    def dates(self) -> list[dt.date]:
        """The dates held, oldest first (empty for one undated map)."""
        return [d for d in self.frames if d is not None]

    def __len__(self) -> int:
        return len(self.frames)

    def __iter__(self) -> Iterator[Snapshot]:
        for date in self.frames:
            yield self._snapshot(date, None)

    @property
    def newest(self) -> dt.date | None:
        """The newest date held (None for one undated map)."""
        dates = self.dates
        return dates[-1] if dates else None

    def snapshot(self, date: dt.date | str | None = None) -> Snapshot:
        """The snapshot of one date: the newest by default.

        A file of one map takes ``date`` as the date the map describes (it overrides a
        date read from the file or its name). A file of several dates must hold ``date``.
        """
        return self._snapshot(*self.chosen(date))

    def chosen(self, date: dt.date | str | None = None) -> tuple[dt.date | None, dt.date | None]:
        """The key of the map that :meth:`snapshot` takes for ``date``, and its date."""
        date = parse_date(date)
        if len(self.frames) == 1:
            (only,) = self.frames
            return only, date if date is not None else only
        if date is None:
            date = self.newest
        if date not in self.frames:
            raise TerritoryError(f"{self.name}: no map of {date}; {_span(self.dates)}")
        return date, date

    def _snapshot(self, key: dt.date | None, date: dt.date | None) -> Snapshot:
        if (key, date) not in self._built:
            self._built[(key, date)] = make_snapshot(self.frames[key], **self._about(key, date))
        return self._built[(key, date)]

    def _about(self, key: dt.date | None, date: dt.date | None) -> dict:
        """What a snapshot of this history says of itself on a date."""
        return {
            "date": date,
            "name": self.name if len(self.frames) == 1 or key is None else f"{self.name}@{key}",
            "source": self.source,
            "tag_2014_from": self.tag_2014_from,
            "reconcile_outlines": self.reconcile_outlines,
            "credit": f"{self.credit}, map of {date}" if self.credit and date else self.credit,
        }

    def snapshot_from(self, day: dt.date, as_drawn: _Drawn, trace: Trace | None) -> Snapshot:
        """The snapshot of ``day`` from its map as drawn and what reconciling it found
        (the same snapshot as :meth:`snapshot` builds alone; not kept)."""
        return finished(as_drawn, trace, **self._about(*self.chosen(day)))


def parse_date(date: dt.date | str | None) -> dt.date | None:
    """A date given as text (``YYYY-MM-DD``) or as a date; None stays None."""
    if date is None or (isinstance(date, dt.date) and not isinstance(date, dt.datetime)):
        return date
    if isinstance(date, dt.datetime):
        return date.date()
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise TerritoryError(f"invalid date {date!r}: expected YYYY-MM-DD") from None


def _span(dates: list[dt.date]) -> str:
    if not dates:
        return "it holds no dated map"
    if len(dates) == 1:
        return f"it holds {dates[0]} only"
    return f"it holds {len(dates)} dates from {dates[0]} to {dates[-1]}"
