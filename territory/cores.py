"""How many cores the work may take, and GEOS work spread over them in threads."""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["cores", "in_threads"]

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
