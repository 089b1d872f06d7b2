"""The written page in a real browser, with the network unavailable.

Uses Debian's Chromium through Playwright's Python package (no browser download). The
whole module is skipped when /usr/bin/chromium is missing; CI installs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import shapely

from territory._resolve import resolve
from territory._scenarios import load_scenarios, scenarios
from territory.render import render_comparison, save_map
from territory.render.symbols import CATEGORIES, STYLE

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A point in the part of Donetsk oblast Ukraine held on 8 August 2025, away from markers.
PROBE = (37.15, 48.45)
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_NOTE = "${alert(1)}"
HOSTILE = f"""
[source]
outlet = "Example"
date = "2025-08-20"

[[scenario]]
id = "hostile"
title = "{XSS_TITLE}"
summary = "Nothing changes."
notes = ["{XSS_NOTE}"]

[[scenario.rule]]
regions = "*"
control = "keep"
"""


@dataclass
class Loaded:
    """A page opened from disk, with everything that went wrong while it ran."""

    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    hostile_file = folder / "hostile.toml"
    hostile_file.write_text(HOSTILE, encoding="utf-8")
    hostile = load_scenarios(hostile_file)
    return {
        "comparison": save_map(render_comparison(), folder / "comparison.html"),
        "hostile": save_map(render_comparison([*hostile, "status-quo"]), folder / "hostile.html"),
        "embed": save_map(render_comparison(embed=True), folder / "embed.html"),
        "pair": save_map(
            render_comparison(
                ["status-quo", "us-russia-draft"],
                left="status-quo",
                right="us-russia-draft",
                swipe=True,
            ),
            folder / "pair.html",
        ),
    }


@pytest.fixture
def open_page(browser: object, pages: dict[str, Path]) -> Iterator:
    contexts = []

    def opener(name: str) -> Loaded:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        loaded = Loaded(page)

        def route(request_route: object) -> None:
            url = request_route.request.url
            if url.startswith(("file:", "data:")):
                request_route.continue_()
            else:
                loaded.blocked.append(url)
                request_route.abort()

        context.route("**/*", route)
        context.set_offline(True)
        page.on("pageerror", lambda error: loaded.errors.append(f"pageerror: {error}"))
        page.on("requestfailed", lambda r: loaded.errors.append(f"requestfailed: {r.url}"))
        page.on(
            "console",
            lambda m: loaded.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )

        def on_dialog(dialog: object) -> None:
            loaded.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(pages[name].as_uri())
        page.wait_for_function("window.Territory && Territory.maps.length > 0")
        return loaded

    yield opener
    for context in contexts:
        context.close()


def _pixel(page: object, lon: float, lat: float) -> tuple[float, float]:
    """Where a longitude/latitude is on screen."""
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = Territory.maps[0];
            const point = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        [lat, lon],
    )
    return x, y


def _zone_under(page: object, x: float, y: float) -> dict[str, str]:
    return page.evaluate(
        """([x, y]) => {
            const hit = document.elementFromPoint(x, y);
            return {cls: hit.getAttribute("class") || "", fill: hit.getAttribute("fill") || ""};
        }""",
        [x, y],
    )


def _scenario_index(css_class: str) -> int:
    found = re.search(r"terr-scenario-(\d+)", css_class)
    assert found, f"no zone under the point (class {css_class!r})"
    return int(found.group(1))


def test_loads_offline_without_errors(open_page) -> None:
    loaded = open_page("comparison")
    loaded.page.wait_for_selector(".terr-zone")
    assert loaded.errors == []
    assert loaded.blocked == []
    assert loaded.page.locator(".terr-zone").count() > 20


def test_one_switcher_entry_per_scenario(open_page) -> None:
    page = open_page("comparison").page
    radios = page.locator(".terr-switcher input[type=radio]")
    assert radios.count() == len(scenarios())
    assert page.locator(".terr-switcher input[type=radio]:checked").count() == 1


def test_legend_and_panel_are_filled(open_page) -> None:
    page = open_page("comparison").page
    legend = page.locator(".terr-legend")
    assert legend.is_visible()
    assert legend.locator("li").count() == len(CATEGORIES)
    panel = page.locator(".terr-panel").text_content()
    first = scenarios()[0]
    assert first.title in panel and "Source" in panel
    assert "8 August 2025" in page.locator(".terr-head").text_content()
    attribution = page.locator(".leaflet-control-attribution").text_content()
    assert "Made with Natural Earth" in attribution and "GeoNames (CC BY 4.0)" in attribution


def test_tooltip_over_donetsk_names_the_region_and_its_area(open_page) -> None:
    page = open_page("comparison").page
    zones = resolve("status-quo")
    zone = zones[zones.intersects(shapely.Point(*PROBE))].iloc[0]
    page.mouse.move(*_pixel(page, *PROBE))
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    text = tooltip.text_content()
    assert "Donetsk" in text and "km²" in text
    shown = float(re.search(r"([\d,.]+) km²", text).group(1).replace(",", ""))
    assert shown == pytest.approx(zone["area_km2"], abs=1)


def test_switching_scenario_changes_the_drawing(open_page) -> None:
    page = open_page("comparison").page
    x, y = _pixel(page, *PROBE)
    before = _zone_under(page, x, y)
    page.check("input[value='us-russia-draft']")
    after = _zone_under(page, x, y)
    assert before["fill"] == STYLE["fill"]["ukraine"]
    assert after["fill"] == "url(#terr-pattern-de_facto)"
    ids = [s.id for s in scenarios()]
    assert _scenario_index(after["cls"]) == ids.index("us-russia-draft")
    assert "us-russia-draft" not in page.locator(".terr-panel-title").text_content()
    assert "Donetsk and Luhansk" in page.locator(".terr-panel-title").text_content()


def test_swipe_divider_reveals_each_side(open_page) -> None:
    page = open_page("comparison").page
    ids = [s.id for s in scenarios()]
    page.check(".terr-toggle-swipe input")
    page.select_option(".terr-swipe-left", str(ids.index("status-quo")))
    page.select_option(".terr-swipe-right", str(ids.index("us-russia-draft")))
    x, y = _pixel(page, *PROBE)

    def drag_to(target: float) -> None:
        handle = page.locator(".terr-divider-handle").bounding_box()
        middle = handle["y"] + handle["height"] / 2
        page.mouse.move(handle["x"] + handle["width"] / 2, middle)
        page.mouse.down()
        page.mouse.move(target, middle, steps=8)
        page.mouse.up()

    drag_to(x - 80)  # the probe on the right-hand side
    handle = page.locator(".terr-divider-handle").bounding_box()
    start_x = handle["x"] + handle["width"] / 2
    assert start_x < x
    assert _scenario_index(_zone_under(page, x, y)["cls"]) == ids.index("us-russia-draft")
    clip_before = page.evaluate("Territory.maps[0].getPane('terr-right').style.clipPath")

    page.mouse.move(start_x, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(x + 60, handle["y"] + handle["height"] / 2, steps=8)
    page.mouse.up()

    clip_after = page.evaluate("Territory.maps[0].getPane('terr-right').style.clipPath")
    assert clip_before.startswith("polygon(") and clip_after != clip_before
    divider = page.locator(".terr-divider").bounding_box()
    assert divider["x"] == pytest.approx(x + 60, abs=4)
    assert _scenario_index(_zone_under(page, x, y)["cls"]) == ids.index("status-quo")


def test_user_text_is_shown_as_text(open_page) -> None:
    loaded = open_page("hostile")
    page = loaded.page
    page.wait_for_timeout(200)
    assert page.locator(".terr-panel-title").text_content() == XSS_TITLE
    assert XSS_NOTE in page.locator(".terr-panel-notes").text_content()
    assert XSS_TITLE in page.locator(".terr-switcher").text_content()
    assert page.locator("img[src='x']").count() == 0
    assert loaded.dialogs == [] and loaded.errors == []


def test_screenshot_of_the_comparison(open_page) -> None:
    page = open_page("comparison").page
    page.check("input[value='us-russia-draft']")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "comparison.png"))
    assert (ARTIFACTS / "comparison.png").stat().st_size > 50_000


def test_a_pair_page_opens_side_by_side(open_page) -> None:
    loaded = open_page("pair")
    page = loaded.page
    assert loaded.errors == []
    assert page.is_checked(".terr-toggle-swipe input")
    assert page.locator(".terr-divider").is_visible()
    assert page.input_value(".terr-swipe-left") == "0"  # status-quo
    assert page.input_value(".terr-swipe-right") == "1"  # us-russia-draft
    assert page.evaluate("Territory.maps[0].getPane('terr-right').style.clipPath").startswith(
        "polygon("
    )


KYIV, DONETSK_CITY = (30.52, 50.45), (37.80, 48.00)


@pytest.mark.parametrize("size", [(390, 844), (600, 400), (1280, 800)])
def test_first_view_at_phone_embed_and_desktop_sizes(browser, pages, size) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        context.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        page = context.new_page()
        page.goto(pages["comparison"].as_uri())
        page.wait_for_function("window.Territory && Territory.maps.length > 0")
        # Ukraine is drawn at a readable size, not a blob in a corner.
        assert page.evaluate("Territory.maps[0].getZoom()") >= 4
        covers = page.evaluate(
            """() => [...document.querySelectorAll(['.terr-side', '.terr-legend',
                    '.leaflet-control-zoom', '.leaflet-control-attribution'].join(','))]
                .filter(e => e.offsetParent !== null)
                .map(e => { const b = e.getBoundingClientRect();
                            return [b.left, b.top, b.right, b.bottom]; })"""
        )
        for lon, lat in (KYIV, DONETSK_CITY):
            x, y = _pixel(page, lon, lat)
            assert 0 < x < width and 0 < y < height, (lon, lat, x, y)
            for left, top, right, bottom in covers:
                assert not (left <= x <= right and top <= y <= bottom), (lon, lat, size)
        page.screenshot(path=str(ARTIFACTS / f"first-view-{width}x{height}.png"))
        assert page.evaluate("document.documentElement.lang") == "en"
        if width <= 700:
            # Folded: the scenario switcher opens from its button, the legend from its heading.
            assert not page.locator(".terr-slot-controls").is_visible()
            page.click(".terr-fold")
            assert page.locator(".terr-slot-controls").is_visible()
            assert not page.locator(".terr-legend ul").is_visible()
            view = page.evaluate("[Territory.maps[0].getCenter(), Territory.maps[0].getZoom()]")
            page.focus(".terr-legend-toggle")  # a real button: the keyboard opens it
            page.keyboard.press("Enter")
            assert page.locator(".terr-legend ul").is_visible()
            assert page.locator(".terr-legend-toggle").get_attribute("aria-expanded") == "true"
            # The legend opens over the map, which stays where it was.
            after = page.evaluate("[Territory.maps[0].getCenter(), Territory.maps[0].getZoom()]")
            assert after == view
        else:
            assert page.locator(".terr-slot-controls").is_visible()
            assert not page.locator(".terr-fold").is_visible()
    finally:
        context.close()


def test_the_page_says_where_the_line_and_the_scenarios_come_from(browser, tmp_path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[source]\noutlet = "Example"\ndate = "2025-11-20"\ntitle = "A plan"\n'
        'url = "https://example.org/plan"\n'
        '[[scenario]]\nid = "linked"\ntitle = "Linked"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
        '[[scenario]]\nid = "unlinked"\ntitle = "Unlinked"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n',
        encoding="utf-8",
    )
    hostile = tmp_path / "hostile-url.toml"
    hostile.write_text(plan.read_text().replace("https://example.org/plan", "javascript:alert(1)"))
    found = load_scenarios(plan)[:1] + load_scenarios(hostile)[1:]
    path = save_map(render_comparison(found), tmp_path / "sources.html")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("window.Territory && Territory.maps.length > 0")
        head = page.locator(".terr-head").inner_text()
        assert "Line: territory, drawn from public reports" in head
        details = page.locator(".terr-panel").inner_text()
        assert "how accurate is the line?" in details.lower() and "Median about 1.3 km" in details
        link = page.locator(".terr-panel-source a")
        assert link.count() == 1 and link.get_attribute("href") == "https://example.org/plan"
        page.locator("input[type=radio]").nth(1).check()
        assert page.locator(".terr-panel-source a").count() == 0  # javascript: stays text
        assert "javascript:alert(1)" in page.locator(".terr-panel-source").inner_text()
    finally:
        context.close()


def test_demilitarised_ground_is_striped_and_named_in_the_tooltip(open_page) -> None:
    loaded = open_page("comparison")
    page = loaded.page
    stripes = page.locator("path.terr-demilitarised")
    assert stripes.count() == 0  # the first scenario demilitarises nothing
    page.check("input[value='28-point-plan']")
    assert stripes.count() > 0
    assert stripes.first.get_attribute("fill") == "url(#terr-pattern-demilitarised)"
    assert stripes.first.get_attribute("stroke") == STYLE["demilitarised"]["color"]
    # The stripes lie over the zone, never catching the pointer: the zone's tooltip shows.
    page.mouse.move(*_pixel(page, *PROBE))
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "Demilitarised under this scenario" in tooltip.text_content()
    assert tooltip.bounding_box()["width"] > 200  # not squeezed into a column of words
    panel = page.locator(".terr-panel-figures").text_content()
    assert re.search(r"Demilitarised: [\d,]+ km²", panel)
    rules = page.locator(".terr-panel-rules").text_content()
    assert "Demilitarised buffer zone" in rules and "the ground handed over demilitarised" in rules
    page.check("input[value='fez-pullback-10km']")
    rules = page.locator(".terr-panel-rules").text_content()
    assert "within 10 km of the line of contact, both sides" in rules
    page.check("input[value='freeze']")
    assert stripes.count() == 0
    assert loaded.errors == []


@pytest.fixture(scope="module")
def history_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import datetime as dt
    import json

    import territory
    from territory.render import render_history

    folder = tmp_path_factory.mktemp("history")
    base = territory.snapshot("2025-08-08").russia
    features = []
    for i, day in enumerate(("2025-06-30", "2025-07-31", "2025-08-31")):
        # Ground taken westwards into Donetsk oblast, month by month.
        held = shapely.union(base, shapely.box(37.3 - 0.15 * i, 48.2, 37.6, 48.6))
        features.append(
            {
                "type": "Feature",
                "properties": {"date": day},
                "geometry": json.loads(shapely.to_geojson(held)),
            }
        )
    path = folder / "three.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    history = territory.read_history(path)
    assert history.dates[-1] == dt.date(2025, 8, 31)
    page = render_history(history, ["status-quo", "us-russia-draft"], every="day")
    return save_map(page, folder / "history.html")


def test_the_time_slider_changes_the_date_and_the_drawing(browser, history_page) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    try:
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        context.set_offline(True)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(history_page.as_uri())
        page.wait_for_function("window.Territory && Territory.maps.length > 0")
        shown = page.locator(".terr-timeline-date")
        assert shown.inner_text() == "31 August 2025"
        font = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.terr-timeline-date')).fontSize)"
        )
        assert font >= 24  # the date in large type

        def drawing() -> list[str]:
            return page.evaluate(
                "[...document.querySelectorAll('path.terr-zone')].map(p => p.getAttribute('d'))"
            )

        def line() -> str:
            return page.locator("path.terr-line").get_attribute("d")

        last, last_line = drawing(), line()
        slider = page.locator(".terr-timeline-range")
        slider.fill("0")  # moves the slider and fires its input event
        assert shown.inner_text() == "30 June 2025"
        first = drawing()
        assert first != last and line() != last_line
        assert "30 June 2025" in page.locator(".terr-panel-figures").inner_text()
        assert "30 June 2025" in page.locator(".terr-toggle-changes").inner_text()
        # The keyboard moves it too, a date at a time.
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert shown.inner_text() == "31 July 2025"
        page.locator(".terr-timeline-button[aria-label='One date back']").click()
        assert shown.inner_text() == "30 June 2025"
        # Play runs to the last date and stops.
        page.locator(".terr-timeline-button[aria-label='Play']").click()
        page.wait_for_function(
            "document.querySelector('.terr-timeline-date').textContent === '31 August 2025'",
            timeout=5000,
        )
        page.wait_for_selector(".terr-timeline-button[aria-label='Play']")
        assert drawing() == last and line() == last_line
        # The scenario follows the date: the draft resolved on the date shown.
        page.check("input[value='us-russia-draft']")
        slider.fill("0")
        panel = page.locator(".terr-panel-figures").inner_text()
        assert "30 June 2025" in panel and "to Russia" in panel
        page.screenshot(path=str(ARTIFACTS / "history-1280x800.png"))
    finally:
        context.close()
    assert errors == []


def test_each_date_of_the_slider_shows_the_zones_of_that_date(page_at, history_page) -> None:
    """Frames hold what changed from the frame before; the page rebuilds each date whole."""
    import json

    import territory

    html = history_page.read_text(encoding="utf-8")
    payload = json.loads(re.search(r"Territory\.zones\(\w+, (\{.*?\})\);\n", html).group(1))
    kept = [row for frame in payload["frames"][1:] for rows in frame["zones"] for row in rows]
    # Rows as before: an index, or runs of them as [index, count], not the rows again.
    assert any(isinstance(row, int) or len(row) == 2 for row in kept)
    history = territory.read_history(history_page.parent / "three.geojson")
    shown_rows = """() => Territory.state(Territory.maps[0]).data.scenarios.map(
        (s) => s.zones.map((r) => [r[1], r[5], r[10]]))"""
    shown_totals = """() => Territory.state(Territory.maps[0]).data.scenarios.map(
        (s) => [s.totals.russia, s.totals.to_russia])"""
    with page_at(history_page, (1280, 800)) as page:
        for index, day in enumerate(history.dates):
            page.locator(".terr-timeline-range").fill(str(index))
            shown = page.evaluate(shown_rows)
            figures = page.evaluate(shown_totals)
            for rows, scenario_id, (russia, moved) in zip(
                shown, ["status-quo", "us-russia-draft"], figures, strict=True
            ):
                zones = territory.resolve(scenario_id, history.snapshot(day))
                total = territory.totals(zones).iloc[0]
                assert russia == pytest.approx(total["russia_km2"], abs=0.01)
                assert moved == pytest.approx(total["to_russia_km2"], abs=0.01)
                expected = zones.groupby(["region", "control_after"])["area_km2"].sum()
                drawn: dict[tuple[str, str], float] = {}
                for region, control, km2 in rows:
                    drawn[region, control] = drawn.get((region, control), 0.0) + km2
                assert drawn.keys() == set(expected.index)
                for key, km2 in drawn.items():
                    assert km2 == pytest.approx(expected[key], abs=0.5), (day, scenario_id, key)
        assert page.errors_seen == []


def test_each_date_of_the_slider_draws_what_a_page_of_that_date_draws(
    page_at, history_page, tmp_path
) -> None:
    """Shapes written as an earlier date's with what changed, and frames as what changed
    from the frame before: rebuilt in the page, they draw each date's zones exactly."""
    import territory

    assert '"from":' in history_page.read_text(encoding="utf-8")  # shapes written as others
    history = territory.read_history(history_page.parent / "three.geojson")
    zone_paths = "[...document.querySelectorAll('path.terr-zone')].map(p => p.getAttribute('d'))"
    for index, day in enumerate(history.dates):
        alone = save_map(
            render_comparison(["status-quo", "us-russia-draft"], history.snapshot(day)),
            tmp_path / f"{day}.html",
        )
        with page_at(alone, (1280, 800)) as page:
            expected = sorted(page.evaluate(zone_paths))
        with page_at(history_page, (1280, 800)) as page:
            page.locator(".terr-timeline-range").fill(str(index))
            assert sorted(page.evaluate(zone_paths)) == expected, day
            assert page.errors_seen == []


