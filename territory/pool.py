"""Work on each date of a history, on several cores when there are many: a date whose map
repeats an earlier one is computed once."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from territory.chain import PARALLEL_FROM, snapshots
from territory.cores import Meeting, cores, held, processes_holding
from territory.history import History
from territory.progress import Progress, step, wait_reporting, worker_queue


def map_dates(
    work: Callable[..., Any],
    history: History,
    dates: list[dt.date],
    *args: Any,
    progress: Progress | None = None,
    once: bool = True,
) -> list[Any]:
    """``work(snapshot, date, *args)`` for each date, in order; on several cores if many.

    Dates whose map is the same as an earlier one's (sources often repeat a day's map)
    are computed once (and reported done at once), the result given its date by
    ``.assign(date=day)``; ``once=False`` computes every date (for results that carry
    their snapshot).
    """
    first_of: dict[bytes, dt.date] = {}
    same_as = {
        day: first_of.setdefault(_fingerprint(history.frames[day]), day) if once else day
        for day in dates
    }
    distinct = sorted(set(same_as.values()))
    step(progress, len(dates) - len(distinct))
    workers = min(len(distinct), cores())
    if len(distinct) < PARALLEL_FROM or workers < 2:
        done = dict(_work_chunk(work, history, distinct, args, progress))
    else:
        # Runs of consecutive dates (each date is built from the one next to it), each
        # worked through from both ends by two workers.
        shares = np.linspace(0, len(distinct), workers + 1).round().astype(int).tolist()
        meeting = Meeting(shares, workers)
        shared = (history, distinct, meeting)
        with worker_queue(progress) as channel, processes_holding(workers, shared) as pool:
            told = channel.put if channel is not None else None
            jobs = [
                pool.submit(_work_held, work, run, front, args, told) for run, front in meeting.jobs
            ]
            wait_reporting(jobs, channel, progress)
            done = {day: result for job in jobs for day, result in job.result()}
    if not once:
        return [done[day] for day in dates]
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


def _work_held(
    work: Callable[..., Any],
    run: int,
    front: bool,
    args: tuple,
    progress: Progress | None = None,
) -> list[tuple[dt.date, Any]]:
    """:func:`_work_chunk` on the dates this worker takes of a run it shares (see
    :class:`~territory.cores.Meeting`), in the history it holds."""
    history, dates, meeting = held()
    return _work_chunk(work, history, (dates[i] for i in meeting.taken(run, front)), args, progress)


def _work_chunk(
    work: Callable[..., Any],
    history: History,
    dates: Iterable[dt.date],
    args: tuple,
    progress: Progress | None = None,
) -> list[tuple[dt.date, Any]]:
    out = []
    days, built = itertools.tee(dates)  # the dates may be taken one at a time, as they come
    for day, snap in zip(days, snapshots(history, built), strict=True):
        out.append((day, work(snap, day, *args)))
        step(progress)
    return out
