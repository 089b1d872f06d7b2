"""Benchmarks: territory against the obvious alternative (GeoDataFrame.explore()).

Run by hand from the repository root, after ``pip install -e ".[test,bench]"``::

    python bench/run.py            # prints a Markdown table
    python bench/run.py --runs 7   # more runs per median

Measures, with medians over several runs:

- cold ``territory render`` in a new process (the full article comparison), against the floor
  of ``python -c "import geopandas, folium"`` measured in the same run, as a ratio; and
  against that floor leaving as ``territory`` does (without the collector's last pass);
- warm time to resolve all the shipped scenarios and compute their stats;
- the size of our comparison HTML (self-contained) against what ``GeoDataFrame.explore()``
  writes for the same layers (one layer per scenario, same geometry; explore's file loads
  Leaflet, jQuery, Bootstrap and more from CDNs, so it is not self-contained);
- the time until the map has drawn in headless Chromium (from navigation to the last SVG
  path added), ours against explore's file served with the same assets offline;
- the peak memory (max RSS) of the render process.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Installed before any script of the page runs: records when the last SVG path was added.
RECORD_PATHS_JS = """
window.__lastPath = 0;
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes)
    if (n.nodeName === 'path' || (n.querySelector && n.querySelector('path')))
      window.__lastPath = performance.now();
}).observe(document, {childList: true, subtree: true});
"""
# Resolves once the page has gone 400 ms without a new path: the time of the last one.
LAST_PATH_JS = """
() => new Promise((resolve) => {
  const check = () => (performance.now() - window.__lastPath > 400 && window.__lastPath > 0
    ? resolve(window.__lastPath) : setTimeout(check, 50));
  check();
})
"""


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time (s) and max RSS (KB) of one run of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def cold_render(runs: int, work: Path) -> dict[str, float]:
    """Floor and render in interleaved runs, so that a drift of the machine's load falls on
    both; a ratio is the median of the runs' ratios.

    ``territory`` leaves without the collector's last pass (``territory.cli.run``), which
    ``python -c "import geopandas, folium"`` pays (about 0.1 s): the second floor leaves the
    same way, so that its ratio counts only what the command does besides the imports."""
    floor_command = [sys.executable, "-c", "import geopandas, folium"]
    same_exit = [sys.executable, "-c", "import geopandas, folium, gc; gc.freeze()"]
    territory = [sys.executable, "-m", "territory.cli", "render", "-o", "bench-map.html"]
    floors, same_exits, renders = [], [], []
    for _ in range(runs):
        floors.append(timed(floor_command, work)[0])
        renders.append(timed(territory, work)[0])
        same_exits.append(timed(same_exit, work)[0])
    return {
        "floor_s": statistics.median(floors),
        "same_exit_s": statistics.median(same_exits),
        "render_s": statistics.median(renders),
        "ratio": statistics.median(r / f for r, f in zip(renders, floors, strict=True)),
        "same_exit_ratio": statistics.median(
            r / f for r, f in zip(renders, same_exits, strict=True)
        ),
        "peak_mb": _peak_rss(territory, work) / 1024,
    }


def _peak_rss(command: list[str], cwd: Path) -> float:
    """Max RSS (KB) of one run, measured in a fresh child so earlier runs do not count."""
    probe = (
        "import resource, subprocess, sys; "
        f"subprocess.run({command!r}, cwd={str(cwd)!r}, check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def warm_resolve(runs: int) -> float:
    import territory

    territory.stats(territory.resolve("status-quo"))  # load data and caches once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for scenario in territory.scenarios():
            territory.stats(territory.resolve(scenario))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def explore_file(path: Path) -> Path:
    """What GeoDataFrame.explore() writes for the same layers: one per scenario."""
    import folium

    import territory

    m = None
    for scenario in territory.scenarios():
        zones = territory.resolve(scenario)[["region_name", "control_after", "geometry"]]
        m = zones.explore(
            m=m,
            column="control_after",
            categorical=True,
            name=scenario.id,
            tooltip=["region_name", "control_after"],
            legend=m is None,
            show=m is None,
        )
    folium.LayerControl().add_to(m)
    m.save(str(path))
    return path


def draw_times(files: dict[str, Path], runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright
    from xstatic.pkg import leaflet

    leaflet_dir = Path(leaflet.BASE_DIR)

    def serve_locally(route) -> None:
        """Serve CDN requests from local copies where we have them, else an empty body."""
        url = route.request.url
        name = url.rsplit("/", 1)[-1].split("?")[0]
        if name == "leaflet.js":
            route.fulfill(path=leaflet_dir / "leaflet.js", content_type="text/javascript")
        elif name == "leaflet.css":
            route.fulfill(path=leaflet_dir / "leaflet.css", content_type="text/css")
        elif url.startswith("file:"):
            route.continue_()
        else:
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            route.fulfill(body="", content_type=kind)

    results: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for label, path in files.items():
            samples = []
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route("**/*", serve_locally)
                page.add_init_script(RECORD_PATHS_JS)
                page.goto(path.as_uri(), wait_until="load")
                samples.append(page.evaluate(LAST_PATH_JS))
                page.close()
            results[label] = statistics.median(samples)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cold = cold_render(args.runs, work)
        warm = warm_resolve(args.runs)
        ours = work / "bench-map.html"
        theirs = explore_file(work / "explore.html")
        drawn = draw_times({"ours": ours, "explore": theirs}, args.runs)
        ours_kb, theirs_kb = ours.stat().st_size / 1024, theirs.stat().st_size / 1024

    ratio = cold["ratio"]
    print(
        f"Machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; medians of {args.runs} runs\n"
    )
    print("| measure | territory | baseline | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| cold `territory render` (s) vs `import geopandas, folium` | {cold['render_s']:.2f} "
        f"| {cold['floor_s']:.2f} | {ratio:.2f}x | ≤ 1.3x |"
    )
    print(
        f"| the same, against a floor that leaves as `territory` does | {cold['render_s']:.2f} "
        f"| {cold['same_exit_s']:.2f} | {cold['same_exit_ratio']:.2f}x | |"
    )
    import territory

    count = len(territory.scenarios())
    print(f"| warm resolve + stats, all {count} scenarios (s) | {warm:.3f} | | | |")
    print(
        f"| comparison HTML (KB), self-contained vs explore() (not) | {ours_kb:.0f} "
        f"| {theirs_kb:.0f} | {ours_kb / theirs_kb:.2f}x | < 0.33x |"
    )
    print(
        f"| drawn in headless Chromium (ms, navigation to last path) | {drawn['ours']:.0f} "
        f"| {drawn['explore']:.0f} | {drawn['ours'] / drawn['explore']:.2f}x | a few 100 ms |"
    )
    print(f"| peak memory of the render (MB, max RSS) | {cold['peak_mb']:.0f} | | | |")


if __name__ == "__main__":
    main()
