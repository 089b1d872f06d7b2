"""The render steps one at a time, then the whole page: offline, small, safe, reproducible."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from territory import snapshot
from territory._resolve import resolve
from territory._scenarios import load_scenarios, scenario, scenarios
from territory.render import map_html, render_comparison, render_scenario, save_map
from territory.render.base import TerritoryMap, add_land, base_map
from territory.render.controls import add_swipe, add_switcher
from territory.render.determinism import deterministic_ids
from territory.render.encode import GeometryTable, derived, runs
from territory.render.line import add_line
from territory.render.markers import add_places
from territory.render.panel import add_panel
from territory.render.rows import FIELDS
from territory.render.safe import js_literal
from territory.render.zones import add_zones

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_NOTE = "${alert(1)}"
JINJA_TEXT = "{{ 7 * 7 }}"

XSS_TOML = f"""
[source]
outlet = "</script><script>alert(2)</script>"
date = "2025-08-20"

[[scenario]]
id = "hostile"
title = "{XSS_TITLE}"
summary = "A summary with {JINJA_TEXT} and a line\\u2028separator."
notes = ["{XSS_NOTE}"]

[[scenario.rule]]
regions = "*"
control = "keep"
claim = "<b>bold?</b>"
"""


@pytest.fixture(scope="module")
def comparison_html() -> str:
    return map_html(render_comparison())


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(XSS_TOML, encoding="utf-8")
    return path


def _payload(html: str, function: str) -> dict:
    match = re.search(rf"Territory\.{function}\(map_\w+, (.*)\);", html)
    assert match, f"no Territory.{function} call in the page"
    return json.loads(match.group(1))


class _Links(HTMLParser):
    """Every src and href of the page's markup (script bodies are not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, name, value))


# ---------- steps, one at a time ----------


def test_base_map_has_no_cdn_assets_and_inlines_leaflet() -> None:
    html = map_html(base_map())
    assert "cdn.jsdelivr" not in html and "bootstrap" not in html.lower()
    assert "Leaflet 1.9.3" in html and "var Territory" in html
    assert "images/marker-icon.png" not in html


def test_land_step_has_neighbours_units_and_credits() -> None:
    m = base_map()
    step = add_land(m, labelled=["UA-14", "UA-09"])
    assert len(step.payload["shapes"]) == 27 + 7
    assert len(m.shapes) == 34
    regions = [label[0] for label in step.payload["labels"] if label[3] == "region"]
    assert regions == ["Donetsk", "Luhansk"]
    others = {label[0]: label[3] for label in step.payload["labels"] if label[3] != "region"}
    assert others["Russia"] == "country" and others["Black Sea"] == "sea"
    assert "Made with Natural Earth" in step.payload["attribution"]
    assert "Contains data from GeoNames (CC BY 4.0)" in step.payload["attribution"]


def test_zones_step_features_point_into_the_shape_table() -> None:
    m = base_map()
    chosen = ["status-quo", "us-russia-draft", "putin-demands"]
    resolved = [(scenario(i), resolve(i)) for i in chosen]
    step = add_zones(m, resolved, right="putin-demands")
    data = step.payload
    assert data["fields"] == list(FIELDS) and data["right"] == "putin-demands"
    for record, (_, zones) in zip(data["scenarios"], resolved, strict=True):
        assert len(record["zones"]) == len(zones)
        assert all(0 <= row[0] < len(m.shapes) for row in record["zones"])
    used = {row[0] for record in data["scenarios"] for row in record["zones"]}
    rows = sum(len(record["zones"]) for record in data["scenarios"])
    assert len(used) < rows  # unchanged regions share one shape


def test_shape_table_stores_a_shared_region_once() -> None:
    table = GeometryTable()
    first = resolve("freeze").set_index("region")
    second = resolve("ukraine-position").set_index("region")
    assert table.add(first.at["UA-46", "geometry"]) == table.add(second.at["UA-46", "geometry"])


def test_line_step_is_encoded_at_four_decimals() -> None:
    step = add_line(base_map(), snapshot())
    assert step.payload["decimals"] == 4 and step.payload["paths"]
    assert "Line of contact on" in step.payload["label"]


def test_places_step_has_the_nuclear_plant_and_large_towns() -> None:
    zones = [resolve("status-quo"), resolve("us-russia-draft")]
    step = add_places(base_map(), ["UA-14", "UA-23"], zones)
    found = {p["name"]: p for p in step.payload["places"]}
    plant = found["Zaporizhzhia Nuclear Power Plant"]
    assert plant["kind"] == "site" and plant["after"] == ["russia", "russia"]
    assert found["Kramatorsk"]["after"] == ["ukraine", "russia"]
    towns = [p for p in step.payload["places"] if p["kind"] == "town"]
    # Large towns always; smaller ones only when a scenario moves them (shown only then).
    assert all(p["population"] >= 100_000 or p["small"] for p in towns)
    assert found["Kostiantynivka"]["small"] and found["Kostiantynivka"]["after"][1] == "russia"
    assert not found["Kramatorsk"]["small"]


