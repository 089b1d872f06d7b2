"""The later plans: the 28-point plan, demilitarised ground, and bands along the line."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import territory
from territory._scenarios import ScenarioError, load_scenarios
from territory.geodesy import WGS84, area_km2

LINE = "2025-08-08"
FIVE = ["Crimea", "Sevastopol", "Luhansk", "Donetsk", "Kherson", "Zaporizhzhia"]
RETURNED = ["Kharkiv", "Sumy", "Dnipropetrovsk", "Mykolaiv"]


@pytest.fixture(scope="module")
def plan() -> gpd.GeoDataFrame:
    return territory.resolve("28-point-plan", LINE)


@pytest.fixture(scope="module")
def now() -> gpd.GeoDataFrame:
    return territory.resolve("status-quo", LINE)


def by_region(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    return territory.stats(zones).set_index("region")


def code(name: str) -> str:
    return territory.region_code(name)


# --- the 28-point plan on the shipped line of 8 August 2025 ---------------------------------


def test_crimea_sevastopol_luhansk_and_donetsk_go_to_russia_recognised_de_facto(plan) -> None:
    table = by_region(plan)
    for name in ("Crimea", "Sevastopol", "Luhansk", "Donetsk"):
        row = table.loc[code(name)]
        assert row["russia_share"] == pytest.approx(1.0), name
        assert row["de_facto_share"] == pytest.approx(1.0), name
        assert row["de_jure_km2"] == 0, name


def test_the_part_of_donetsk_ukraine_held_is_demilitarised_and_nothing_else(plan, now) -> None:
    donetsk = code("Donetsk")
    held_by_ukraine = by_region(now).loc[donetsk, ["ukraine_km2", "contested_km2"]].sum()
    table = by_region(plan)
    assert held_by_ukraine > 5000  # the line of August 2025: about a quarter of Donetsk
    assert table.loc[donetsk, "demilitarised_km2"] == pytest.approx(held_by_ukraine, abs=0.5)
    assert table.drop(index=donetsk)["demilitarised_km2"].eq(0).all()
    # What was Russian-held before stays Russian and is not demilitarised.
    old = plan[(plan["region"] == donetsk) & (plan["control_now"] == "russia")]
    assert len(old) and not old["demilitarised"].any()
    assert plan.loc[plan["demilitarised"], "label"].eq("Demilitarised buffer zone").all()


def test_russian_held_ground_outside_the_five_regions_returns_to_ukraine(plan, now) -> None:
    before, after = by_region(now), by_region(plan)
    for name in RETURNED:
        iso = code(name)
        assert before.loc[iso, "russia_km2"] + before.loc[iso, "contested_km2"] > 1, name
        assert after.loc[iso, "russia_km2"] == 0 and after.loc[iso, "contested_km2"] == 0, name
        assert after.loc[iso, "to_ukraine_km2"] == pytest.approx(
            before.loc[iso, "russia_km2"] + before.loc[iso, "contested_km2"], abs=0.05
        )


def test_kherson_and_zaporizhzhia_are_frozen_on_the_line_recognised_de_facto(plan, now) -> None:
    before, after = by_region(now), by_region(plan)
    for name in ("Kherson", "Zaporizhzhia"):
        iso = code(name)
        assert after.loc[iso, "russia_km2"] == pytest.approx(before.loc[iso, "russia_km2"])
        assert after.loc[iso, "to_russia_km2"] == 0 and after.loc[iso, "to_ukraine_km2"] == 0
        assert after.loc[iso, "de_facto_km2"] == pytest.approx(after.loc[iso, "russia_km2"])


def test_every_claim_of_the_later_plans_is_cited() -> None:
    path = Path(territory.scenarios()[-1].file or "")
    assert path.name == "later-plans.toml"
    found = load_scenarios(path)
    assert [s.id for s in found][:2] == ["28-point-plan", "twenty-point-framework"]
    for s in found:
        assert {"outlet", "date", "title"} <= set(s.source), s.id
        assert s.source["date"] >= "2025-11-20", s.id
        assert all(rule.claim for rule in s.rules), s.id
        url = s.source.get("url")
        assert url is None or url.partition(":")[0] == "https", s.id  # a secure link, if any


# --- bands along the line of contact --------------------------------------------------------

BOX = (30.6, 49.0, 31.6, 49.6)  # Russian-held ground in a rectangle far from any border


@pytest.fixture(scope="module")
def boxed() -> territory.Snapshot:
    frame = gpd.GeoDataFrame(geometry=[shapely.box(*BOX)], crs=4326)
    return territory.make_snapshot(frame, date="2025-01-01", name="box", source="a test")


def perimeter_km(snap: territory.Snapshot) -> float:
    line = territory.line_of_contact(snap).geometry.iloc[0]
    return WGS84.geometry_length(shapely.segmentize(line, 0.001)) / 1000


@pytest.mark.parametrize("km", [2.0, 5.0])
def test_a_band_around_a_rectangle_has_the_area_of_its_offsets(boxed, km: float) -> None:
    # Outside a rectangle of perimeter L, the ground within N of its edge is N·L + πN²
    # (the corners are quarter discs); inside, N·L − 4N². The projection's scale is within
    # 0.1% of the ellipsoid's here, and a buffer's arcs are polygons of 16 segments a quarter
    # (0.3% short of a disc): so 0.5%.
    perimeter = perimeter_km(boxed)
    outside = area_km2(territory.band_along_line(boxed, km, "ukrainian"))
    inside = area_km2(territory.band_along_line(boxed, km, "russian"))
    both = area_km2(territory.band_along_line(boxed, km, "both"))
    assert outside == pytest.approx(km * perimeter + np.pi * km**2, rel=0.005)
    assert inside == pytest.approx(km * perimeter - 4 * km**2, rel=0.005)
    assert both == pytest.approx(outside + inside, rel=1e-6)


def test_a_band_is_measured_geodesically(boxed) -> None:
    """Points on the band's outer edge lie N km from the line, measured on the ellipsoid."""
    km = 10.0
    band = territory.band_along_line(boxed, km, "ukrainian")
    outer = shapely.get_exterior_ring(shapely.get_parts(band)[0])
    samples = shapely.get_coordinates(outer)[::40]
    line = shapely.get_coordinates(shapely.segmentize(shapely.box(*BOX).exterior, 0.0005))
    for lon, lat in samples:
        _, _, metres = WGS84.inv(np.full(len(line), lon), np.full(len(line), lat), *line.T)
        assert metres.min() / 1000 == pytest.approx(km, rel=0.003)


