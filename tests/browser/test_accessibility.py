"""The page for every reader: axe-core's checks, keyboard use of every control, a swipe
divider that keeps clear of the chrome on a phone, a legend that opens without moving the
map, and names that keep clear of markers and of the line. In Debian's Chromium, offline.

axe-core is the version that package-lock.json pins, installed by ``npm ci`` (scripts/test).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from territory.render import render_comparison, save_map
from territory.render.rows import CAPITALS
from territory.render.symbols import CATEGORIES, legend_label
from territory.words import words

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="needs axe-core: npm ci (scripts/test runs it)"),
]
PHONE, EMBED, DESKTOP = (390, 844), (600, 400), (1280, 800)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("access")
    pair = render_comparison(
        ["status-quo", "us-russia-draft"], left="status-quo", right="us-russia-draft", swipe=True
    )
    return {
        "comparison": save_map(render_comparison(), folder / "comparison.html"),
        "embed": save_map(render_comparison(embed=True), folder / "embed.html"),
        "pair": save_map(pair, folder / "pair.html"),
    }


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


@pytest.mark.parametrize(
    ("name", "size"),
    [("comparison", PHONE), ("comparison", DESKTOP), ("embed", EMBED), ("pair", PHONE)],
    ids=["phone", "desktop", "embed", "pair-phone"],
)
def test_axe_finds_nothing_serious(page_at, pages, name: str, size) -> None:
    with page_at(pages[name], size) as page:
        found = _axe(page)
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        assert not serious, serious
        # What was fixed stays fixed: a main landmark, and a page a reader may zoom.
        ids = {v["id"] for v in found}
        assert not ids & {"landmark-one-main", "meta-viewport", "html-has-lang", "region"}, found
        # The legend opened (a button where it folds): still nothing serious.
        toggle = page.locator(".terr-legend-toggle")
        if toggle.is_visible():
            toggle.click()
        opened = [v for v in _axe(page) if v["impact"] in ("serious", "critical")]
        assert not opened, opened


#: Every control a reader can use, numbered in the page (a radio group is one stop: the
#: arrow keys move within it).
CONTROLS = """() => {
  const all = [...document.querySelectorAll(
      '.terr-map button, .terr-map input, .terr-map select, .terr-map a[href], '
      + '.terr-map [role=slider]')]
    .filter(e => e.offsetParent !== null)
    .filter(e => !(e.type === 'radio' && !e.checked));
  all.forEach((e, i) => e.setAttribute('data-control', i));
  return all.map(e => ({tag: e.tagName, type: e.type || '', tabindex: e.tabIndex,
                        label: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40)}));
}"""
FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {control: e.getAttribute('data-control'), tag: e.tagName,
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none'}; }"""


@pytest.mark.parametrize("size", [PHONE, EMBED, DESKTOP], ids=["phone", "embed", "desktop"])
def test_every_control_is_reached_by_keyboard_with_a_visible_focus(page_at, pages, size) -> None:
    name = "embed" if size == EMBED else "comparison"
    with page_at(pages[name], size) as page:
        controls = page.evaluate(CONTROLS)
        assert len(controls) >= 3
        for control in controls:  # real buttons and inputs, none taken out of the order
            assert control["tag"] in ("BUTTON", "INPUT", "SELECT", "A", "DIV"), control
            assert control["tabindex"] >= 0, control
        reached: dict[str, dict] = {}
        for _ in range(len(controls) + 3):  # the controls come first in the order
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["control"] is not None:
                reached[focused["control"]] = focused
        missing = [c for i, c in enumerate(controls) if str(i) not in reached]
        assert not missing, missing
        for focused in reached.values():
            assert focused["outline"] or focused["shadow"], focused  # a focus one can see
        labels = " ".join(c["label"] for c in controls)
        if size != DESKTOP:
            assert "Legend" in labels  # the folded legend opens by keyboard
            toggle = page.locator(".terr-legend-toggle")
            toggle.focus()
            page.keyboard.press("Enter")
            assert toggle.get_attribute("aria-expanded") == "true"


