"""Benchmark: ``territory validate`` on 200,000 small polygons, in two shapes.

Run by hand from the repository root::

    python bench/many.py             # writes the two files once (about 1 minute), then measures
    python bench/many.py --runs 3

- **grid**: 200,000 cells of a regular grid tiling the Russian-held ground of the shipped
  line of 8 August 2025, each cut to it: a per-cell control dataset, the legitimate shape of
  a large input. The cells merge back into the front line.
- **scattered**: 200,000 squares of about 0.15 km² strewn at random over the east and south,
  most apart from each other: the worst shape for the overlay, every square its own island.

Each run is ``territory validate FILE`` in a new process; the two run in interleaved pairs.
Prints a Markdown table of median wall time and peak memory (max RSS). No third-party data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import timed  # noqa: E402  (the same new-process timer)

CACHE = Path(__file__).resolve().parent / ".cache"  # not committed
COUNT = 200_000
VALIDATE = """
import os, sys
from territory.cli import main
# A worst case past the default bounds on a map's size (a million vertices): raised here.
os.environ["TERRITORY_MAX_VERTICES"] = "2000000"
sys.argv = ["territory", "validate", sys.argv[1]]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
"""


def write_grid(path: Path) -> None:
    import shapely

    import territory

    held = territory.snapshot("2025-08-08").russia
    xmin, ymin, xmax, ymax = held.bounds
    side = (held.area / COUNT) ** 0.5
    x, y = np.meshgrid(np.arange(xmin, xmax, side), np.arange(ymin, ymax, side))
    cells = shapely.box(x.ravel(), y.ravel(), x.ravel() + side, y.ravel() + side)
    shapely.prepare(held)
    cells = shapely.intersection(cells[shapely.intersects(held, cells)], held)
    _write(path, shapely.set_precision(cells[~shapely.is_empty(cells)], 1e-6))


def write_scattered(path: Path) -> None:
    import shapely

    rng = np.random.default_rng(1)
    x, y = rng.uniform(34.0, 39.5, COUNT), rng.uniform(46.5, 49.5, COUNT)
    _write(path, shapely.box(x, y, x + 0.004, y + 0.004))


def _write(path: Path, cells: np.ndarray) -> None:
    import shapely

    path.parent.mkdir(exist_ok=True)
    with path.open("w") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for i, geojson in enumerate(shapely.to_geojson(cells)):
            out.write(",\n" if i else "")
            out.write(json.dumps({"type": "Feature", "properties": {"name": "ЗС РФ"}})[:-1])
            out.write(f', "geometry": {geojson}}}')
        out.write("\n]}\n")
    print(f"wrote {path}: {len(cells):,} polygons, {path.stat().st_size / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    files = {"grid": CACHE / "grid-200k.geojson", "scattered": CACHE / "scattered-200k.geojson"}
    for name, write in [("grid", write_grid), ("scattered", write_scattered)]:
        if not files[name].exists():
            write(files[name])
    results: dict[str, list[tuple[float, float, str, float]]] = {name: [] for name in files}
    for _ in range(args.runs):  # interleaved: the load of the machine drifts
        for name, path in files.items():
            results[name].append(timed(VALIDATE, path))
    print(f"\n`territory validate` on {COUNT:,} polygons, {args.runs} run(s)")
    print("\n| input | median s | peak MB |\n|---|---:|---:|")
    for name, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        print(f"| {name} | {seconds:.1f} | {max(r[1] for r in runs):.0f} |")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"\n(total {time.perf_counter() - start:.0f} s)")
