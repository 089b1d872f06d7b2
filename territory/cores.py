"""How many cores the work may take, and GEOS work spread over them in threads."""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["Meeting", "aside", "cores", "held", "in_threads", "kept_apart", "processes_holding"]

Item = TypeVar("Item")
Result = TypeVar("Result")

#: The most cores any work takes: each worker holds its own maps, so memory, not the
#: machine's cores, bounds it past a few.
MOST = 4


def cores() -> int:
    """The cores work is spread over: the machine's, up to :data:`MOST`.

    Examples
    --------
    >>> 1 <= cores() <= MOST
    True
    """
    return min(os.cpu_count() or 1, MOST)


def in_threads(work: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """``[work(item) for item in items]``, in threads on all the cores: for work that is
    GEOS calls, which let go of Python's lock while they run.

    Examples
    --------
    >>> import shapely
    >>> areas = in_threads(shapely.area, [shapely.box(0, 0, 1, 1), shapely.box(0, 0, 2, 1)])
    >>> [float(area) for area in areas]
    [1.0, 2.0]
    """
    if cores() < 2 or len(items) < 2:
        return [work(item) for item in items]
    with concurrent.futures.ThreadPoolExecutor(max_workers=cores()) as pool:
        return list(pool.map(work, items))


#: What the processes of :func:`processes_holding` hold (None in any other process).
_HELD: Any = None


@contextlib.contextmanager
def processes_holding(workers: int, shared: Any) -> Iterator[concurrent.futures.Executor]:
    """A pool of ``workers`` processes, each holding ``shared`` (read back with
    :func:`held`): where processes are forked (Linux), they inherit it with the rest of
    the parent's memory, so a history's hundreds of maps are not copied through a pipe to
    each, one worker after the other, before the work starts.

    Examples
    --------
    >>> with processes_holding(2, [10, 20, 30]) as pool:
    ...     pool.submit(_held_sum).result()
    60
    """
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, initializer=_hold, initargs=(shared,)
    ) as pool:
        yield pool


@contextlib.contextmanager
def aside(work: Callable[..., Result], *args: Any) -> Iterator[Callable[[], Result]]:
    """``work(*args)`` on another core while this process goes on with something else (a
    cold start's imports, say); calling what this yields gives the result (or raises what
    ``work`` raised). Where processes are not forked, or on one core, ``work`` runs in this
    process when its result is asked for: a new process would spend longer importing
    everything again than the work takes.

    Examples
    --------
    >>> with aside(sum, [1, 2, 3]) as result:
    ...     result()
    6
    """
    # The platform's default way, asked without fixing it for the program (as asking
    # multiprocessing.get_start_method() would).
    default = multiprocessing.get_start_method(allow_none=True)
    if cores() < 2 or (default or multiprocessing.get_all_start_methods()[0]) != "fork":
        yield functools.partial(work, *args)
        return
    # The objects made so far are left out of this process's collections of cycles while
    # the worker runs: a collection walks them all, writing to pages the two processes
    # share, which the system must then copy (a tenth of a second of a cold start).
    with (
        kept_apart(),
        concurrent.futures.ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_hold_aside,
            initargs=((work, args),),
        ) as pool,
    ):
        yield pool.submit(_call_held).result


@contextlib.contextmanager
def kept_apart() -> Iterator[Callable[[], None]]:
    """Python's collector of cycles leaves the objects made so far alone until the block
    ends; calling what this yields does the same for those made since. A build that makes
    millions of objects and keeps them (a slider page's shapes and rows) would otherwise
    have them all walked at every full collection: 0.8 s of a weekly page's build. Objects
    are freed by reference counting as always; cycles among them are collected after.

    Examples
    --------
    >>> with kept_apart() as keep:
    ...     rows = [[i] for i in range(1000)]
    ...     keep()
    ...     gc.get_freeze_count() >= 1000
    True
    """
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _hold_aside(shared: Any) -> None:
    # Ctrl-C is this process's parent's to handle: it stops, and this one, its work done,
    # goes with it (an idle worker interrupted would print a traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _hold(shared)


def _call_held() -> Any:
    work, args = held()
    return work(*args)


def held() -> Any:
    """What this worker of :func:`processes_holding` holds."""
    return _HELD


def _hold(shared: Any) -> None:
    global _HELD
    _HELD = shared


def _held_sum() -> int:
    return sum(held())


class Meeting:
    """Runs of consecutive items, each worked through by two workers at once, one from
    each end, until they meet: each takes the next item when it is done with the last, so
    the two finish together however the items' costs vary along the run (a chain of dates
    follows a map from the next date's as well as from the date before's).

    Made before the workers' processes (it holds shared counters, which they inherit),
    from ``shares``: the items cut into as many shares of the work as there are workers
    (``[0, ..., count]``); each two shares in a row make a run.

    Examples
    --------
    >>> meeting = Meeting([0, 2, 5], workers=2)
    >>> meeting.cuts, meeting.jobs
    ([0, 5], [(0, True), (0, False)])
    >>> front, back = meeting.taken(0, True), meeting.taken(0, False)
    >>> [next(front), next(back), next(back), next(front), next(front)]
    [0, 4, 3, 1, 2]
    >>> list(front), list(back)
    ([], [])
    >>> three = Meeting([0, 4, 8, 12], workers=3)  # the run of two shares is shared
    >>> three.cuts, three.jobs
    ([0, 8, 12], [(0, True), (1, True), (0, False)])
    """

    def __init__(self, shares: list[int], workers: int) -> None:
        cuts = shares[::2] if len(shares) % 2 else [*shares[::2], shares[-1]]
        self.cuts = cuts
        runs = len(cuts) - 1
        # Each run's next item from the front, and from the back: [low, high] per run.
        ends = [value for a, b in itertools.pairwise(cuts) for value in (a, b - 1)]
        self._ends = multiprocessing.get_context().Array("q", ends)
        #: (run, from the front) for each worker: the front of every run first, then the
        #: back of as many runs as there are workers left.
        self.jobs = [(run, True) for run in range(runs)]
        self.jobs += [(run, False) for run in range(min(workers - runs, runs))]

    def stop(self) -> None:
        """No more items for any worker (each ends with the one it is on)."""
        with self._ends.get_lock():
            for run in range(len(self.cuts) - 1):
                self._ends[2 * run], self._ends[2 * run + 1] = 1, 0

    def taken(self, run: int, front: bool) -> Iterator[int]:
        """The items of a run one worker takes, one at a time, from the front or the back."""
        while True:
            with self._ends.get_lock():
                low, high = self._ends[2 * run], self._ends[2 * run + 1]
                if low > high:
                    return
                item = low if front else high
                self._ends[2 * run + (0 if front else 1)] = low + 1 if front else high - 1
            yield item