def test_a_band_on_the_shipped_line_is_about_twice_n_times_its_length() -> None:
    # Where the line bends, the offsets of its two sides overlap on the inside of the bend,
    # and its ends are cut off by the state border: measured, 2.2% less than 2·N·L for 5 km
    # on the line of 8 August 2025. A one-sided band is about half of both.
    snap = territory.snapshot(LINE)
    length = territory.line_of_contact(snap)["length_km"].iloc[0]
    assert length > 500
    both = area_km2(territory.band_along_line(snap, 5, "both"))
    one = area_km2(territory.band_along_line(snap, 5, "ukrainian"))
    other = area_km2(territory.band_along_line(snap, 5, "russian"))
    assert both == pytest.approx(2 * 5 * length, rel=0.04)
    assert one == pytest.approx(5 * length, rel=0.05)
    assert one + other == pytest.approx(both, rel=1e-4)


def test_a_wider_band_covers_more_and_keeps_control(tmp_path: Path) -> None:
    totals = {}
    for km in (5, 10, 40):
        zones = territory.resolve(f"fez-pullback-{km}km", LINE)
        row = territory.totals(zones).iloc[0]
        totals[km] = row["demilitarised_km2"]
        assert row["to_russia_km2"] == 0  # a pull-back moves no ground to Russia
        inside = zones[zones["demilitarised"]]
        assert set(inside["region"]) == {code("Donetsk")}
        assert {"ukraine", "russia"} <= set(inside["control_after"])  # both sides pull back
        assert (inside["control_after"] == inside["control_now"]).all()
    assert 0 < totals[5] < totals[10] < totals[40]


def write_plan(tmp_path: Path, rules: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(
        '[[scenario]]\nid = "plan"\ntitle = "A plan"\nsummary = "What it does."\n' + rules,
        encoding="utf-8",
    )
    return path


def test_a_band_rule_may_name_several_regions_or_all(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        """
[[scenario.rule]]
regions = "*"
area = { along_line_km = 3, side = "ukrainian" }
control = "keep"
demilitarised = true
label = "Three kilometres back"

[[scenario.rule]]
regions = "*"
control = "keep"
""",
    )
    zones = territory.resolve(territory.scenario(str(path)), LINE)
    kept = zones[zones["demilitarised"]]
    assert set(kept["control_after"]) == {"ukraine"}
    assert {code("Donetsk"), code("Zaporizhzhia"), code("Kharkiv")} <= set(kept["region"])
    snap = territory.snapshot(LINE)
    band = area_km2(territory.band_along_line(snap, 3, "ukrainian"))
    assert kept["area_km2"].sum() == pytest.approx(band, rel=1e-4)


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ('{ along_line_km = 5, side = "west" }', "unknown value 'west'"),
        ("{ along_line_km = 0 }", "between 0.1 and 500"),
        ("{ along_line_km = 1e-7 }", "between 0.1 and 500"),
        ('{ around = "Enerhodar", radius_km = 5, side = "both" }', "only used with"),
        ('{ along_line_km = 5, around = "Enerhodar" }', "give one of"),
    ],
)
def test_band_mistakes_name_the_key(tmp_path: Path, area: str, message: str) -> None:
    path = write_plan(
        tmp_path,
        f'[[scenario.rule]]\nregions = "Donetsk"\narea = {area}\ncontrol = "keep"\n',
    )
    with pytest.raises(ScenarioError, match=message):
        load_scenarios(path)


