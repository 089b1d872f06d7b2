"""Work on each date of a history, on several cores when there are many: a date whose map
repeats an earlier one is computed once."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import itertools
import multiprocessing
import queue as queues
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from territory.chain import PARALLEL_FROM, snapshots
from territory.cores import Meeting, cores, held, processes_holding
from territory.history import History
from territory.progress import Progress, pass_on, step, worker_queue


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
        done = dict(_worked(work, history, distinct, args, progress))
    else:
        # Runs of consecutive dates (each date is built from the one next to it), each
        # worked through from both ends by two workers, who hand each date's result back
        # as soon as it is made: this process takes them in while the work goes on, not
        # all at the end, alone (tens of megabytes for a weekly slider page).
        shares = np.linspace(0, len(distinct), workers + 1).round().astype(int).tolist()
        meeting = Meeting(shares, workers)
        results = multiprocessing.get_context().Queue()
        shared = (history, distinct, meeting, results)
        with worker_queue(progress) as channel, processes_holding(workers, shared) as pool:
            told = channel.put if channel is not None else None
            jobs = [
                pool.submit(_work_held, work, run, front, args, told) for run, front in meeting.jobs
            ]
            try:
                done = dict(_taken_in(results, len(distinct), jobs, channel, progress))
            except BaseException:
                meeting.stop()  # the other workers take no more dates: nobody wants them
                raise
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


def _taken_in(
    results: Any,
    count: int,
    jobs: list[concurrent.futures.Future],
    channel: Any,
    progress: Progress | None,
) -> Iterator[tuple[dt.date, Any]]:
    """The ``count`` results the workers put in ``results``, as they come; their steps
    passed on meanwhile. A worker's error is raised here, once it is known."""
    taken = 0
    while taken < count:
        try:
            item = results.get(timeout=_TICK_S)
        except queues.Empty:
            item = None
        if item is None:
            pass_on(channel, progress)
            for job in jobs:
                if job.done() and job.exception() is not None:
                    job.result()  # raises the worker's error
            if not all(job.done() for job in jobs):
                continue
            # Every date was put before its job ended: what is left is on its way.
            try:
                item = results.get(timeout=_LAST_S)
            except queues.Empty:
                raise RuntimeError(f"{count - taken} dates' results never came back") from None
        taken += 1
        yield item
    for job in jobs:
        job.result()
    pass_on(channel, progress)


#: How often the results are looked for between steps passed on; and how long the last
#: results may take to arrive once every worker is done.
_TICK_S, _LAST_S = 0.2, 60.0


def _work_held(
    work: Callable[..., Any],
    run: int,
    front: bool,
    args: tuple,
    progress: Progress | None = None,
) -> None:
    """:func:`_worked` on the dates this worker takes of a run it shares (see
    :class:`~territory.cores.Meeting`), in the history it holds; each result put in the
    results queue it holds as soon as it is made."""
    history, dates, meeting, results = held()
    # Should this process be ended with results not yet sent (an error elsewhere, and
    # nobody reads them), it must not wait for them to be sent.
    results.cancel_join_thread()
    taken = (dates[i] for i in meeting.taken(run, front))
    for item in _worked(work, history, taken, args, progress):
        results.put(item)


def _worked(
    work: Callable[..., Any],
    history: History,
    dates: Iterable[dt.date],
    args: tuple,
    progress: Progress | None = None,
) -> Iterator[tuple[dt.date, Any]]:
    """``(date, work(snapshot, date, *args))`` for each date, in turn."""
    days, built = itertools.tee(dates)  # the dates may be taken one at a time, as they come
    for day, snap in zip(days, snapshots(history, built), strict=True):
        yield day, work(snap, day, *args)
        step(progress)
