"""Progress of long work, reported to whoever asked for it.

Functions that work date by date take ``progress``: a callable given the number of steps
just done (``progress(1)`` after each date). The library never draws anything itself; the
command line draws a bar from it on a terminal. Work spread over processes reports through
a queue that the parent drains while it waits (:func:`wait_reporting`).

Examples
--------
>>> done = []
>>> step(done.append)
>>> step(None)  # nobody asked: nothing happens
>>> done
[1]
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import queue as queues
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Progress", "pass_on", "step", "wait_reporting", "worker_queue"]

#: Told how many steps were just done.
Progress = Callable[[int], None]


def step(progress: Progress | None, steps: int = 1) -> None:
    """Report ``steps`` done, when someone asked."""
    if progress is not None:
        progress(steps)


@contextlib.contextmanager
def worker_queue(progress: Progress | None) -> Iterator[Any]:
    """A queue that worker processes put their steps into (None when nobody asked)."""
    if progress is None:
        yield None
        return
    with multiprocessing.Manager() as manager:
        yield manager.Queue()


def wait_reporting(
    jobs: list[concurrent.futures.Future], channel: Any, progress: Progress | None
) -> None:
    """Wait for the jobs, passing on the steps their workers report as they come."""
    pending = set(jobs)
    while pending:
        _, pending = concurrent.futures.wait(pending, timeout=0.2)
        pass_on(channel, progress)
    pass_on(channel, progress)


def pass_on(channel: Any, progress: Progress | None) -> None:
    """Pass on the steps the workers put in ``channel`` since last asked."""
    if channel is None or progress is None:
        return
    done = 0
    with contextlib.suppress(queues.Empty):
        while True:
            done += channel.get_nowait()
    if done:
        progress(done)