def test_a_slider_walked_back_and_forth_draws_each_date_as_a_page_of_that_date(
    page_at, history_page, tmp_path
) -> None:
    """Zones unchanged from one date to the next keep their layers on the map: whatever
    the dates shown before, a date's fills, stripes and changes are those of a page made
    for that date alone, in the same order (the order decides which outline is on top)."""
    import territory

    history = territory.read_history(history_page.parent / "three.geojson")
    drawing = """() => [...document.querySelectorAll('.leaflet-terr-single-pane path')]
        .map(p => p.getAttribute('class').split(' ')[0] + ' ' + p.getAttribute('d'))"""
    expected = {}
    for index, day in enumerate(history.dates):
        alone = save_map(
            render_comparison(["status-quo", "us-russia-draft"], history.snapshot(day)),
            tmp_path / f"{day}.html",
        )
        with page_at(alone, (1280, 800)) as page:
            page.check("input[value='us-russia-draft']")
            expected[index] = page.evaluate(drawing)
    assert any(path.startswith("terr-change") for path in expected[0])
    last = len(history.dates) - 1
    with page_at(history_page, (1280, 800)) as page:
        page.check("input[value='us-russia-draft']")
        for index in [last, 0, 1, last, 1, 0, 0, last]:
            page.locator(".terr-timeline-range").fill(str(index))
            assert page.evaluate(drawing) == expected[index], index
        # A scenario drawn on an earlier date, shown again on another.
        page.check("input[value='status-quo']")
        page.locator(".terr-timeline-range").fill("0")
        page.check("input[value='us-russia-draft']")
        assert page.evaluate(drawing) == expected[0]
        assert page.errors_seen == []


