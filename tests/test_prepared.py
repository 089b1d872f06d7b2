"""A comparison page's data made before the page (territory.render.prepared): the same page
however it travels, without folium, and the shape table it carries."""

from __future__ import annotations

import pickle
import subprocess
import sys

import geopandas as gpd
import shapely

from territory import snapshot
from territory.render import map_html, prepare, render_comparison, render_prepared
from territory.render.encode import GeometryTable
from territory.render.rows import control_at

CHOSEN = ["status-quo", "freeze", "us-russia-draft"]


def test_a_page_made_from_data_sent_to_another_process_is_the_page_made_in_one() -> None:
    line = snapshot("2025-08-08")
    options = {"title": "A title", "subtitle": "A line", "sketch": True}
    made = prepare(CHOSEN, line, lang="uk", left="freeze")
    sent = pickle.loads(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    page = map_html(render_prepared(sent, **options))
    assert page == map_html(render_comparison(CHOSEN, line, lang="uk", left="freeze", **options))
    assert 'lang="uk"' in page and "Territory.sketch(" in page


def test_data_drawn_twice_gives_the_same_page_twice() -> None:
    """The sketch adds shapes to the page's table: not to the prepared one."""
    line = snapshot("2025-08-08")
    made = prepare(CHOSEN, line)
    shapes = len(made.shapes)
    first = map_html(render_prepared(made, sketch=True))
    assert len(made.shapes) == shapes
    assert map_html(render_prepared(made, sketch=True)) == first
    assert map_html(render_prepared(made)) != first  # without the sketch: another page


def test_the_data_is_made_without_folium() -> None:
    script = (
        "import sys\n"
        "from territory import snapshot\n"
        "from territory import render\n"
        "line = snapshot('2025-08-08')\n"
        "made = render.prepare(['freeze', 'us-russia-draft'], line)\n"
        "assert made.zones['scenarios'] and made.places['places']\n"
        "print(sorted(m for m in ('folium', 'branca', 'jinja2') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_shape_table_sent_elsewhere_keeps_its_shapes_and_their_indices() -> None:
    table = GeometryTable()
    boxes = [shapely.box(30, 50, 31, 51), shapely.box(31, 50, 32, 51)]
    assert table.add_all(boxes) == [0, 1]
    payload = table.payload()
    sent = pickle.loads(pickle.dumps(table))
    assert sent.payload() == payload
    # The same outline again has its index; a new one comes after.
    assert sent.add(shapely.Polygon([(31, 51), (30, 51), (30, 50), (31, 50)])) == 0
    assert sent.add(shapely.box(32, 50, 33, 51)) == 2
    assert len(sent.payload()["shapes"]) == 3 and len(table) == 2


def test_a_place_on_the_edge_of_two_zones_is_the_first_zones() -> None:
    zones = gpd.GeoDataFrame(
        {"control_after": ["russia", "ukraine"]},
        geometry=[shapely.box(30, 50, 31, 51), shapely.box(31, 50, 32, 51)],
        crs=4326,
    )
    points = gpd.GeoSeries(
        [shapely.Point(31, 50.5), shapely.Point(31.5, 50.5), shapely.Point(35, 50)], crs=4326
    )
    assert control_at(points, zones) == ["russia", "ukraine", ""]
    assert control_at(points, zones.iloc[::-1].reset_index(drop=True)) == [
        "ukraine",
        "ukraine",
        "",
    ]
