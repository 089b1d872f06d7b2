"""Benchmark: how fast a sketch page prices a sketch, on a phone-class CPU, and its size.

Run by hand from the repository root::

    python bench/sketch.py              # 4x CPU throttling (a mid-range phone), 30 prices
    python bench/sketch.py --throttle 6 --runs 50

Builds ``territory render --sketch`` (the line of 8 August 2025 alone), opens it in headless
Chromium (Debian's, offline) at 390x844 with the CPU slowed by Chrome's own throttling, loads
a sketch of three shapes with ``vertices`` vertices in all (a many-sided area over the Donbas
passing to Russia, a strip of Zaporizhzhia returning to Ukraine, a square kept as it is), then
times ``window.territorySketch.summary()`` with the page's ``performance.now()``: the work
the page does after each edit (target: under 100 ms). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
from pathlib import Path


def _sketch(vertices: int) -> dict:
    """Three shapes: most of the vertices on the first, an irregular ring over the Donbas."""
    ring = []
    count = max(8, vertices - 10)
    for k in range(count):
        angle = 2 * math.pi * k / count
        radius = 0.55 + 0.08 * math.sin(7 * angle)  # a wobbly edge: every vertex counts
        ring.append([37.4 + radius * 1.5 * math.cos(angle), 48.6 + radius * math.sin(angle)])
    ring.append(ring[0])

    def box(x0: float, y0: float, x1: float, y1: float) -> list:
        return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]

    shapes = [
        ({"control": "russia", "recognition": "de_facto"}, [ring]),
        ({"control": "ukraine", "demilitarised": True}, box(34.8, 47.0, 35.6, 47.6)),
        ({"control": "keep"}, box(36.9, 48.2, 37.2, 48.5)),
    ]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": {"type": "Polygon", "coordinates": c}}
            for p, c in shapes
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--throttle", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--vertices", type=int, default=300)
    options = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from territory.render import render_comparison, save_map

    folder = Path(tempfile.mkdtemp())
    page_path = save_map(render_comparison(["status-quo"], sketch=True), folder / "sketch.html")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page = context.new_page()
        page.goto(page_path.as_uri())
        page.wait_for_function("window.territorySketch !== undefined")
        page.evaluate("s => window.territorySketch.load(s)", _sketch(options.vertices))
        page.evaluate("() => window.territorySketch.summary()")  # warm: the first edit
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": options.throttle})
        times = page.evaluate(
            """runs => { const out = [];
                for (let i = 0; i < runs; i++) { const t = performance.now();
                  window.territorySketch.summary(); out.push(performance.now() - t); }
                return out; }""",
            options.runs,
        )
        browser.close()
    times.sort()
    size_kb = page_path.stat().st_size / 1024
    print("| sketch page | vertices | CPU throttle | price median | price p90 | slowest |")
    print("| --- | --- | --- | --- | --- | --- |")
    p90 = times[int(0.9 * (len(times) - 1))]
    print(
        f"| {size_kb:,.0f} KB | {options.vertices} | {options.throttle:g}x | "
        f"{statistics.median(times):.0f} ms | {p90:.0f} ms | {times[-1]:.0f} ms |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