@pytest.mark.parametrize("size", [(390, 844), (360, 740), (320, 640), (600, 400)])
def test_the_time_slider_fits_a_phone_and_an_embed(page_at, history_page, size) -> None:
    width, height = size
    with page_at(history_page, size) as page:
        # The longest date the slider can show, on the narrowest phones: the date and all
        # three buttons stay inside the slider's box.
        page.evaluate(
            "document.querySelector('.terr-timeline-date').textContent = '30 September 2025'"
        )
        box = page.locator(".terr-timeline").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["y"] + box["height"] <= height / 2  # the map keeps most of the screen
        date = page.locator(".terr-timeline-date").bounding_box()
        assert date["height"] < 40  # one line
        assert page.evaluate(
            "(n => n.scrollWidth <= n.clientWidth)(document.querySelector('.terr-timeline-date'))"
        )
        for button in page.locator(".terr-timeline-button").all():
            edges = button.bounding_box()
            assert box["x"] <= edges["x"] and edges["x"] + edges["width"] <= box["x"] + box["width"]
        page.locator(".terr-timeline-button[aria-label='One date back']").click()
        assert page.locator(".terr-timeline-date").inner_text() == "31 July 2025"
        page.screenshot(path=str(ARTIFACTS / f"history-{width}x{height}.png"))


