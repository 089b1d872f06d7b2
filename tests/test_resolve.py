"""Scenarios resolved against snapshots (territory._resolve): the zones contract, what each
proposal means, bands along the line of contact, and the files a scenario names."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import territory
from territory._scenarios import ScenarioError, load_scenarios
from territory.errors import InputFileError
from territory.geodesy import WGS84, area_km2

from .synthetic import pushed_in_donetsk, squares, write_plan

ARTICLE_FIVE = ["UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"]
DOMAINS = {
    "control_now": {"ukraine", "russia", "contested"},
    "held_since": {"2014", "2022", ""},
    "control_after": {"ukraine", "russia", "contested"},
    "change": {"none", "to_russia", "to_ukraine"},
    "recognition": {"none", "de_facto", "de_jure"},
}


@pytest.fixture(scope="module")
def current():
    return territory.snapshot("2025-08-08")


@pytest.fixture(scope="module")
def zones(current):
    return {s.id: territory.resolve(s, current) for s in territory.scenarios()}


@pytest.fixture(scope="module")
def tables(zones):
    return {ident: territory.stats(z).set_index("region") for ident, z in zones.items()}


@pytest.fixture(scope="module")
def ukraine_km2():
    return territory.area_km2(territory.ukraine())


def test_zones_follow_the_contract(zones):
    for ident, frame in zones.items():
        assert list(frame.columns) == territory.ZONE_COLUMNS, ident
        assert frame.crs.to_epsg() == 4326
        for column, allowed in DOMAINS.items():
            assert set(frame[column]) <= allowed, (ident, column)
        assert (frame["area_km2"] > 0).all()
        assert frame.is_valid.all()
        held = frame[frame["control_now"] == "russia"]
        assert set(held["held_since"]) <= {"2014", "2022"}
        assert set(frame.loc[frame["control_after"] != "russia", "recognition"]) <= {"none"}


@pytest.mark.parametrize("ident", [s.id for s in territory.scenarios()])
def test_zones_partition_ukraine(zones, ukraine_km2, ident):
    frame = zones[ident]
    assert abs(frame["area_km2"].sum() / ukraine_km2 - 1) < 1e-4
    union = shapely.union_all(frame.geometry.values)
    assert abs(territory.area_km2(union) / ukraine_km2 - 1) < 1e-4  # no overlaps, no gaps


def test_snapshot_zones_partition_held_and_not_held(current, ukraine_km2):
    frame = territory.zones_of(current)
    held = frame.loc[frame["control_now"] == "russia", "area_km2"].sum()
    free = frame.loc[frame["control_now"] != "russia", "area_km2"].sum()
    assert abs((held + free) / ukraine_km2 - 1) < 1e-4
    assert abs(held - current.shares()["russia_km2"].sum()) < 1.0


@pytest.mark.parametrize("ident", ["status-quo", "freeze"])
def test_status_quo_and_freeze_change_nothing(zones, ident):
    assert set(zones[ident]["change"]) == {"none"}


def test_us_russia_draft(zones, tables, current):
    draft, now = tables["us-russia-draft"], tables["status-quo"]
    for iso in ("UA-14", "UA-09"):
        assert draft.at[iso, "russia_share"] == pytest.approx(1.0, abs=1e-6)
    for iso in ("UA-65", "UA-23"):
        assert draft.at[iso, "russia_share"] == pytest.approx(now.at[iso, "russia_share"], abs=1e-6)
    change = territory.diff(zones["status-quo"], zones["us-russia-draft"])
    shares = current.shares()
    held_by_ukraine = sum(
        shares.at[iso, "area_km2"] - shares.at[iso, "russia_km2"] for iso in ("UA-14", "UA-09")
    )
    assert change.km2("to_russia") == pytest.approx(held_by_ukraine, rel=1e-4)
    assert set(change.by_region.query("to_russia_km2 > 0")["region"]) == {"UA-14", "UA-09"}
    # The total is kept apart: the regions sum to it.
    total = change.totals.iloc[0]
    assert total["region"] == "UA"
    assert change.by_region["to_russia_km2"].sum() == pytest.approx(total["to_russia_km2"])
    assert total["to_russia_km2"] == pytest.approx(change.km2("to_russia"), abs=0.01)
    assert change.km2("to_ukraine") == 0
    names = set(change.towns["name"])
    assert {"Kramatorsk", "Sloviansk"} <= names
    assert change.town_population > 300_000
    assert "pre-war" in change.caveat


def test_putin_demands(zones, tables):
    demands = tables["putin-demands"]
    for iso in ARTICLE_FIVE:
        assert demands.at[iso, "russia_share"] == pytest.approx(1.0, abs=1e-6), iso
        assert demands.at[iso, "de_jure_share"] == pytest.approx(1.0, abs=1e-6), iso
    change = territory.diff(zones["status-quo"], zones["putin-demands"])
    assert {"Zaporizhzhia", "Kherson"} <= set(change.towns["name"])
    # Nothing outside the article's units moves.
    moved = set(change.by_region["region"])
    assert moved <= set(ARTICLE_FIVE)


def test_ukraine_position_recognises_nothing(zones):
    assert set(zones["ukraine-position"]["recognition"]) == {"none"}


def test_earlier_us_offer_recognises_only_crimea_de_jure(tables):
    offer = tables["earlier-us-offer"]
    de_jure = offer[offer["de_jure_km2"] > 0].index.tolist()
    assert set(de_jure) == {"UA-43", "UA-40"}
    assert offer.at["UA-14", "de_facto_share"] == pytest.approx(offer.at["UA-14", "russia_share"])


def test_pre_invasion_reference_returns_everything_taken_since_2022(zones, current):
    reference = zones["pre-invasion"]
    before = territory.snapshot("2022-02-23").shares()["russia_km2"].sum()
    held = reference.loc[reference["control_after"] == "russia", "area_km2"].sum()
    assert held == pytest.approx(before, rel=1e-3)
    returned = reference.loc[reference["change"] == "to_ukraine", "area_km2"].sum()
    taken_since = current.areas.query("held_since == '2022'")
    assert returned == pytest.approx(territory.areas_km2(taken_since.geometry).sum(), rel=1e-3)


def _user_plan(tmp_path, rules: str):
    path = tmp_path / "plan.toml"
    path.write_text(
        '[source]\noutlet = "Example Times"\ndate = "2025-11-20"\n'
        '[[scenario]]\nid = "plan"\ntitle = "Plan"\nsummary = "A later plan."\n' + rules,
        encoding="utf-8",
    )
    return path


def test_a_user_scenario_resolves_against_a_user_snapshot(tmp_path):
    line = tmp_path / "front.geojson"
    held = shapely.box(37.0, 47.0, 39.0, 48.5)  # Russian-held part of Donetsk in this file
    line.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": shapely.geometry.mapping(held),
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    plan = _user_plan(
        tmp_path,
        '[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "russia"\nrecognition = "de_jure"\n'
        'label = "Demilitarised buffer zone"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n',
    )
    snap = territory.snapshot(line)
    frame = territory.resolve(territory.scenario(plan), snap)
    table = territory.stats(frame).set_index("region")
    assert table.at["UA-14", "russia_share"] == pytest.approx(1.0)
    donetsk = territory.region("Donetsk").geometry.iloc[0]
    expected = territory.area_km2(donetsk) - territory.area_km2(shapely.intersection(donetsk, held))
    assert table.at["UA-14", "to_russia_km2"] == pytest.approx(expected, rel=1e-3)
    assert table.at["UA-63", "russia_km2"] == 0


def test_a_sub_area_around_a_place_returns_to_ukraine(tmp_path, current):
    plan = _user_plan(
        tmp_path,
        '[[scenario.rule]]\nregions = "Zaporizhzhia"\ncontrol = "ukraine"\n'
        'area = { around = "Enerhodar", radius_km = 10 }\nlabel = "Plant zone"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n',
    )
    frame = territory.resolve(territory.scenario(plan), current)
    returned = frame[(frame["change"] == "to_ukraine") & (frame["label"] == "Plant zone")]
    assert 100 < returned["area_km2"].sum() < 315  # part of a 314 km² circle, on land
    assert set(returned["region"]) == {"UA-23"}


def test_a_sub_area_outside_its_region_is_refused(tmp_path, current):
    plan = _user_plan(
        tmp_path,
        '[[scenario.rule]]\nregions = "Kherson"\ncontrol = "ukraine"\n'
        "area = { around = [30.5, 50.45], radius_km = 10 }\n",
    )
    with pytest.raises(
        ScenarioError, match=r"plan\.toml: scenario 'plan': sub-area .* outside UA-65"
    ):
        territory.resolve(territory.scenario(plan), current)


@pytest.mark.parametrize("km", [0.5, 2.0])
def test_a_thin_band_leaves_the_zones_a_partition(tmp_path, current, km) -> None:
    # A 0.5 km band along the line cuts a 36 km² pocket off near Vovchansk (Kharkiv) that
    # an intersection with the rest of the region gave to both sides.
    path = tmp_path / "band.toml"
    path.write_text(
        '[[scenario]]\nid = "band"\ntitle = "t"\nsummary = "s"\n[[scenario.rule]]\n'
        f'regions = "*"\ncontrol = "contested"\narea = {{ along_line_km = {km}, side = "both" }}\n'
    )
    (scen,) = territory.load_scenarios(path)
    zones = territory.resolve(scen, current)
    units = {row.region: row.geometry for row in territory.regions().itertuples()}
    for region, rows in zones.groupby("region"):
        expected = territory.area_km2(units[region]) if region in units else None
        pieces = rows.geometry.to_numpy()
        overlap = sum(
            territory.area_km2(shapely.intersection(a, b))
            for i, a in enumerate(pieces)
            for b in pieces[i + 1 :]
        )
        assert overlap < 0.01, region
        if expected is not None:
            assert rows["area_km2"].sum() == pytest.approx(expected, abs=0.1), region


# --- the later plans on the shipped line of 8 August 2025 -----------------------------------

LINE = "2025-08-08"
RETURNED = ["Kharkiv", "Sumy", "Dnipropetrovsk", "Mykolaiv"]


def by_region(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    return territory.stats(zones).set_index("region")


def code(name: str) -> str:
    return territory.region_code(name)


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


# --- a line of contact of many pieces -------------------------------------------------------


def _whole_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``band_along_line`` buffer the line whole, as GEOS draws a plain buffer."""
    import territory._resolve as resolve_module

    monkeypatch.setattr(resolve_module, "_runs", shapely.get_parts)


