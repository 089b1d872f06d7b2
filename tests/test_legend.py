"""The page's key (territory.render.legend): every category it draws, with its hatching."""

from __future__ import annotations

import pytest

import territory
from territory.render.base import base_map
from territory.render.legend import add_legend, legend_html
from territory.render.rows import FIELDS
from territory.render.symbols import CATEGORIES
from territory.render.zones import add_zones


def test_legend_lists_every_category_with_hatching() -> None:
    step = add_legend(base_map(), line_label="Line of contact on 2025-08-08")
    html = step.html
    for key, label, _ in CATEGORIES:
        assert f'data-category="{key}"' in html
        if key != "line":
            assert label in html
    assert "Line of contact on 2025-08-08" in html
    assert '<pattern id="terr-pattern-de_jure"' in html
    assert 'fill="url(#terr-pattern-de_jure)"' in html
    assert 'stroke-dasharray="4 3"' in html  # contested edge


def test_the_page_legend_and_payload_carry_demilitarised_ground(plan) -> None:
    assert "terr-pattern-demilitarised" in legend_html("legend")
    step = add_zones(base_map(), [(territory.scenario("28-point-plan"), plan)])
    record = step.payload["scenarios"][0]
    flags = [row[FIELDS.index("demilitarised")] for row in record["zones"]]
    assert True in flags and False in flags
    assert record["totals"]["demilitarised"] == pytest.approx(
        territory.totals(plan)["demilitarised_km2"].iloc[0], abs=0.01
    )
