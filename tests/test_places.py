"""The places layer: the shipped file, its lookups and the spatial test by anchors."""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Geod

import territory
from territory._places import anchors, place, places, places_within
from territory.datafiles import shipped
from territory.errors import UnknownNameError

CHOSEN_REGIONS = {
    "UA-43",
    "UA-40",
    "UA-14",
    "UA-09",
    "UA-23",
    "UA-65",
    "UA-63",
    "UA-12",
    "UA-48",
    "UA-59",
}
GEOD = Geod(ellps="WGS84")


def metres_between(a: shapely.Point, b: shapely.Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2]


@pytest.fixture(scope="module")
def towns():
    return places(kinds="town")


@pytest.fixture(scope="module")
def outlines():
    return territory.regions().set_index("region").geometry


def test_file_names_its_source_and_is_small():
    path = shipped("geodata", "places.geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert "GeoNames" in collection["source"] and "CC BY 4.0" in collection["source"]
    assert path.stat().st_size < 100_000


def test_columns_and_crs():
    frame = places()
    assert list(frame.columns) == [
        "name",
        "name_uk",
        "region",
        "kind",
        "population",
        "population_year",
        "population_source",
        "geonameid",
        "anchor_lon",
        "anchor_lat",
        "geometry",
    ]
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) == {"Point"}
    assert set(frame["kind"]) == {"town", "site"}


def test_places_returns_a_copy():
    frame = places()
    frame.loc[0, "name"] = "changed"
    assert places().loc[0, "name"] != "changed"


def test_towns_are_large_enough_and_in_the_chosen_regions(towns):
    assert (towns["population"] >= 10_000).all()
    assert set(towns["region"]) >= CHOSEN_REGIONS
    # Elsewhere, the cities of 100,000 or more: every regional capital and Kyiv among them.
    elsewhere = towns[~towns["region"].isin(CHOSEN_REGIONS)]
    assert (elsewhere["population"] >= 100_000).all()
    assert {"Kyiv", "Odesa", "Lviv", "Vinnytsia", "Uzhhorod", "Chernihiv"} <= set(elsewhere["name"])
    assert set(elsewhere["region"]) | CHOSEN_REGIONS == set(territory.regions()["region"])


def test_no_duplicate_geonameid(towns):
    assert towns["geonameid"].notna().all()
    assert not towns["geonameid"].duplicated().any()


def test_sorted_by_region_then_population(towns):
    for _, group in towns.groupby("region"):
        assert group["population"].is_monotonic_decreasing


def test_kherson_population_is_corrected():
    kherson = place("Kherson").iloc[0]
    assert kherson["population"] >= 250_000
    assert kherson["population_source"] == "ukrstat-2022"
    assert kherson["population_year"] == 2022


def test_city_districts_are_gone():
    for district in ("Saltivka", "Pravyi Bereh", "Nyzhnodniprovsk", "Kyivskyi", "Rayon KTZ"):
        with pytest.raises(UnknownNameError):
            place(district)


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Kherson", "UA-65"),
        ("Kramatorsk", "UA-14"),
        ("Sloviansk", "UA-14"),
        ("Enerhodar", "UA-23"),
        ("Melitopol", "UA-23"),
        ("Sievierodonetsk", "UA-09"),
        ("Simferopol", "UA-43"),
        ("Sevastopol", "UA-40"),
        ("Kharkiv", "UA-63"),
        ("Kupiansk", "UA-63"),
        ("Nikopol", "UA-12"),
        ("Mykolaiv", "UA-48"),
    ],
)
def test_known_cities_are_filed_under_their_region(name, iso):
    assert place(name)["region"].tolist() == [iso]


def test_nuclear_plant_is_a_site_near_enerhodar():
    plant = place("Zaporizhzhia Nuclear Power Plant").iloc[0]
    enerhodar = place("Enerhodar").iloc[0]
    assert plant["kind"] == "site"
    assert plant["region"] == "UA-23"
    assert metres_between(plant.geometry, enerhodar.geometry) < 10_000


def test_every_anchor_lies_inside_its_region(outlines):
    frame = places()
    for iso, anchor in zip(frame["region"], anchors(frame), strict=True):
        assert outlines[iso].contains(anchor)


def test_anchors_move_points_little(outlines):
    frame = places()
    moved = [
        metres_between(point, anchor)
        for point, anchor in zip(frame.geometry, anchors(frame), strict=True)
    ]
    assert max(moved) < 2_000


def test_places_within_donetsk():
    donetsk = territory.region("Donetsk").geometry.iloc[0]
    names = set(places_within(donetsk)["name"])
    assert "Kramatorsk" in names
    assert "Kharkiv" not in names


def test_places_within_kherson_counts_the_city_off_the_coastline():
    kherson_region = territory.region("Kherson").geometry.iloc[0]
    city = place("Kherson").iloc[0]
    assert not kherson_region.contains(city.geometry)  # why anchors exist
    assert "Kherson" in set(places_within(kherson_region)["name"])


def test_places_within_filters():
    zaporizhzhia = territory.region("UA-23").geometry.iloc[0]
    sites = places_within(zaporizhzhia, kinds="site")
    assert sites["name"].tolist() == ["Zaporizhzhia Nuclear Power Plant"]
    big = places_within(zaporizhzhia, min_population=100_000, kinds="town")
    assert big["name"].tolist() == ["Zaporizhzhia", "Melitopol", "Berdiansk"]


def test_places_filters_by_any_region_spelling():
    assert set(places(["Zaporozhye", "Krym"])["region"]) == {"UA-23", "UA-43"}


@pytest.mark.parametrize("spelling", ["KHERSON", "Херсон", "Cherson"])
def test_lookup_is_forgiving(spelling):
    assert place(spelling)["name"].tolist() == ["Kherson"]


def test_lookup_miss_suggests():
    with pytest.raises(UnknownNameError) as caught:
        place("Kramatrsk")
    assert caught.value.suggestions[0] == "Kramatorsk (UA-14)"


def test_lookup_in_the_wrong_region_points_to_the_right_one():
    with pytest.raises(UnknownNameError, match=r"Kherson \(UA-65\)"):
        place("Kherson", region="Donetsk")


def test_unknown_kind_is_refused():
    with pytest.raises(UnknownNameError, match="place kind 'villages'"):
        places(kinds="villages")


def test_kinds_are_found_as_forgivingly_as_any_name():
    assert len(places(kinds="Towns")) == len(places(kinds="town"))
    with pytest.raises(UnknownNameError, match="did you mean 'site'"):
        places(kinds="sit")
