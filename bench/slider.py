"""Benchmark: the time-slider page of a monthly history, its size and how fast it changes date.

Run by hand from the repository root::

    python bench/slider.py              # the real archive in ../shared/data, weekly
    python bench/slider.py --every day --from 2025-06-01 --to 2025-07-10   # any 40 dates
    python bench/slider.py --synthetic  # the synthetic monthly history (written once)
    python bench/slider.py --runs 5

With a real archive (``--archive PATH``; by default DeepState's daily archive in
``../shared/data/`` when it is there), the page is that of ``territory render --history``
with the dates asked for, and the plain loop of ``bench/archive.py`` (json, STRtree,
geodesic areas, every date of the archive) is timed in the same run, in interleaved pairs:
the build time is also given as a ratio to it.

The history is synthetic, in the way real front-line maps change: one map a month from July
2024 to August 2026 (26 dates), each the one before with the ground taken since added. The
first is the shipped line of 8 August 2025 drawn on its own slightly different coast and
border (as a source's map is: every vertex of it moved by up to 50 m, the same way on every
date), and each month six fronts advance a few km. No third-party data is used.

Measures, with every shipped scenario on every date (the default of ``territory render
--history``):

- **page size**: the HTML file ``render_history`` writes (target: under 1.5 MB);
- **render time**: building and writing that page (seconds), and with a real archive, as a
  ratio to the plain loop's, of wall time and of CPU time (all the build's processes);
- **date switch**: in headless Chromium (Debian's, offline), the time from moving the
  slider to the new date's zones, line and panel being in the page, for each of the 26
  dates, as the page's own ``performance.now()`` measures it (target: under 50 ms); the
  median and the slowest.

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import STRTREE, timed  # noqa: E402  (the plain loop, as bench/archive.py times it)

HISTORY = Path(__file__).resolve().parent / ".cache" / "monthly-2024-07-2026-08.geojson"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CHROMIUM = "/usr/bin/chromium"
# Where the fronts advance (lon, lat), near the shipped line of 8 August 2025.
FRONTS = [(37.2, 48.3), (37.9, 48.55), (37.75, 49.55), (36.2, 47.65), (35.95, 47.55), (38.0, 49.2)]


def months() -> list[dt.date]:
    """The last day of each month from July 2024 to August 2026."""
    days = []
    for index in range(26):
        year, month = 2024 + (6 + index) // 12, (6 + index) % 12 + 1
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(following - dt.timedelta(days=1))
    return days


def write_history(path: Path) -> None:
    import shapely

    import territory

    held = territory.snapshot("2025-08-08").russia
    dense = shapely.segmentize(held, 0.014)

    def wobble(xy: np.ndarray) -> np.ndarray:  # the source's own coast: the same every date
        shift = np.column_stack([np.sin(xy[:, 1] * 90), np.cos(xy[:, 0] * 90)])
        return xy + 0.0005 * shift

    base = shapely.make_valid(shapely.transform(dense, wobble))
    features = []
    for index, day in enumerate(months()):
        taken = [
            shapely.Point(lon, lat).buffer((3 + 1.2 * index) / 111, quad_segs=12)
            for lon, lat in FRONTS
        ]
        area = shapely.union_all([base, *taken]) if index else base
        features.append(
            {
                "type": "Feature",
                "id": str(index),
                "properties": {"date": day.isoformat()},
                "geometry": json.loads(shapely.to_geojson(area, indent=None)),
            }
        )
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def render(
    path: Path, out: Path, every: str, start: str | None, end: str | None
) -> tuple[float, float]:
    """Seconds to build and write the page, as ``territory render --history`` does it, in a
    new process; and the CPU seconds it took (user and system, its workers' included)."""
    command = [sys.executable, "-m", "territory.cli", "--quiet", "render", "--history", str(path)]
    command += ["--every", every, "-o", str(out)]
    command += ["--from", start] if start else []
    command += ["--to", end] if end else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def switch_times(page: Path) -> list[float]:
    """Milliseconds from moving the slider to the new date drawn, for every date."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        tab = context.new_page()
        tab.goto(page.as_uri())
        tab.wait_for_function("window.Territory && Territory.maps.length > 0")
        times = tab.evaluate(
            """() => {
                const range = document.querySelector(".terr-timeline-range");
                const out = [];
                for (let i = Number(range.max); i >= 0; i--) {
                    const start = performance.now();
                    range.value = String(i);
                    range.dispatchEvent(new Event("input"));
                    document.body.getBoundingClientRect();  // layout done, as a reader sees it
                    out.push(performance.now() - start);
                }
                return out;
            }"""
        )
        browser.close()
    return [float(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--archive", type=Path, default=None, help="a real archive")
    parser.add_argument("--synthetic", action="store_true", help="the synthetic monthly history")
    parser.add_argument("--every", default=None, choices=["day", "week", "month"])
    parser.add_argument("--from", dest="start", default=None)
    parser.add_argument("--to", dest="end", default=None)
    args = parser.parse_args()
    real = sorted(SHARED.glob("deepstate-daily-*.geojson.gz"))
    archive = None if args.synthetic else args.archive or (real[-1] if real else None)
    if archive is None and not HISTORY.exists():
        write_history(HISTORY)
    every = args.every or ("week" if archive else "month")
    renders, loops, switches = [], [], []
    render_cpu, loop_cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "history.html"
        for _ in range(args.runs):  # interleaved: the load of the machine drifts
            wall, cpu = render(archive or HISTORY, page, every, args.start, args.end)
            renders.append(wall)
            render_cpu.append(cpu)
            if archive is not None:
                loop = timed(STRTREE, archive)
                loops.append(loop[0])
                loop_cpu.append(loop[3])
            switches.append(switch_times(page))
        size = page.stat().st_size
    every_switch = [t for run in switches for t in run]
    source = archive.name if archive else "synthetic monthly history"
    print(f"\n{source}, every {every}, {args.runs} runs; Python {sys.version.split()[0]}\n")
    print("| measure | value | target |\n|---|---:|---|")
    print(f"| page size (MB) | {size / 1e6:.2f} | < 1.5 |")
    print(f"| build and write the page (s, median) | {statistics.median(renders):.1f} | |")
    if loops:
        ratio = statistics.median(r / loop for r, loop in zip(renders, loops, strict=True))
        print(f"| plain loop over the archive (s, median) | {statistics.median(loops):.1f} | |")
        print(f"| build time / plain loop | {ratio:.2f}x | ≤ 2x (weekly), ≤ 1x (40 dates) |")
        # CPU seconds move less with the machine's load than wall time: the build's two
        # workers, on two cores, wait when the host takes one, where the loop, on one, may not.
        cpu_ratio = statistics.median(
            r / loop for r, loop in zip(render_cpu, loop_cpu, strict=True)
        )
        print(f"| CPU seconds: build (all its processes) / plain loop | {cpu_ratio:.2f}x | |")
    print(f"| date switch, median (ms) | {statistics.median(every_switch):.1f} | < 50 |")
    print(f"| date switch, slowest (ms) | {max(every_switch):.1f} | < 50 |")


if __name__ == "__main__":
    main()
