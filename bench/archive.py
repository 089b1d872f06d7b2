"""Benchmark: reading a 769-date archive of front lines, against merging it as 0.1 did.

Run by hand from the repository root::

    python bench/archive.py --series    # DeepState's real archive in ../shared/data
    python bench/archive.py --runs 5 --series --archive FILE
    python bench/archive.py --synthetic --series  # the synthetic archive (written once)
    python bench/archive.py --jittered --series   # the worst case for a series

By default the archive measured is DeepState's real daily archive in ``../shared/data/``
when it is there (never committed), else the synthetic one below.

The archive is synthetic, in the shape of the public daily archive of DeepState's merged
maps (one gzip-compressed GeoJSON FeatureCollection, a string ``id`` and a ``date`` per
feature, one MultiPolygon per date, 6-7 decimals, no ``crs``), about 65 MB unzipped, and
changes from date to date the way that archive does: each date's map is the date before's,
edited where the front moved. The first is the shipped line of 8 August 2025 drawn on a
source's own coast and border (densified to about 3,000 vertices, every vertex moved by up
to 50 m, the same way on every date). Ground then changes hands at 16 places spaced evenly
along the line of contact (two of them within reach of the coast or the border, where
reconciliation works): on 15% of the dates nothing changes (no update that day), on the
others one to three of the places advance by 50-400 m, or now and then fall back by 200 m.

``--jittered`` measures instead an archive in which every vertex of every date moves,
differently each date (the worst case for a series, which then reconciles every date
afresh). No third-party data is used.

Each run is a new process; the two measures run in interleaved pairs:

- **history**: ``read_history`` (every date indexed) plus the newest date's snapshot;
- **merge**: what reading the same file as one snapshot cost before histories existed:
  every feature read and merged into one undated map (``make_snapshot`` on all rows);
- with ``--series``, **series**: ``shares_over_time`` over all 769 dates (each date's
  numbers those of the date loaded alone, reconciled), against **strtree loop**: a plain
  shapely loop cutting each date's geometry by the regions (no clipping to Ukraine, no
  reconciliation).

Prints a Markdown table of medians and the peak memory (max RSS) of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

DATES = 769
FIRST = dt.date(2024, 7, 8)
CACHE = Path(__file__).resolve().parent / ".cache"  # not committed
ARCHIVE = CACHE / "edits-769.geojson.gz"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"  # the real archive, if any
JITTERED = CACHE / "archive-769.geojson.gz"
FRONTS = 16  # places along the line of contact where ground changes hands

HISTORY = """
import sys, territory
history = territory.read_history(sys.argv[1])
assert len(history.dates) == {dates}
snap = history.snapshot()
print(len(history.dates), snap.date, round(float(snap.shares()["russia_km2"].sum())))
"""
SERIES = """
import sys, territory
from territory.series import shares_over_time
history = territory.read_history(sys.argv[1])
table = shares_over_time(history)
print(table["date"].nunique(), round(float(table[table["region"] == "UA"]["russia_km2"].iloc[-1])))
"""
# The floor: a plain loop of shapely over the same dates, no reconciliation, no tagging.
STRTREE = """
import sys, geopandas as gpd, shapely, territory
from territory.geodesy import areas_km2
frame = gpd.read_file("/vsigzip/" + sys.argv[1])
units = territory.regions()
tree = shapely.STRtree(units.geometry.values)
total = 0.0
for geometry in shapely.make_valid(frame.geometry.values):
    hits = tree.query(geometry, predicate="intersects")
    pieces = shapely.intersection(units.geometry.values[hits], geometry)
    total = float(areas_km2(pieces).sum())