def test_places_name_cities_across_ukraine_in_either_language() -> None:
    english = {p["name"]: p for p in add_places(base_map()).payload["places"]}
    assert {"Kyiv", "Odesa", "Lviv", "Uzhhorod"} <= set(english)
    assert (
        english["Kyiv"]["priority"]
        > english["Odesa"]["priority"]
        > english["Kremenchuk"]["priority"]
    )
    ukrainian = {p["name"]: p for p in add_places(base_map(), lang="uk").payload["places"]}
    assert ukrainian["Kyiv"]["short"] == "Київ" and ukrainian["Lviv"]["short"] == "Львів"
    labels = {
        label[0] for label in add_land(base_map(), labelled=["UA-43"], lang="uk").payload["labels"]
    }
    assert {"Крим", "Росія", "Чорне море"} <= labels


def test_panel_switcher_and_swipe_steps_render_alone() -> None:
    m = base_map()
    add_panel(m, title="Title", date="2025-08-08", snapshot_name="2025-08-08")
    add_switcher(m)
    add_swipe(m, left="freeze", right="pre-invasion")
    html = map_html(m)
    assert _payload(html, "panel")["date_line"].startswith("Front line as of 8 August 2025")
    assert _payload(html, "swipe") == {"left": "freeze", "right": "pre-invasion"}
    assert "Territory.switcher(" in html


