"""The shipped region outlines and the forgiving lookup."""

from __future__ import annotations

import json

import pytest
import shapely

import territory
from territory._regions import ALIASES
from territory.datafiles import shipped
from territory.geodesy import WGS84, area_km2

# Official areas (km², State Statistics Service of Ukraine) and the tolerance each unit's
# shipped polygon is held to; geodata/SOURCES.md explains each tolerance.
OFFICIAL_KM2 = {
    "UA-43": (26_081, 0.015),
    "UA-14": (26_517, 0.015),
    "UA-09": (26_684, 0.020),
    "UA-23": (27_180, 0.015),
    "UA-65": (28_461, 0.090),
    "UA-40": (864, 0.15),
}


@pytest.fixture(scope="module")
def units():
    return territory.regions()


def test_all_27_units_with_unique_codes(units):
    assert len(units) == 27
    assert units["region"].is_unique
    assert set(units["region"]) == set(ALIASES)
    assert units.crs.to_epsg() == 4326
    assert units[["region_name", "name_uk"]].notna().all().all()


def test_polygons_are_valid(units):
    assert units.is_valid.all()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}


def test_units_form_a_clean_coverage(units):
    geoms = units.geometry.values
    worst = 0.0
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            overlap = shapely.intersection(geoms[i], geoms[j])
            worst = max(worst, area_km2(overlap))
    assert worst <= 0.01
    # No gaps inside Ukraine: the union has no holes.
    for part in shapely.get_parts(territory.ukraine()):
        assert len(part.interiors) == 0
    assert shapely.coverage_is_valid(geoms, gap_width=0.001)


@pytest.mark.parametrize(
    "country", ["Russia", "Belarus", "Poland", "Slovakia", "Hungary", "Romania", "Moldova"]
)
def test_border_coincides_with_each_neighbour(country):
    outline = territory.neighbours().set_index("name").at[country, "geometry"]
    border = shapely.boundary(territory.ukraine())
    # Ukraine's boundary within ~1 km of the neighbour must lie on the neighbour's outline.
    near = shapely.intersection(border, shapely.buffer(outline, 0.01))
    off_outline = shapely.difference(near, shapely.buffer(shapely.boundary(outline), 1e-6))
    shared_km = (
        WGS84.geometry_length(shapely.intersection(near, shapely.buffer(outline, 1e-6))) / 1000
    )
    assert shared_km > 50
    # Only the short stubs where the border leaves the neighbour (within the 1 km buffer)
    # may be off its outline; a border that drifted would leave long pieces.
    stubs_km = [WGS84.geometry_length(p) / 1000 for p in shapely.get_parts(off_outline)]
    assert max(stubs_km) < 1.5
    assert area_km2(shapely.intersection(territory.ukraine(), outline)) < 0.01


def test_russia_outline_leaves_out_crimea():
    russia = territory.neighbours().set_index("name").at["Russia", "geometry"]
    simferopol = shapely.Point(34.10, 44.95)
    assert not russia.contains(simferopol)
    assert territory.region("Crimea").geometry.iloc[0].contains(simferopol)


@pytest.mark.parametrize("iso", sorted(OFFICIAL_KM2))
def test_article_units_area_against_official(units, iso):
    official, tolerance = OFFICIAL_KM2[iso]
    measured = units.set_index("region").at[iso, "area_km2"]
    assert abs(measured / official - 1) <= tolerance


def test_simplification_changes_no_unit_by_more_than_half_a_percent(units):
    change = (units["area_km2"] / units["area_km2_source"] - 1).abs()
    assert change.max() <= 0.005


def test_committed_files_are_small_and_rounded():
    path = shipped("geodata", "ukraine_regions.geojson")
    assert path.stat().st_size < 300 * 1024
    text = path.read_text(encoding="utf-8")
    numbers = [
        c for f in json.loads(text)["features"] for c in _coords(f["geometry"]["coordinates"])
    ]
    assert max(len(repr(x).split(".")[-1]) for x in numbers) <= 5


def _coords(nested):
    if isinstance(nested, float | int):
        yield nested
    else:
        for item in nested:
            yield from _coords(item)


ALIAS_CASES = [(alias, iso) for iso, aliases in ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("alias", "iso"), ALIAS_CASES)
def test_every_alias_finds_its_unit(alias, iso):
    assert territory.region_code(alias) == iso


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("UA-43", "UA-43"),
        ("ua-14", "UA-14"),
        ("14", "UA-14"),
        ("Autonomous Republic of Crimea", "UA-43"),
        ("Zaporizhzhia", "UA-23"),
        ("zaporizhia oblast", "UA-23"),
        ("ZAPORÍZHZHIA", "UA-23"),
        ("Luhansk Oblast", "UA-09"),
        ("Донецька область", "UA-14"),
        ("Kyiv", "UA-30"),
        ("Kyiv Oblast", "UA-32"),
        ("Mykolaiv", "UA-48"),
        ("Dnipropetrovsk", "UA-12"),
        ("Sumy", "UA-59"),
    ],
)
def test_common_spellings(typed, iso):
    assert territory.region_code(typed) == iso


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Donetzk", "Donetsk (UA-14)"),
        ("Zaporoshye", "Zaporizhzhia (UA-23)"),
        ("Khersun", "Kherson (UA-65)"),
    ],
)
def test_misses_suggest_the_closest(typed, suggested):
    with pytest.raises(territory.UnknownNameError) as info:
        territory.region_code(typed)
    assert suggested in str(info.value)
    assert typed in str(info.value)


def test_a_miss_with_nothing_close_says_so():
    with pytest.raises(territory.UnknownNameError, match=r"^unknown region 'Atlantis'$"):
        territory.region("Atlantis")


def test_region_returns_one_row():
    row = territory.region("Sebastopol")
    assert row["region"].tolist() == ["UA-40"]
    assert row.geometry.iloc[0].is_valid


def test_crimea_and_sevastopol_together_match_the_official_total(units):
    by_iso = units.set_index("region")["area_km2"]
    assert abs((by_iso["UA-43"] + by_iso["UA-40"]) / (26_081 + 864) - 1) < 0.01