def _visible_labels(page: object) -> dict[str, list[float]]:
    """Every label shown on the map, by text, with its box."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.terr-label')]
            .filter(n => getComputedStyle(n).visibility === 'visible')
            .map(n => { const b = n.getBoundingClientRect();
                        return [n.textContent, [b.left, b.top, b.right, b.bottom]]; }))"""
    )


def _no_two_overlap(boxes: dict[str, list[float]]) -> None:
    items = list(boxes.items())
    for i, (a, (l1, t1, r1, b1)) in enumerate(items):
        for b, (l2, t2, r2, b2) in items[i + 1 :]:
            assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), (a, b)


@pytest.mark.parametrize("size", [(390, 844), (600, 400), (1280, 800)])
def test_labels_name_cities_countries_and_seas_without_overlapping(page_at, pages, size) -> None:
    width, height = size
    with page_at(pages["comparison"], size) as page:
        shown = _visible_labels(page)
        _no_two_overlap(shown)
        assert {"Kyiv", "Odesa", "Lviv", "Kharkiv"} <= set(shown), sorted(shown)
        assert {"Russia", "Belarus", "Black Sea"} <= set(shown), sorted(shown)
        if width >= 1280:
            assert {"Poland", "Romania", "Moldova", "Sea of Azov"} <= set(shown), sorted(shown)
        # Labels keep clear of the panels: none lies under the column, the legend or a button.
        covers = page.evaluate(
            """() => [...document.querySelectorAll(
                    '.terr-side > *, .terr-legend, .leaflet-control-zoom')]
                .filter(e => e.offsetParent !== null)
                .map(e => { const b = e.getBoundingClientRect();
                            return [b.left, b.top, b.right, b.bottom]; })"""
        )
        _no_two_overlap({**shown, **{f"panel {i}": box for i, box in enumerate(covers)}})
        # The towns a scenario moves are named when it is shown, and only then.
        # Zoomed on Kramatorsk, Sloviansk and Kostiantynivka, in the room the panels leave.
        page.evaluate(
            """() => { const map = Territory.maps[0];
                const side = document.querySelector('.terr-side').getBoundingClientRect();
                const narrow = map.getContainer().classList.contains('terr-narrow');
                map.fitBounds([[48.45, 37.4], [48.9, 37.8]], {animate: false,
                    paddingTopLeft: narrow ? [10, side.bottom + 10] : [side.right + 10, 10],
                    paddingBottomRight: [10, 40]}); }"""
        )
        page.evaluate("Territory.activate(Territory.maps[0], 0)")  # the line itself
        assert "Kostiantynivka" not in _visible_labels(page)
        page.evaluate(
            "Territory.activate(Territory.maps[0], "
            f"{[s.id for s in scenarios()].index('us-russia-draft')})"
        )
        moved = _visible_labels(page)
        _no_two_overlap(moved)
        assert {"Kramatorsk", "Sloviansk", "Kostiantynivka"} <= set(moved), sorted(moved)
        page.screenshot(path=str(ARTIFACTS / f"labels-{width}x{height}.png"))
        # Turning the towns off takes their names away too.
        page.evaluate(
            "const box = document.querySelector('.terr-toggle-places input');"
            "box.checked = false; box.dispatchEvent(new Event('change'));"
        )
        assert "Kramatorsk" not in _visible_labels(page)