def test_js_literal_cannot_close_the_script() -> None:
    text = js_literal({"t": "</script><!-- \u2028"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><!-- \u2028"}


def test_ids_are_restored_after_rendering() -> None:
    from branca.element import Element

    with deterministic_ids("x"):
        assert Element()._id == "x0001"
    assert len(Element()._id) == 32


# ---------- the whole page ----------


def test_page_loads_nothing_from_the_network(comparison_html: str) -> None:
    links = _Links()
    links.feed(comparison_html)
    fetched = [u for u in links.urls if u[2].lower().startswith(("http:", "https:", "//"))]
    assert fetched == []
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", comparison_html)
    assert "sourceMappingURL" not in comparison_html


def test_tiles_only_when_asked() -> None:
    html = map_html(render_scenario("freeze", tiles="OpenStreetMap.Mapnik"))
    assert "tile.openstreetmap.org" in html


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = save_map(render_comparison(), tmp_path / "a.html").read_bytes()
    second = save_map(render_comparison(), tmp_path / "b.html").read_bytes()
    assert first == second


def test_full_comparison_is_small(comparison_html: str) -> None:
    size = len(comparison_html.encode("utf-8"))
    print(f"full comparison: {size:,} bytes")
    assert size < 1_000_000
    zones = _payload(comparison_html, "zones")
    assert [s["id"] for s in zones["scenarios"]] == [s.id for s in scenarios()]


def test_coordinates_are_not_repeated_per_scenario(comparison_html: str) -> None:
    shapes = _payload(comparison_html, "shapes")
    zones = _payload(comparison_html, "zones")
    rows = [row for record in zones["scenarios"] for row in record["zones"]]
    assert len(shapes["shapes"]) < len(rows)


def test_user_text_is_escaped(hostile_file: Path) -> None:
    hostile = load_scenarios(hostile_file)
    html = map_html(render_comparison([*hostile, "status-quo"]))
    assert XSS_TITLE not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert "alert(2)" in html and "</script><script>alert(2)" not in html
    assert JINJA_TEXT in html  # not evaluated by the template engine
    assert "\u2028" not in html
    zones = _payload(html, "zones")
    assert zones["scenarios"][0]["title"] == XSS_TITLE
    assert zones["scenarios"][0]["notes"] == [XSS_NOTE]


def test_page_title_is_escaped() -> None:
    html = map_html(render_scenario("freeze", title="<script>alert(3)</script>"))
    assert "<title>&lt;script&gt;alert(3)&lt;/script&gt;</title>" in html


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = save_map(render_scenario("freeze"), tmp_path / "map.html")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_map_shows_inline_in_jupyter() -> None:
    m = render_scenario("freeze")
    assert isinstance(m, TerritoryMap)
    assert "iframe" in m._repr_html_()


def test_shared_edges_are_stored_once_and_give_back_every_ring() -> None:
    import numpy as np

    from territory.render.encode import _integer_polygons
    from territory.render.topology import arcs_of, rings_of

    zones = [resolve(i) for i in ("status-quo", "us-russia-draft", "28-point-plan")]
    geometries = [g for z in zones for g in z.geometry]
    shapes = [_integer_polygons(g, 4) for g in geometries]
    arcs, refs = arcs_of(shapes)
    # Each ring comes back with the same points in the same cyclic order.
    for shape, shape_refs in zip(shapes, refs, strict=True):
        for polygon, polygon_refs in zip(shape, shape_refs, strict=True):
            for ring, back in zip(polygon, rings_of(arcs, polygon_refs), strict=True):
                start = int(np.flatnonzero((ring == back[0]).all(axis=1))[0])
                turned = np.roll(ring, -start, axis=0)
                assert np.array_equal(turned, back) or np.array_equal(
                    np.roll(turned[::-1], 1, axis=0), back
                )
    stored = sum(len(a) for a in arcs)
    drawn = sum(len(r) for s in shapes for p in s for r in p)
    assert stored < 0.6 * drawn  # neighbours share their edges, scenarios their zones


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_page_says_its_language(lang: str) -> None:
    page = map_html(render_comparison(["freeze"], lang=lang))
    assert page.count("<html") == 1 and f'<html lang="{lang}">' in page


def test_an_unknown_language_is_refused() -> None:
    from territory.errors import TerritoryError

    with pytest.raises(TerritoryError, match="unknown language 'fr'"):
        render_comparison(["freeze"], lang="fr")


def _expanded(written: list, shapes: list) -> list:
    """The page's reading of :func:`derived`'s shapes (``expandRuns``/``shapeRefs`` in
    territory.js), written again here: each shape as polygons of rings of references."""
    out: list = []

    def rings_of(j: int) -> list:
        return [ring for polygon in out[j] for ring in polygon]

    for shape in written:
        base = rings_of(shape["from"]) if isinstance(shape, dict) else []
        polygons = shape["polygons"] if isinstance(shape, dict) else shape
        decoded = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                refs: list[int] = []
                for item in ring:
                    if isinstance(item, int):
                        refs.append(item)
                    elif len(item) == 2:
                        refs.extend(range(item[0], item[0] + item[1]))
                    elif len(item) == 3:
                        refs.extend(base[item[2]][item[0] : item[0] + item[1]])
                    else:
                        across = rings_of(item[3])[item[2]]
                        refs.extend(~across[item[0] - k] for k in range(item[1]))
                rings.append(refs)
            decoded.append(rings)
        out.append(decoded)
    return out


def test_shapes_written_from_others_read_back_as_they_were() -> None:
    """Zones on both sides of a moving line, date after date: each is written as the date
    before's, or as the zone across the line (going round the same arcs the other way),
    and the page's reading gives back every reference."""
    rng = np.random.default_rng(5)
    line = list(range(100, 160))  # arcs of the line, west to east
    shapes = []
    for _ in range(8):
        moved = rng.choice(len(line), size=6, replace=False)
        for j in moved:  # the line moves: new arcs in places
            line[j] = int(rng.integers(1000, 9000))
        held = [[[*line, 1, 2, 3]]]  # Russian-held: the line, then the border back
        free = [[[4, 5, 6, *(~arc for arc in reversed(line))]]]  # across it, the other way
        shapes += [held, free]
    written = derived(shapes)
    assert _expanded(written, shapes) == shapes
    # The free zone's line is copied from the held zone's, not listed arc by arc.
    assert any(len(item) == 4 for item in written[-1]["polygons"][0][0] if isinstance(item, list))
    assert (
        len(json.dumps(written))
        < len(json.dumps([[[runs(r) for r in p] for p in s] for s in shapes])) / 2
    )


def test_a_table_takes_shapes_rounded_where_they_were_made_by_their_keys() -> None:
    """A slider page's zones are rounded on the cores that resolved them: the page's table
    takes that rounding for the key it was made for, and rounds anything else itself."""
    import shapely

    from territory.render.encode import ZONE_DECIMALS, rounded, shape_keys

    square, other = shapely.box(30, 50, 30.5, 50.5), shapely.box(31, 50, 31.5, 50.5)
    (key,) = shape_keys(np.array([square]))
    planted = rounded(other)  # stands out: the table must have taken it, not made it
    table = GeometryTable()
    table.take_rounded({key: planted}, ZONE_DECIMALS)
    assert table.add(square, key) == 0
    assert table.add(square) == 1  # no key: rounded here, a shape of its own
    assert table.add(other) == 0  # the same rounding as the one taken
    ignored = GeometryTable(decimals=3)
    ignored.take_rounded({key: planted}, ZONE_DECIMALS)  # other decimals: left out
    ignored.add(square, key)
    assert len(ignored) == 1 and ignored.add(other) == 1