def test_a_band_along_a_line_of_many_pieces_is_the_plain_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Islands of held ground make a line of contact of thousands of rings: buffered piece
    by piece (GEOS, buffering it whole, took 24 GB for 20,000 islands), the same band."""
    frame = territory.read_history(_many_file(tmp_path, 1500)).snapshot()
    assert shapely.get_num_geometries(frame.contact) >= 1000
    ours = territory.band_along_line(frame, 5)
    _whole_line(monkeypatch)
    plain = territory.band_along_line(frame, 5)
    assert shapely.symmetric_difference(ours, plain).area < 1e-6 * plain.area
    assert ours.area == pytest.approx(plain.area, rel=1e-6)


def _jagged(spike_km: float = 0.0) -> territory.Snapshot:
    """Held ground in Donetsk whose western edge is a line of 700 vertices half a kilometre
    apart, each up to a kilometre off true, as a source's line is (with a vertex added
    ``spike_km`` west of it, as an advance drawn)."""
    rng = np.random.default_rng(11)
    lat = np.linspace(47.4, 48.9, 700)
    lon = 37.3 + 0.1 * np.sin(lat * 9) + rng.uniform(-0.013, 0.013, len(lat))
    if spike_km:
        lon = np.insert(lon, 351, lon[350] - spike_km / 75)
        lat = np.insert(lat, 351, (lat[350] + lat[351]) / 2)
    ring = [*zip(lon, lat, strict=True), (39.0, 48.9), (39.0, 47.4)]
    frame = gpd.GeoDataFrame(geometry=[shapely.Polygon(ring)], crs=4326)
    return territory.make_snapshot(frame, date="2025-01-01", name="jagged", source="a test")


@pytest.mark.parametrize("km", [5, 40])
def test_a_band_along_a_jagged_line_is_the_plain_buffer_of_it(
    km: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buffered in runs of vertices, a jagged line's band is the ground of its plain buffer,
    up to how GEOS draws round ends and leaves out vertices within 1% of the distance."""
    snap = _jagged()
    ours = territory.band_along_line(snap, km)
    _whole_line(monkeypatch)
    plain = territory.band_along_line(snap, km)
    assert area_km2(ours) == pytest.approx(area_km2(plain), rel=1e-4)
    assert area_km2(shapely.symmetric_difference(ours, plain)) < 1e-4 * area_km2(plain)
    # No edge of one is farther from the other's than a hundredth of the distance.
    apart = shapely.hausdorff_distance(shapely.boundary(ours), shapely.boundary(plain))
    assert apart * 111 < km / 100