def test_the_divider_moves_by_keyboard(page_at, pages) -> None:
    with page_at(pages["pair"], DESKTOP) as page:
        handle = page.locator(".terr-divider-handle")
        assert handle.get_attribute("role") == "slider"
        before = float(handle.get_attribute("aria-valuenow"))
        x_before = page.locator(".terr-divider").bounding_box()["x"]
        handle.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        after = float(handle.get_attribute("aria-valuenow"))
        assert after == pytest.approx(before + 10, abs=1)
        assert page.locator(".terr-divider").bounding_box()["x"] > x_before + 100
        page.keyboard.press("Home")  # as far left as the column beside the map allows
        side = page.locator(".terr-side").bounding_box()
        assert page.locator(".terr-divider").bounding_box()["x"] >= side["x"] + side["width"]


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_on_a_phone_the_divider_crosses_no_title_or_button(page_at, pages) -> None:
    with page_at(pages["pair"], PHONE) as page:
        divider = page.locator(".terr-divider").bounding_box()
        assert divider["height"] > 300  # still most of the map's height
        chrome = page.locator(
            ".terr-head, .terr-side button, .terr-swipe-tag, .terr-legend button, "
            ".leaflet-control-zoom, .leaflet-control-attribution"
        )
        for i in range(chrome.count()):
            box = chrome.nth(i).bounding_box()
            if box:
                assert not _overlap(divider, box), chrome.nth(i).evaluate("e => e.className")
        # Ukraine fills the phone's width.
        width = page.evaluate(
            """() => { const m = Territory.maps[0], s = Territory.state(m);
                const a = m.latLngToContainerPoint(s.bounds.getSouthWest()),
                      b = m.latLngToContainerPoint(s.bounds.getNorthEast());
                return b.x - a.x; }"""
        )
        assert width > 0.85 * PHONE[0]


def test_the_legend_opens_without_moving_the_map(page_at, pages) -> None:
    with page_at(pages["embed"], EMBED) as page:
        view = "() => { const m = Territory.maps[0]; return [m.getCenter(), m.getZoom()]; }"
        before = page.evaluate(view)
        page.locator(".terr-legend-toggle").click()
        assert page.locator(".terr-legend ul").first.is_visible()
        assert page.evaluate(view) == before


LABELS_AND_OBSTACLES = """() => {
  const m = Territory.maps[0], s = Territory.state(m);
  const frame = m.getContainer().getBoundingClientRect();
  const labels = [...document.querySelectorAll('.terr-label')]
    .filter(n => getComputedStyle(n).visibility === 'visible')
    .map(n => {
      const b = n.getBoundingClientRect();
      return [n.textContent, b.left, b.top, b.right, b.bottom];
    });
  const dots = [...document.querySelectorAll('.terr-place')].map(n => {
    const b = n.getBoundingClientRect();
    return [(b.left + b.right) / 2, (b.top + b.bottom) / 2];
  });
  const line = [];
  const latlngs = s.line.getLatLngs();
  (L.LineUtil.isFlat(latlngs) ? [latlngs] : latlngs).forEach(path => {
    for (let i = 1; i < path.length; i++) {
      const a = m.latLngToContainerPoint(path[i - 1]), b = m.latLngToContainerPoint(path[i]);
      const steps = Math.min(200, Math.ceil(a.distanceTo(b) / 2));
      for (let k = 0; k <= steps; k++) {
        const t = k / steps;
        line.push([frame.left + a.x + (b.x - a.x) * t, frame.top + a.y + (b.y - a.y) * t]);
      }
    }
  });
  return {labels, dots, line};
}"""


