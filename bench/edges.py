"""Check: on every map of a real archive, no Ukrainian-held piece under 0.1 km² is left by
the cut into units, and the edge between the two sides' zones (the status quo) is the line of
contact, within 3%.

Run by hand from the repository root::

    python bench/edges.py                  # one date a month of ../shared/data's archive
    python bench/edges.py --every day      # all 769 (about 20 minutes)
    python bench/edges.py --archive FILE

Prints a Markdown table of the worst dates and the range over all.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import shapely

import territory
from territory.chain import snapshots
from territory.geodesy import WGS84, area_km2
from territory.series import pick_dates

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _length(geometry: shapely.Geometry) -> float:
    return WGS84.geometry_length(shapely.boundary(geometry)) / 1000


def check(snap: territory.Snapshot) -> tuple[float, float, int]:
    """The edge between the sides' zones (km), the line of contact (km), and the number of
    Ukrainian-held pieces under 0.1 km²."""
    zones = territory.resolve("status-quo", snap)
    ukrainian = zones["control_after"] == "ukraine"
    sides = [shapely.union_all(zones[m].geometry.to_numpy()) for m in (ukrainian, ~ukrainian)]
    edge = (_length(sides[0]) + _length(sides[1]) - _length(shapely.union(*sides))) / 2
    line = float(territory.line_of_contact(snap)["length_km"].iloc[0])
    specks = sum(
        1 for g in zones[ukrainian].geometry for p in shapely.get_parts(g) if area_km2(p) < 0.1
    )
    return edge, line, specks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=None)
    parser.add_argument("--every", default="month", choices=["day", "week", "month"])
    args = parser.parse_args()
    archive = args.archive or sorted(SHARED.glob("deepstate-daily-*.geojson.gz"))[-1]
    start = time.perf_counter()
    history = territory.read_history(archive)
    days = pick_dates(history, every=args.every)
    rows = []
    for day, snap in zip(days, snapshots(history, days), strict=True):
        edge, line, specks = check(snap)
        rows.append((abs(edge / line - 1), day, edge, line, specks))
    rows.sort(reverse=True)
    print(f"\n{archive.name}: {len(days)} dates (every {args.every})\n")
    print(
        "| date | edge between the zones (km) | line of contact (km) | off by | pieces < 0.1 km² |"
    )
    print("|---|---:|---:|---:|---:|")
    for off, day, edge, line, specks in rows[:5]:
        print(f"| {day} | {edge:,.1f} | {line:,.1f} | {off:.2%} | {specks} |")
    worst = max(r[0] for r in rows)
    print(
        f"\nWorst: {worst:.2%} (target ≤ 3%); pieces under 0.1 km² on all dates: "
        f"{sum(r[4] for r in rows)}; {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