@pytest.mark.parametrize("km", [5, 40])
def test_an_edit_to_the_line_changes_the_band_only_near_it(km: float) -> None:
    """The runs a line is buffered in end at vertices picked by their coordinates: a vertex
    added changes the band around it, never the ground farther away (runs cut by counting
    vertices would all move downstream of it)."""
    before = territory.band_along_line(_jagged(), km)
    after = territory.band_along_line(_jagged(spike_km=5.0), km)
    changed = shapely.symmetric_difference(before, after)
    assert area_km2(changed) > 0.01  # the edit shows...
    lon, lat = 37.3 + 0.1 * np.sin(np.linspace(47.4, 48.9, 700)[350] * 9), 48.15
    near = _local_disc(lon, lat, km + 40)
    assert area_km2(shapely.difference(changed, near)) < 1e-9  # ...and only near it


def test_a_band_drawn_after_another_date_is_the_band_drawn_alone() -> None:
    """Runs the date before's line had are not buffered again: the band is the one drawn
    with nothing kept, vertex for vertex."""
    import territory._resolve as resolve_module

    dates = [_jagged(), _jagged(spike_km=5.0), _jagged(spike_km=2.0)]
    followed = [territory.band_along_line(snap, 10) for snap in dates]
    for snap, band in zip(dates, followed, strict=True):
        resolve_module._LAST_RUNS.clear()
        assert shapely.to_wkb(territory.band_along_line(snap, 10)) == shapely.to_wkb(band)