@pytest.mark.parametrize("size", [(390, 844), (600, 400), (1280, 800)])
def test_the_swipe_opens_over_the_change_with_both_sides_named(page_at, pages, size) -> None:
    width, height = size
    with page_at(pages["pair"], size) as page:
        divider = page.locator(".terr-divider").bounding_box()
        x = divider["x"] + divider["width"] / 2
        # Either side of the divider, at the change, the two scenarios are drawn differently:
        # Ukrainian-held on the left (the line itself), Russian, recognised, on the right.
        at = page.evaluate("Territory.state(Territory.maps[0]).at")
        at_x, at_y = _pixel(page, at[1], at[0])
        assert abs(at_x - x) < 3
        # Near the change point (a few pixels up or down, where no marker sits).
        seen = []
        for dy in sorted(range(-40, 41, 4), key=abs):
            left, right = _zone_under(page, x - 6, at_y + dy), _zone_under(page, x + 6, at_y + dy)
            seen.append((left["fill"], right["fill"]))
        assert (STYLE["fill"]["ukraine"], "url(#terr-pattern-de_facto)") in seen, seen
        tags = page.locator(".terr-swipe-tag")
        assert tags.count() == 2
        texts = [tags.nth(i).inner_text() for i in range(2)]
        assert texts[0].startswith("◀ Left: The line") and texts[1].startswith("Right: US")
        boxes = [tags.nth(i).bounding_box() for i in range(2)]
        assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]  # side by side, not over
        # The legend stays above the divider.
        on_top = page.evaluate(
            """() => { const l = document.querySelector('.terr-legend').getBoundingClientRect();
                const d = document.querySelector('.terr-divider').getBoundingClientRect();
                if (d.left < l.left || d.left > l.right) return true;
                const hit = document.elementFromPoint(d.left + 2, (l.top + l.bottom) / 2);
                return !!hit.closest('.terr-legend'); }"""
        )
        assert on_top
        if width > 700:  # the panel sums up both sides
            panel = page.locator(".terr-panel").inner_text()
            assert "Left: The line" in panel and "Right: US" in panel
        page.screenshot(path=str(ARTIFACTS / f"swipe-{width}x{height}.png"))


