"""Check: every date of a series equals that date computed alone, to 1e-9 km².

Run by hand from the repository root::

    python bench/exact.py ../shared/data/deepstate-daily-2024-07-08_2026-08-22.geojson.gz

``shares_over_time`` computes each date's km² by unit from the date before's wherever the
map did not change around a unit (:mod:`territory.chain`). Here every date is also computed
afresh, alone (a chain of one date), on the machine's cores, and the two are compared unit
by unit, Russian-held and contested. Prints the dates checked, how many were followed from
the date before, and the largest difference.
"""

from __future__ import annotations

import concurrent.futures
import os
import sys
import time

import numpy as np

import territory
from territory.chain import chain, chained


def _alone(frames: list, reconcile: bool) -> list:
    return [chain([frame], reconcile)[0] for frame in frames]


def main(path: str) -> int:
    start = time.perf_counter()
    history = territory.read_history(path)
    dates = history.dates
    linked = chained(history, dates)
    frames = [history.frames[day] for day in dates]
    workers = max(1, min(os.cpu_count() or 1, 4))
    runs = [frames[i::workers] for i in range(workers)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(_alone, runs, [history.reconcile_outlines] * workers))
    alone = [None] * len(frames)
    for i, part in enumerate(parts):
        alone[i::workers] = part
    worst = 0.0
    for day, a, b in zip(dates, linked, alone, strict=True):
        for k in (0, 1):  # Russian-held, contested: km² by unit
            worst = max(worst, float(np.max(np.abs(np.asarray(a[k]) - np.asarray(b[k])))))
        assert b[2] == "afresh", day
    hows = [link[2] for link in linked]
    print(
        f"{len(dates)} dates ({hows.count('followed')} followed from a neighbouring date, "
        f"{hows.count('same')} the same map, {hows.count('afresh')} afresh): largest "
        f"difference from the date alone {worst:.3g} km² "
        f"({time.perf_counter() - start:.0f} s)"
    )
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