def _local_disc(lon: float, lat: float, km: float) -> shapely.Geometry:
    return shapely.buffer(shapely.Point(lon, lat), km / 70, quad_segs=32)


def _many_file(folder: Path, count: int) -> Path:
    features = [
        {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(box))}
        for box in squares(count, side=0.004)
    ]
    path = folder / f"many-{count}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


# --- files a scenario names: sub-areas and other lines --------------------------------------


ZONE = shapely.box(34.45, 47.40, 34.75, 47.60)  # around the Zaporizhzhia nuclear plant


def zone_plan(folder: Path, area: str) -> Path:
    path = folder / "plan.toml"
    path.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "zone"\ntitle = "t"\nsummary = "s"\n'
        f'[[scenario.rule]]\nregions = "Zaporizhzhia"\n{area}\ncontrol = "ukraine"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n',
        encoding="utf-8",
    )
    return path


def polygon_file(path: Path, geometry: shapely.Geometry) -> Path:
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geometry)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_a_kmz_sub_area_is_read(tmp_path: Path) -> None:
    ring = " ".join(f"{x},{y},0" for x, y in ZONE.exterior.coords)
    kml = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>zone</name><Polygon><outerBoundaryIs><LinearRing>"
        f"<coordinates>{ring}</coordinates></LinearRing></outerBoundaryIs></Polygon>"
        "</Placemark></Document></kml>"
    )
    with zipfile.ZipFile(tmp_path / "zone.kmz", "w") as archive:
        archive.writestr("doc.kml", kml)
    zones = territory.resolve(
        territory.scenario(zone_plan(tmp_path, 'area = { file = "zone.kmz" }'))
    )
    returned = zones[(zones["region"] == "UA-23") & (zones["change"] == "to_ukraine")]
    assert returned["area_km2"].sum() > 0.5 * area_km2(ZONE)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda f: f.mkdir() or f, "not a geodata file|no layers"),
        (
            lambda f: (
                gpd.GeoDataFrame(geometry=[ZONE], crs=4326)
                .to_crs(32636)
                .set_crs(None, allow_override=True)
                .to_file(f, driver="GeoJSON")
                or f
            ),
            "projected data without a CRS",
        ),
        (
            lambda f: (
                f.write_text(
                    '{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {}, "geometry": {"type": "Polygon", "coordinates": '
                    "[[[34.5, 47.4], [NaN, 47.5], [34.7, 47.6], [34.5, 47.4]]]}}]}"
                )
                or f
            ),
            "not numbers",
        ),
    ],
    ids=["a folder", "projected without a crs", "nan coordinates"],
)
@pytest.mark.filterwarnings("ignore:'crs' was not provided")  # writing the file, on purpose
def test_a_bad_sub_area_file_is_one_line(tmp_path: Path, make, problem: str) -> None:
    make(tmp_path / "zone.geojson")
    scen = territory.scenario(zone_plan(tmp_path, 'area = { file = "zone.geojson" }'))
    with pytest.raises(InputFileError, match=problem) as raised:
        territory.resolve(scen)
    assert "\n" not in str(raised.value)


