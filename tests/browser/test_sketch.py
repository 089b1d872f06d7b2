"""Sketching a settlement in the page (territory.render.sketch, static/sketch.js): drawn by
pointer or loaded, priced live, exported as a scenario file whose numbers `territory stats`
gives again. In Debian's Chromium, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import territory
from territory.render import map_html, render_comparison, save_map

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
)
PHONE, DESKTOP = (390, 844), (1280, 800)


def _box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


#: A sketch as a reader might load it: Russia takes the rest of Donetsk and a strip of
#: Kharkiv and Dnipropetrovsk (recognised de facto); Ukraine gets back a corner of Zaporizhzhia
#: (demilitarised); a later shape over the first one keeps a corner as it is.
SKETCH = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"control": "russia", "recognition": "de_facto"},
            "geometry": _box(36.6, 48.2, 38.3, 49.3),
        },
        {
            "type": "Feature",
            "properties": {"control": "ukraine", "demilitarised": True},
            "geometry": _box(34.8, 47.0, 35.6, 47.6),
        },
        {
            "type": "Feature",
            "properties": {"control": "keep"},
            "geometry": _box(36.6, 48.2, 37.0, 48.5),
        },
    ],
}


@pytest.fixture(scope="module")
def sketch_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sketch")
    return save_map(render_comparison(["status-quo"], sketch=True), folder / "sketch.html")


def _ready(page: Any) -> None:
    page.wait_for_function("window.territorySketch !== undefined")


def _stats(run, folder: Path, exported: dict[str, str]) -> dict[str, dict[str, float]]:
    (folder / "sketch.toml").write_text(exported["toml"], encoding="utf-8")
    (folder / "sketch.geojson").write_text(exported["geojson"], encoding="utf-8")
    result = run("stats", "sketch", "--scenarios", str(folder / "sketch.toml"), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    return {r["region"]: r for r in rows}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_loaded_sketch_is_priced_as_the_command_line_prices_its_export(
    page_at, sketch_page, run, tmp_path, size
) -> None:
    with page_at(sketch_page, size) as page:
        _ready(page)
        assert page.evaluate("s => window.territorySketch.load(s)", SKETCH) == 3
        live = page.evaluate("() => window.territorySketch.summary()")
        exported = page.evaluate("() => window.territorySketch.export()")
        assert 'file = "sketch.geojson"' in exported["toml"]
        rows = _stats(run, tmp_path, exported)
        regions = {r["region"]: r for r in live["regions"]}
        assert {"UA-14", "UA-63", "UA-12", "UA-23"} <= set(regions)
        for code, row in rows.items():
            if code == "UA" or code not in regions and not row["to_russia_km2"]:
                continue
            for key in ("to_russia_km2", "to_ukraine_km2"):
                assert regions[code][key] == pytest.approx(row[key], rel=1e-3, abs=0.05), (
                    code,
                    key,
                )
        assert live["total_to_russia_km2"] == pytest.approx(rows["UA"]["to_russia_km2"], rel=1e-3)
        # The same towns as the command line finds for the exported scenario.
        (scenario,) = territory.load_scenarios(tmp_path / "sketch.toml")
        towns = territory.diff(territory.resolve(scenario)).towns
        assert sorted(live["towns"]) == sorted(towns["name"])
        assert "Kramatorsk" in live["towns"] and "Sloviansk" in live["towns"]
        # The export loads back into the sketch with the same price.
        assert page.evaluate("s => window.territorySketch.load(s)", exported["geojson"]) == 3
        again = page.evaluate("() => window.territorySketch.summary()")
        assert again["towns"] == live["towns"]
        assert again["total_to_russia_km2"] == pytest.approx(live["total_to_russia_km2"], 1e-9)
        # The column shows the price and the towns.
        page.wait_for_timeout(100)
        text = page.locator(".terr-sketch").inner_text() if size == DESKTOP else ""
        if text:
            assert "Kramatorsk" in text and "km²" in text


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_shape_drawn_by_pointer_is_priced(page_at, sketch_page, size) -> None:
    with page_at(sketch_page, size) as page:
        _ready(page)

        def at(lon: float, lat: float) -> tuple[float, float]:
            return tuple(
                page.evaluate(
                    """([lat, lon]) => { const m = Territory.maps[0];
                        const p = m.latLngToContainerPoint([lat, lon]);
                        const b = m.getContainer().getBoundingClientRect();
                        return [b.left + p.x, b.top + p.y]; }""",
                    [lat, lon],
                )
            )

        page.locator(".leaflet-pm-toolbar [title='Draw Polygons'] a, "
                     ".leaflet-pm-toolbar .leaflet-pm-icon-polygon").first.click()  # fmt: skip
        corners = [(36.9, 48.5), (37.9, 48.5), (37.9, 49.0), (36.9, 49.0)]
        for lon, lat in corners:
            page.mouse.click(*at(lon, lat))
        page.mouse.click(*at(*corners[0]))  # back on the first point: the shape is done
        page.wait_for_function("window.territorySketch.summary().regions.length > 0")
        live = page.evaluate("() => window.territorySketch.summary()")
        donetsk = next(r for r in live["regions"] if r["region"] == "UA-14")
        assert donetsk["to_russia_km2"] > 1000  # a new shape means: to Russia
        assert "Kramatorsk" in live["towns"]


def test_the_sketch_page_stays_small_and_other_pages_unchanged(sketch_page) -> None:
    assert sketch_page.stat().st_size <= 700 * 1024
    plain = map_html(render_comparison(["status-quo"]))
    assert "Territory.sketch" not in plain and "leaflet-pm" not in plain
    assert "territorySketch" not in plain


def test_starting_from_a_scenario_prices_what_it_moves(page_at, tmp_path) -> None:
    page_path = save_map(
        render_comparison(["status-quo", "us-russia-draft"], sketch=True), tmp_path / "s.html"
    )
    expected = territory.diff(territory.resolve("us-russia-draft"))
    with page_at(page_path, DESKTOP) as page:
        _ready(page)
        page.locator(".terr-sketch-start select").select_option(
            label=territory.scenario("us-russia-draft").title
        )
        page.wait_for_function("window.territorySketch.summary().regions.length > 0")
        live = page.evaluate("() => window.territorySketch.summary()")
        assert live["total_to_russia_km2"] == pytest.approx(expected.km2("to_russia"), rel=1e-3)
        assert sorted(live["towns"]) == sorted(expected.towns["name"])


def test_the_vendored_libraries_are_the_pinned_packages() -> None:
    root = Path(__file__).resolve().parents[2]
    vendor = root / "territory" / "render" / "static" / "vendor"
    lock = json.loads((root / "package-lock.json").read_text())["packages"]
    sources = (vendor / "SOURCES.md").read_text()
    for package in ("@geoman-io/leaflet-geoman-free", "polygon-clipping", "geographiclib-geodesic"):
        entry = lock[f"node_modules/{package}"]
        assert entry["integrity"] in sources and entry["version"] in sources, package
    for licence in ("leaflet-geoman", "polygon-clipping", "geographiclib-geodesic"):
        assert "MIT" in (vendor / f"{licence}.LICENSE").read_text()
    installed = root / "node_modules" / "polygon-clipping" / "dist" / "polygon-clipping.umd.min.js"
    if installed.exists():  # after npm ci: the copy is the package's file, map comment aside
        copied = (vendor / "polygon-clipping.min.js").read_text()
        assert copied.strip() == installed.read_text().split("//# sourceMappingURL")[0].strip()


def test_a_shape_drawn_by_touch_on_a_phone_is_priced(browser, sketch_page) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page = context.new_page()
        page.goto(sketch_page.as_uri())
        _ready(page)
        page.locator(".leaflet-pm-toolbar .leaflet-pm-icon-polygon").first.tap()
        corners = [(36.9, 48.5), (37.9, 48.5), (37.9, 49.0), (36.9, 49.0), (36.9, 48.5)]
        for lon, lat in corners:
            x, y = page.evaluate(
                """([lat, lon]) => { const m = Territory.maps[0];
                    const p = m.latLngToContainerPoint([lat, lon]);
                    const b = m.getContainer().getBoundingClientRect();
                    return [b.left + p.x, b.top + p.y]; }""",
                [lat, lon],
            )
            page.touchscreen.tap(x, y)
            page.wait_for_timeout(400)  # taps apart, as a finger makes them (not a double tap)
        page.wait_for_function("window.territorySketch.summary().regions.length > 0")
        live = page.evaluate("() => window.territorySketch.summary()")
        assert any(r["region"] == "UA-14" and r["to_russia_km2"] > 1000 for r in live["regions"])
    finally:
        context.close()


def test_a_line_gives_russia_the_ground_up_to_it(page_at, sketch_page, run, tmp_path) -> None:
    """A line drawn west of the Donbas front, from the Russian border to the Sea of Azov: the
    ground between it and the front passes to Russia, carried on to the frame at both ends."""
    line = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"control": "russia"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[37.4, 50.3], [37.0, 49.0], [37.0, 47.9], [37.2, 47.0]],
                },
            }
        ],
    }
    with page_at(sketch_page, DESKTOP) as page:
        _ready(page)
        assert page.evaluate("s => window.territorySketch.load(s)", line) == 1
        live = page.evaluate("() => window.territorySketch.summary()")
        exported = page.evaluate("() => window.territorySketch.export()")
    regions = {r["region"]: r for r in live["regions"]}
    assert regions["UA-14"]["to_russia_km2"] > 500 and "UA-48" not in regions  # east only
    assert "Kramatorsk" in live["towns"] and "Dnipro" not in live["towns"]
    rows = _stats(run, tmp_path, exported)
    for code, region in regions.items():
        assert region["to_russia_km2"] == pytest.approx(rows[code]["to_russia_km2"], rel=1e-3)