@pytest.mark.parametrize("size", [PHONE, EMBED, DESKTOP], ids=["phone", "embed", "desktop"])
def test_names_keep_clear_of_markers_and_of_the_line(page_at, pages, size) -> None:
    name = "embed" if size == EMBED else "comparison"
    with page_at(pages[name], size) as page:
        found = page.evaluate(LABELS_AND_OBSTACLES)
        assert len(found["labels"]) > 10 and len(found["line"]) > 100
        inside = lambda p, b: b[1] < p[0] < b[3] and b[2] < p[1] < b[4]  # noqa: E731
        for label in found["labels"]:
            crossing = [p for p in found["line"] if inside(p, label)]
            assert not crossing, label[0]
        # No name covers a marker in the Donbas; elsewhere only a regional capital's may
        # cover a smaller town's dot, where there is no other room for it.
        donbas = page.evaluate(
            """() => { const m = Territory.maps[0], f = m.getContainer().getBoundingClientRect();
                const a = m.latLngToContainerPoint([47.0, 36.5]);
                const b = m.latLngToContainerPoint([49.8, 40.3]);
                return [f.left + a.x, f.top + b.y, f.left + b.x, f.top + a.y]; }"""
        )
        for label in found["labels"]:
            covered = [d for d in found["dots"] if inside(d, label)]
            in_donbas = label[1] < donbas[2] and donbas[0] < label[3]
            in_donbas = in_donbas and label[2] < donbas[3] and donbas[1] < label[4]
            if covered and (in_donbas or label[0] not in CAPITALS):
                raise AssertionError((label[0], covered))


#: English a reader of a Ukrainian page must not meet: every fixed text of the page's
#: English table, the legend, and Leaflet's zoom buttons.
ENGLISH = [
    *(
        text
        for key, text in words("en").items()
        if key not in ("months", "km", "km2", "group", "decimal", "figure_sources")
        and "{" not in text
        and len(text) > 4
    ),
    *(legend_label(key) for key, _, _ in CATEGORIES),
]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_ukrainian_page_speaks_ukrainian_to_every_reader(page_at, tmp_path, size) -> None:
    page_path = save_map(
        render_comparison(
            ["status-quo", "us-russia-draft", "28-point-plan"], lang="uk", swipe=True
        ),
        tmp_path / "uk.html",
    )
    with page_at(page_path, size) as page:
        fold = page.locator(".terr-fold")
        if fold.is_visible():
            fold.click()
        toggle = page.locator(".terr-legend-toggle")
        if toggle.is_visible():
            toggle.click()
        # A zone's tooltip, as a pointer shows it.
        page.evaluate(
            """() => { const s = Territory.state(Territory.maps[0]);
                s.map.eachLayer(l => { if (l.getTooltip && l.getTooltip() && !s.tipShown
                    && l.options.className && l.options.className.includes('terr-zone')) {
                    l.openTooltip(); s.tipShown = true; } }); }"""
        )
        seen = page.evaluate(
            """() => document.body.innerText + ' ' + [...document.querySelectorAll(
                '[aria-label], [title], [aria-valuetext]')].map(e => [e.getAttribute('aria-label'),
                e.getAttribute('title'), e.getAttribute('aria-valuetext')].join(' ')).join(' ')"""
        )
        assert "серпня 2025 р." in seen and "км²" in seen and "Збільшити" in seen
        if size == PHONE:  # the legend folds behind its button
            assert "Легенда" in seen
        assert "Станом на" in seen  # the tooltip
        found = [text for text in ENGLISH if text in seen]
        assert not found, found


def test_the_towns_that_changed_hands_are_named_without_overlap(page_at, tmp_path) -> None:
    import datetime as dt

    import territory
    from territory.history import History
    from territory.render import render_history

    days = {
        dt.date.fromisoformat(d): territory.snapshot(d).areas for d in ("2022-02-23", "2025-08-08")
    }
    history = History("two lines", "shipped", days)
    page_path = save_map(
        render_history(history, ["status-quo"], every="day", lang="uk"), tmp_path / "h.html"
    )
    with page_at(page_path, DESKTOP) as page:
        shown = page.evaluate(
            """() => [...document.querySelectorAll('.terr-move-label')]
                .filter(n => getComputedStyle(n).visibility !== 'hidden')
                .map(n => { const b = n.getBoundingClientRect();
                            return [n.textContent, b.left, b.top, b.right, b.bottom]; })"""
        )
        names = [s[0] for s in shown]
        assert "Маріуполь" in names and "Mariupol" not in names  # the page's language
        for i, a in enumerate(shown):
            for b in shown[i + 1 :]:
                assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a, b)