def test_a_rule_line_file_is_found_beside_the_scenario_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    polygon_file(folder / "other.geojson", shapely.box(34.5, 47.3, 35.5, 47.9))
    path = folder / "plan.toml"
    path.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "other-line"\ntitle = "t"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "Zaporizhzhia"\ncontrol = "line"\n'
        'line = "other.geojson"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # not the scenario file's folder
    zones = territory.resolve(territory.scenario(path))
    held = zones[(zones["region"] == "UA-23") & (zones["control_after"] == "russia")]
    assert 0 < held["area_km2"].sum() < 8000


def test_many_overlapping_bands_resolve(tmp_path: Path) -> None:
    # Bands of many widths, each overlaid on the last: their pieces' edges do not match
    # exactly, which the coverage union of a region's pieces cannot take.
    rules = [
        f'regions = "*"\narea = {{ along_line_km = {1 + k * 0.37:.2f}, side = "both" }}\n'
        'control = "contested"'
        for k in range(20)
    ]
    (scen,) = load_scenarios(
        write_plan(tmp_path, "".join(f"[[scenario.rule]]\n{r}\n" for r in rules))
    )
    zones = territory.resolve(scen)
    ukraine_km2 = territory.area_km2(territory.ukraine())
    assert zones["area_km2"].sum() == pytest.approx(ukraine_km2, rel=1e-6)


@pytest.mark.parametrize("km", [5, 40])
def test_a_band_near_a_region_is_the_whole_band_there(km: float) -> None:
    """Buffered only from the stretch of line that can reach a region, the band covers the
    same ground in that region as the band of the whole line (to float noise)."""
    snap = territory.snapshot("2025-08-08")
    units = territory.regions().set_index("region").geometry
    whole = territory.band_along_line(snap, km)
    for code in ("UA-14", "UA-65", "UA-18"):  # the front, the Dnipro, far from the line
        unit = units[code]
        near = territory.band_along_line(snap, km, near=unit)
        mine, theirs = shapely.intersection(near, unit), shapely.intersection(whole, unit)
        assert area_km2(mine) == pytest.approx(area_km2(theirs), abs=1e-6), code
        assert area_km2(shapely.symmetric_difference(mine, theirs)) < 1e-6, code
    far = territory.band_along_line(snap, 5, near=units["UA-21"])  # Zakarpattia
    assert far.is_empty


@pytest.mark.parametrize(
    "span", [(36.0, 46.5, 39.0, 49.25), (30.0, 44.25, 40.5, 52.5), (37.5, 48.0, 37.75, 48.0)]
)
def test_the_bands_projection_is_proj_own_for_that_lcc(span: tuple[float, ...]) -> None:
    """The band's projection, written as a PROJ pipeline, moves points exactly as PROJ's
    own transformation from EPSG:4326 to that Lambert conformal conic on WGS84 does."""
    import pyproj

    from territory._resolve import _conformal

    west, south, east, north = span
    width = max(north - south, 0.5)
    projected = pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_1={south + width / 6} +lat_2={north - width / 6} "
        f"+lat_0={(south + north) / 2} +lon_0={(west + east) / 2} +datum=WGS84 +units=m"
    )
    there, back = _conformal(*span)
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(west - 2, east + 2, 500), rng.uniform(south - 2, north + 2, 500)
    theirs = pyproj.Transformer.from_crs(4326, projected, always_xy=True).transform(lon, lat)
    assert np.array_equal(np.array(there.transform(lon, lat)), np.array(theirs))
    x, y = theirs
    home = pyproj.Transformer.from_crs(projected, 4326, always_xy=True).transform(x, y)
    assert np.array_equal(np.array(back.transform(x, y)), np.array(home))


def test_zones_on_another_line_are_those_of_the_date_alone_after_another_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A piece's parts on another line (the pre-invasion scenario's) are taken from the
    date before only where the piece is the same, vertex for vertex: a date's zones are
    those it gives on its own, and a piece that moved is cut again."""
    from territory import _resolve
    from territory.geometry import Repeats

    _, first, second = pushed_in_donetsk()
    before = territory.resolve("pre-invasion", first)
    after_first = territory.resolve("pre-invasion", second)
    monkeypatch.setattr(_resolve, "_REPEATS", Repeats())  # nothing kept: the date alone
    alone = territory.resolve("pre-invasion", second.without_pieces())
    pd.testing.assert_frame_equal(
        after_first.drop(columns="geometry"), alone.drop(columns="geometry")
    )
    assert after_first.to_wkb().equals(alone.to_wkb())
    donetsk = alone["region"] == "UA-14"
    assert (
        not alone[donetsk]
        .to_wkb()
        .reset_index(drop=True)
        .equals(before[before["region"] == "UA-14"].to_wkb().reset_index(drop=True))
    )