print(len(frame), round(total))
"""
MERGE = """
import sys, geopandas as gpd, territory
frame = gpd.read_file("/vsigzip/" + sys.argv[1])
snap = territory.make_snapshot(frame, date=None, name="merged", source="bench")
print(round(float(snap.shares()["russia_km2"].sum())))
"""


def write_archive(path: Path) -> None:
    """The archive of daily edits: the realistic shape (see the module's docstring)."""
    import shapely

    import territory

    snap = territory.snapshot("2025-08-08")
    base = _own_outlines(shapely.union(snap.russia, shapely.Polygon()))
    line = max(shapely.get_parts(snap.contact), key=shapely.length)
    fronts = [line.interpolate((j + 0.5) / FRONTS, normalized=True) for j in range(FRONTS)]
    rng = np.random.default_rng(7)
    reach = np.zeros(FRONTS)  # km that each front has advanced
    geometries = []
    for _ in range(DATES):
        if geometries and rng.random() < 0.15:  # no update that day
            geometries.append(geometries[-1])
            continue
        for j in rng.choice(FRONTS, size=rng.integers(1, 4), replace=False):
            step = rng.uniform(0.05, 0.4) if rng.random() < 0.9 else -0.2  # now and then lost
            reach[j] = max(0.0, reach[j] + step)
        taken = [
            shapely.buffer(front, km / 111, quad_segs=8)
            for front, km in zip(fronts, reach, strict=True)
            if km > 0
        ]
        geometries.append(shapely.union_all([base, *taken]) if taken else base)
    _write(path, geometries)


def write_jittered(path: Path) -> None:
    """The worst case: every vertex of every date's map moved, differently each date."""
    import shapely

    import territory

    held = shapely.union(territory.snapshot("2025-08-08").russia, shapely.Polygon())
    dense = shapely.segmentize(held, 0.014)  # about 3,000 vertices a date, as the real ones
    geometries = []
    for i in range(DATES):
        # A smooth wobble of up to about 50 m, different every date (rings stay closed).
        def wobble(xy: np.ndarray, phase: float = i / 7) -> np.ndarray:
            shift = np.column_stack([np.sin(xy[:, 1] * 90 + phase), np.cos(xy[:, 0] * 90 + phase)])
            return xy + 0.0005 * shift

        geometries.append(shapely.make_valid(shapely.transform(dense, wobble)))
    _write(path, geometries)


def _own_outlines(held: object) -> object:
    """Held ground drawn on a source's own coast and border: densified to about 3,000
    vertices, as the real maps are, and every vertex moved by up to about 50 m."""
    import shapely

    def wobble(xy: np.ndarray) -> np.ndarray:
        shift = np.column_stack([np.sin(xy[:, 1] * 90), np.cos(xy[:, 0] * 90)])
        return xy + 0.0005 * shift

    return shapely.make_valid(shapely.transform(shapely.segmentize(held, 0.014), wobble))


def _write(path: Path, geometries: list) -> None:
    import shapely

    features = []
    for i, geometry in enumerate(geometries):
        mapping = shapely.geometry.mapping(shapely.MultiPolygon(shapely.get_parts(geometry)))
        features.append(
            {
                "id": str(i),
                "type": "Feature",
                "properties": {"date": (FIRST + dt.timedelta(days=i)).isoformat()},
                "geometry": _rounded(mapping),
            }
        )
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(gzip.compress(data, compresslevel=6))
    print(f"wrote {path} ({len(data) / 1e6:.0f} MB unzipped, {path.stat().st_size / 1e6:.0f} MB)")


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def timed(code: str, path: Path) -> tuple[float, float, str, float]:
    """Wall time (s), max RSS (MB), output and CPU time (s, user and system, its own
    processes' included) of one run in a new process."""
    probe = (
        "import resource, subprocess, sys, time; "
        "start = time.perf_counter(); "
        f"out = subprocess.run([sys.executable, '-c', {code!r}, {str(path)!r}], "
        "check=True, capture_output=True, text=True).stdout.strip(); "
        "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - start, use.ru_maxrss / 1024, "
        "use.ru_utime + use.ru_stime, out, sep='|')"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    seconds, megabytes, cpu, printed = out.stdout.strip().split("|", 3)
    return float(seconds), float(megabytes), printed, float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--series", action="store_true", help="also time the per-date series")
    parser.add_argument(
        "--jittered", action="store_true", help="every vertex moves every date (minutes)"
    )
    parser.add_argument(
        "--archive",
        type=Path,
        default=None,
        help="the archive to measure (default: ../shared/data/deepstate-daily-*.geojson.gz)",
    )
    parser.add_argument("--synthetic", action="store_true", help="the synthetic archive")
    args = parser.parse_args()
    real = sorted(SHARED.glob("deepstate-daily-*.geojson.gz"))
    archive = args.archive or (
        JITTERED if args.jittered else ARCHIVE if args.synthetic or not real else real[-1]
    )
    if not archive.exists():
        (write_jittered if args.jittered else write_archive)(archive)
    results: dict[str, list[tuple[float, float, str, float]]] = {"history": [], "merge": []}
    if args.series:
        results.update({"series": [], "strtree loop": []})
    for _ in range(args.runs):  # interleaved: the load of the machine drifts
        results["history"].append(timed(HISTORY.format(dates=DATES), archive))
        results["merge"].append(timed(MERGE, archive))
        if args.series:
            results["series"].append(timed(SERIES, archive))
            results["strtree loop"].append(timed(STRTREE, archive))
    size = archive.stat().st_size / 1e6
    print(f"\n{archive.name}: {DATES} dates, {size:.0f} MB gzip, {args.runs} runs")
    print("\n| measure | median s | peak MB | output |\n|---|---:|---:|---|")
    for name, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"| {name} | {seconds:.1f} | {peak:.0f} | {runs[-1][2]} |")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    start = time.perf_counter()
    main()
    print(f"\n(total {time.perf_counter() - start:.0f} s)")