def test_an_unknown_demilitarised_value_names_the_key(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path, '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\ndemilitarised = "yes"\n'
    )
    with pytest.raises(ScenarioError, match=r"rule\[0\]\.demilitarised.*handed-over"):
        load_scenarios(path)


def test_a_point_area_still_names_exactly_one_region(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        '[[scenario.rule]]\nregions = ["Donetsk", "Luhansk"]\n'
        'area = { around = "Kramatorsk", radius_km = 5 }\ncontrol = "keep"\n',
    )
    with pytest.raises(ScenarioError, match="names exactly one region"):
        load_scenarios(path)


# --- towns, files and the command line -------------------------------------------------------


def test_towns_in_the_demilitarised_ground_are_listed(now, plan) -> None:
    change = territory.diff(now, plan)
    kept = set(change.demilitarised_towns["name"])
    assert {"Kramatorsk", "Sloviansk", "Kostiantynivka"} <= kept
    assert kept <= set(change.towns["name"])  # here every one of them also changes hands
    assert change.towns.set_index("name").loc["Kramatorsk", "demilitarised"]
    assert change.demilitarised_population > 400_000
    # A pull-back moves no town, yet the towns in the zone are listed.
    band = territory.diff(now, territory.resolve("fez-pullback-10km", LINE))
    assert band.towns.empty and "Pokrovsk" in set(band.demilitarised_towns["name"])
    assert set(band.demilitarised_towns["change"]) == {"none"}


def test_compare_reports_the_demilitarised_towns(run, tmp_path: Path) -> None:
    table = run("compare", "status-quo", "fez-pullback-10km")
    assert table.exit_code == 0
    assert "Towns in the demilitarised ground of fez-pullback-10km" in table.output
    assert "Pokrovsk" in table.output
    record = json.loads(run("compare", "status-quo", "28-point-plan", "--format", "json").output)
    assert "Kramatorsk" in {t["name"] for t in record["demilitarised_towns"]}
    assert all(t["demilitarised"] for t in record["towns"] if t["name"] == "Kramatorsk")
    towns = tmp_path / "towns.csv"
    assert run("compare", "status-quo", "fez-pullback-10km", "--towns", str(towns)).exit_code == 0
    written = pd.read_csv(towns)
    assert list(written.columns[-2:]) == ["change", "demilitarised"]
    assert written["demilitarised"].all() and "Pokrovsk" in set(written["name"])


def test_stats_json_has_the_demilitarised_km2(run) -> None:
    records = json.loads(run("stats", "28-point-plan", "--format", "json").output)
    donetsk = next(r for r in records if r["region"] == code("Donetsk"))
    assert donetsk["demilitarised_km2"] > 5000 and 0 < donetsk["demilitarised_share"] < 0.5


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_the_demilitarised_column_survives_export(tmp_path: Path, plan, suffix: str) -> None:
    back = gpd.read_file(territory.export_zones(plan, tmp_path / f"plan{suffix}"))
    assert back["demilitarised"].dtype == bool
    pd.testing.assert_frame_equal(
        territory.stats(back), territory.stats(plan), check_exact=False, rtol=1e-6
    )
    assert set(territory.demilitarised_towns(back)["name"]) == set(
        territory.demilitarised_towns(plan)["name"]
    )


def test_zones_written_before_the_column_read_as_not_demilitarised(plan) -> None:
    old = plan.drop(columns="demilitarised")
    assert territory.stats(old)["demilitarised_km2"].eq(0).all()
    assert territory.demilitarised_towns(old).empty


def test_figures_stripe_demilitarised_ground_and_say_so(tmp_path: Path, plan) -> None:
    from territory.render import static_figure
    from territory.render.symbols import STYLE, legend_label

    words = legend_label("demilitarised")
    striped = static_figure(plan, tmp_path / "plan.svg").read_text()
    assert words in striped  # text stays text in SVG
    assert STYLE["demilitarised"]["color"].lower() in striped.lower()
    plain = static_figure(territory.resolve("freeze", LINE), tmp_path / "freeze.svg").read_text()
    assert words not in plain


def test_the_page_legend_and_payload_carry_demilitarised_ground(plan) -> None:
    from territory.render.base import base_map
    from territory.render.legend import legend_html
    from territory.render.zones import FIELDS, add_zones

    assert "terr-pattern-demilitarised" in legend_html("legend")
    step = add_zones(base_map(), [(territory.scenario("28-point-plan"), plan)])
    record = step.payload["scenarios"][0]
    flags = [row[FIELDS.index("demilitarised")] for row in record["zones"]]
    assert True in flags and False in flags
    assert record["totals"]["demilitarised"] == pytest.approx(
        territory.totals(plan)["demilitarised_km2"].iloc[0], abs=0.01
    )


def test_the_stats_table_shows_demilitarised_km2_when_there_is_any(run) -> None:
    assert "demilitarised_km2" in run("stats", "fez-pullback-5km").output
    assert "demilitarised_km2" not in run("stats", "freeze", "us-russia-draft").output