@pytest.mark.parametrize("size", [(600, 400), (1280, 800)])
def test_an_embed_keeps_its_chrome_to_one_line(page_at, pages, size) -> None:
    width, height = size
    with page_at(pages["embed"], size) as page:
        side = page.locator(".terr-side").bounding_box()
        assert side["height"] < 70  # the title, the date and the button: one band
        fold = page.locator(".terr-fold").bounding_box()
        head = page.locator(".terr-slot-head").bounding_box()
        assert abs(fold["y"] - head["y"]) < 4  # side by side
        assert not page.locator(".terr-slot-controls").is_visible()
        for lon, lat in (KYIV, DONETSK_CITY):
            x, y = _pixel(page, lon, lat)
            assert side["y"] + side["height"] < y < height, (lon, lat)
        page.click(".terr-fold")
        assert page.locator(".terr-switcher").is_visible()
        page.check("input[value='us-russia-draft']")
        assert "Donetsk and Luhansk" in page.locator(".terr-panel-title").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"embed-{width}x{height}.png"))
        assert page.errors_seen == []


@pytest.mark.parametrize("size", [(390, 844), (600, 400), (1280, 800)])
def test_the_slider_marks_what_changed_hands_since_the_date_before(
    page_at, history_page, size
) -> None:
    import territory
    from territory.render.moves import frame_moves

    history = territory.read_history(history_page.parent / "three.geojson")
    moved = frame_moves([history.snapshot(day) for day in history.dates])
    width, _ = size
    with page_at(history_page, size) as page:
        opener = page.locator("button.terr-fold")
        if opener.count() and opener.first.is_visible():
            opener.first.click()  # a phone or an embed folds the details behind a button
        figures = page.locator(".terr-moves-figures")
        taken = f"{round(moved[-1].taken_km2):,} km²"
        assert figures.inner_text() == (
            f"Since 31 July 2025: Russia took {taken}, Ukraine took back 0 km²."
        )
        assert page.locator("path.terr-move-taken").count() == 1  # the ground taken, outlined
        names = [name for name, _, _ in moved[-1].towns]
        labels = page.evaluate(
            """() => [...document.querySelectorAll('.terr-move-label')].map(n => ({
                text: n.textContent, shown: getComputedStyle(n).visibility !== 'hidden'}))"""
        )
        # The towns taken, named on the map: the largest first, a name that would cover
        # another hidden (the panel lists them all).
        assert [label["text"] for label in labels] == names and names
        assert labels[0]["shown"]
        for label in page.locator(".terr-move-label").all():
            box = label.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        box = page.locator(".terr-moves").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        now = page.locator(".terr-moves-now")
        last_x = float(now.get_attribute("cx"))
        page.locator(".terr-timeline-range").fill("0")
        assert figures.inner_text() == "The first date shown."
        assert page.locator("path.terr-move-taken").count() == 0
        assert float(now.get_attribute("cx")) < last_x  # the chart marks the date shown
        chart = page.locator(".terr-moves-chart").get_attribute("aria-label")
        assert chart.startswith("Ground held by Russia from 30 June 2025 to 31 August 2025")
        page.screenshot(path=str(ARTIFACTS / f"history-moves-{width}x{size[1]}.png"))
        assert page.errors_seen == []
