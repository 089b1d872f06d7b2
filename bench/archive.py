"""Benchmark: reading a 769-date archive of front lines, against merging it as 0.1 did.

Run by hand from the repository root::

    python bench/archive.py            # writes the synthetic archive once, then measures
    python bench/archive.py --runs 5

The archive is synthetic, in the shape of the public daily archive of DeepState's merged
maps (one gzip-compressed GeoJSON FeatureCollection, a string ``id`` and a ``date`` per
feature, one MultiPolygon per date, 6-7 decimals, no ``crs``): the shipped line of
8 August 2025, densified and jittered a little differently for every date, to about 55 MB
unzipped. No third-party data is used.

Each run is a new process; the two measures run in interleaved pairs:

- **history**: ``read_history`` (every date indexed) plus the newest date's snapshot;
- **merge**: what reading the same file as one snapshot cost before histories existed:
  every feature read and merged into one undated map (``make_snapshot`` on all rows);
- with ``--series``, **series**: ``shares_over_time`` over all 769 dates (each date as its
  own snapshot, reconciled), against **strtree loop**: a plain shapely loop cutting each
  date's geometry by the regions (no clipping to Ukraine, no reconciliation).

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
ARCHIVE = Path(__file__).resolve().parent / ".cache" / "archive-769.geojson.gz"  # not committed

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
    import shapely

    import territory

    held = shapely.union(territory.snapshot("2025-08-08").russia, shapely.Polygon())
    dense = shapely.segmentize(held, 0.014)  # about 3,000 vertices a date, as the real ones
    features = []
    for i in range(DATES):
        # A smooth wobble of up to about 50 m, different every date (rings stay closed).
        def wobble(xy: np.ndarray, phase: float = i / 7) -> np.ndarray:
            shift = np.column_stack([np.sin(xy[:, 1] * 90 + phase), np.cos(xy[:, 0] * 90 + phase)])
            return xy + 0.0005 * shift

        moved = shapely.make_valid(shapely.transform(dense, wobble))
        mapping = shapely.geometry.mapping(shapely.MultiPolygon(shapely.get_parts(moved)))
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


def timed(code: str, path: Path) -> tuple[float, float, str]:
    """Wall time (s), max RSS (MB) and output of one run in a new process."""
    probe = (
        "import resource, subprocess, sys, time; "
        "start = time.perf_counter(); "
        f"out = subprocess.run([sys.executable, '-c', {code!r}, {str(path)!r}], "
        "check=True, capture_output=True, text=True).stdout.strip(); "
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, out, sep='|')"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    seconds, megabytes, printed = out.stdout.strip().split("|", 2)
    return float(seconds), float(megabytes), printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--series", action="store_true", help="also time the per-date series (minutes)"
    )
    args = parser.parse_args()
    if not ARCHIVE.exists():
        write_archive(ARCHIVE)
    results: dict[str, list[tuple[float, float, str]]] = {"history": [], "merge": []}
    if args.series:
        results.update({"series": [], "strtree loop": []})
    for _ in range(args.runs):  # interleaved: the load of the machine drifts
        results["history"].append(timed(HISTORY.format(dates=DATES), ARCHIVE))
        results["merge"].append(timed(MERGE, ARCHIVE))
        if args.series:
            results["series"].append(timed(SERIES, ARCHIVE))
            results["strtree loop"].append(timed(STRTREE, ARCHIVE))
    print(f"\n{DATES}-date archive, {ARCHIVE.stat().st_size / 1e6:.0f} MB gzip, {args.runs} runs")
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
