"""How many cores the work may take, and GEOS work spread over them in threads."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["cores", "held", "in_threads", "processes_holding"]

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


def held() -> Any:
    """What this worker of :func:`processes_holding` holds."""
    return _HELD


def _hold(shared: Any) -> None:
    global _HELD
    _HELD = shared


def _held_sum() -> int:
    return sum(held())
