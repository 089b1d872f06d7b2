"""The two shipped control snapshots: geometry sanity, public figures and named towns.

The shares are pinned to the public figures for each date (DESIGN.md, "Real front-line
data"): the bands are a few points wide because our line is drawn from which towns each side
held, not traced from a map, and our region outlines are Natural Earth's (Kherson's, for
one, holds the Kakhovka reservoir but not all the water the official area counts).
"""

from __future__ import annotations

import pytest
import shapely

from territory import SHIPPED_SNAPSHOTS, line_of_contact, snapshot
from territory._regions import ukraine
from territory.geodesy import WGS84, area_km2

PRE, NOW = SHIPPED_SNAPSHOTS

# Shares of each unit Russia held, as (low, high) bounds.
SHARES = {
    PRE: {
        "UA-43": (0.999, 1.0),  # Crimea, whole
        "UA-40": (0.999, 1.0),  # Sevastopol, whole
        "UA-14": (0.28, 0.38),  # Donetsk: about a third
        "UA-09": (0.28, 0.38),  # Luhansk: about a third
        "UA-23": (0.0, 0.0),
        "UA-65": (0.0, 0.0),
        "UA-63": (0.0, 0.0),
    },
    NOW: {
        "UA-43": (0.999, 1.0),
        "UA-40": (0.999, 1.0),
        "UA-09": (0.97, 1.0),  # nearly all of Luhansk (about 99%)
        "UA-14": (0.72, 0.82),  # about three quarters of Donetsk (75-79%)
        "UA-23": (0.70, 0.78),  # about three quarters of Zaporizhzhia (73-75%)
        "UA-65": (0.70, 0.78),  # Kherson's left bank (73-75% of the land)
        "UA-63": (0.02, 0.06),  # Kharkiv: about 4%
        "UA-59": (0.0005, 0.02),  # Sumy: border strips
        "UA-48": (0.0005, 0.02),  # Mykolaiv: the Kinburn spit
        "UA-12": (0.0, 0.01),  # Dnipropetrovsk: a small incursion, under 1%
        "UA-35": (0.0, 0.0),  # Kirovohrad: none
    },
}

# Share of all of Ukraine Russia held.
TOTAL = {PRE: (0.068, 0.078), NOW: (0.18, 0.20)}

# GeoNames coordinates (lon, lat). Kherson's and Skadovsk's points lie just off our
# simplified coastline, so a point a little inland stands for each.
TOWNS = {
    "Alchevsk": (38.7974, 48.4691),
    "Avdiivka": (37.7501, 48.1402),
    "Bakhmut": (37.9989, 48.5942),
    "Berdiansk": (36.7882, 46.7558),
    "Beryslav": (33.4266, 46.8385),
    "Chasiv Yar": (37.8341, 48.5877),
    "Debaltseve": (38.4026, 48.3359),
    "Dnipro": (35.0407, 48.4666),
    "Dniprorudne": (35.0007, 47.3899),
    "Dobropillia": (37.0857, 48.4667),
    "Donetsk": (37.8022, 48.0230),
    "Druzhkivka": (37.5254, 48.6200),
    "Enerhodar": (34.6620, 47.4905),
    "Henichesk": (34.8086, 46.1682),
    "Hola Prystan": (32.5241, 46.5297),
    "Horlivka": (38.0171, 48.2999),
    "Huliaipole": (36.2558, 47.6668),
    "Kadiivka": (38.6435, 48.5682),
    "Kamianka-Dniprovska": (34.4103, 47.4963),
    "Kharkiv": (36.2548, 49.9818),
    "Kherson": (32.6000, 46.6700),
    "Kostiantynivka": (37.7059, 48.5273),
    "Kramatorsk": (37.5678, 48.7311),
    "Kreminna": (38.2155, 49.0481),
    "Kupiansk": (37.6158, 49.7100),
    "Kurakhove": (37.2807, 47.9847),
    "Luhansk": (39.3055, 48.5681),
    "Lyman": (37.8084, 48.9901),
    "Lysychansk": (38.4209, 48.9121),
    "Makiivka": (37.9258, 48.0478),
    "Marinka": (37.5054, 47.9453),
    "Mariupol": (37.5413, 47.0951),
    "Melitopol": (35.3820, 46.8473),
    "Myrnohrad": (37.2651, 48.3099),
    "Nikopol": (34.3913, 47.5683),
    "Nova Kakhovka": (33.3559, 46.7597),
    "Novoazovsk": (38.0860, 47.1139),
    "Ocheretyne": (37.6157, 48.2445),
    "Oleshky": (32.7243, 46.6255),
    "Orikhiv": (35.7833, 47.5761),
    "Pokrovsk": (37.1771, 48.2801),
    "Polohy": (36.2546, 47.4787),
    "Popasna": (38.3710, 48.6317),
    "Selydove": (37.3022, 48.1465),
    "Sevastopol": (33.5213, 44.6080),
    "Shchastia": (39.2305, 48.7378),
    "Sievierodonetsk": (38.4875, 48.9441),
    "Simferopol": (34.1108, 44.9572),
    "Siversk": (38.0968, 48.8648),
    "Skadovsk": (32.9100, 46.1200),
    "Sloviansk": (37.5974, 48.8497),
    "Soledar": (38.0710, 48.6921),
    "Stanytsia Luhanska": (39.4836, 48.6625),
    "Stepnohirsk": (35.3640, 47.5902),
    "Sumy": (34.7991, 50.9174),
    "Svatove": (38.1553, 49.4093),
    "Tokmak": (35.7084, 47.2555),
    "Toretsk": (37.8478, 48.3948),
    "Vasylivka": (35.2821, 47.4422),
    "Velyka Novosilka": (36.8363, 47.8428),
    "Volnovakha": (37.4936, 47.6008),
    "Vuhledar": (37.2500, 47.7797),
    "Yasynuvata": (37.8592, 48.1268),
    "Zaporizhzhia": (35.1171, 47.8517),
    # Villages on the line of early August 2025, each on the side public reporting put it.
    "Ivanopillia": (37.7633, 48.4733),
    "Kamianske (Zaporizhzhia)": (35.3737, 47.5392),
    "Kindrashivka": (37.5831, 49.7657),
    "Kruhliakivka": (37.7150, 49.5294),
    "Lukiantsi": (36.5067, 50.2467),
    "Malynivka (Zaporizhzhia)": (36.4812, 47.6795),
    "Novovodiane (Luhansk)": (38.0215, 49.2729),
    "Poltavka (Zaporizhzhia)": (36.4834, 47.7176),
    "Serebrianka": (38.1354, 48.9196),
    "Shakhove": (37.3498, 48.4604),
    "Shcherbynivka": (37.7910, 48.3949),
    "Temyrivka": (36.5712, 47.8254),
    "Vovchansk": (36.9411, 50.2908),
    "Zahryzove": (37.7122, 49.5046),
    "Zelene Pole": (36.6228, 47.8267),
    "Zelenyi Hai (Donetsk)": (36.6527, 48.0697),
}

HELD = {
    PRE: [
        "Alchevsk",
        "Debaltseve",
        "Donetsk",
        "Horlivka",
        "Kadiivka",
        "Luhansk",
        "Makiivka",
        "Novoazovsk",
        "Sevastopol",
        "Simferopol",
        "Yasynuvata",
    ],
    NOW: [
        "Avdiivka",
        "Bakhmut",
        "Berdiansk",
        "Chasiv Yar",
        "Dniprorudne",
        "Donetsk",
        "Enerhodar",
        "Henichesk",
        "Hola Prystan",
        "Kamianka-Dniprovska",
        "Kreminna",
        "Kurakhove",
        "Lysychansk",
        "Mariupol",
        "Melitopol",
        "Nova Kakhovka",
        "Ocheretyne",
        "Oleshky",
        "Polohy",
        "Popasna",
        "Selydove",
        "Sievierodonetsk",
        "Skadovsk",
        "Soledar",
        "Svatove",
        "Tokmak",
        "Toretsk",
        "Vasylivka",
        "Velyka Novosilka",
        "Volnovakha",
        "Vuhledar",
        "Kamianske (Zaporizhzhia)",
        "Kruhliakivka",
        "Lukiantsi",
        "Malynivka (Zaporizhzhia)",
        "Novovodiane (Luhansk)",
        "Zelene Pole",
        "Zelenyi Hai (Donetsk)",
    ],
}
NOT_HELD = {
    PRE: [
        "Avdiivka",
        "Bakhmut",
        "Kramatorsk",
        "Mariupol",
        "Marinka",
        "Melitopol",
        "Popasna",
        "Shchastia",
        "Sievierodonetsk",
        "Lysychansk",
        "Stanytsia Luhanska",
        "Volnovakha",
    ],
    NOW: [
        "Beryslav",
        "Dnipro",
        "Dobropillia",
        "Druzhkivka",
        "Huliaipole",
        "Kharkiv",
        "Kherson",
        "Kostiantynivka",
        "Kramatorsk",
        "Kupiansk",
        "Lyman",
        "Myrnohrad",
        "Nikopol",
        "Orikhiv",
        "Pokrovsk",
        "Siversk",
        "Sloviansk",
        "Stepnohirsk",
        "Sumy",
        "Zaporizhzhia",
        "Ivanopillia",
        "Kindrashivka",
        "Poltavka (Zaporizhzhia)",
        "Serebrianka",
        "Shakhove",
        "Shcherbynivka",
        "Temyrivka",
        "Vovchansk",
        "Zahryzove",
    ],
}

# Points in the Dnipro and the bed of the former Kakhovka reservoir: the line runs along
# the left bank, as public figures count it (Russian forces held the left bank; the water
# and the drained bed between the banks are not counted as held).
DNIPRO_WATER = {
    "the reservoir bed between Enerhodar and Marhanets": (34.6500, 47.5600),
    "the reservoir bed between Vasylivka and Prymorske": (35.2500, 47.5600),
    "the Dnipro between Beryslav and Kakhovka": (33.4600, 46.8320),
    "the Dnipro delta between Antonivka and Oleshky": (32.7300, 46.6550),
}

# Plausible lengths (km) of the derived line of contact. 2022: the 2015-2022 line (about
# 420-500 km on public maps) plus Crimea's boundary with Kherson oblast. 2025: our line,
# drawn with a vertex every 5-15 km, is smoother than the 1,100-1,300 km quoted for the
# detailed front including the Dnipro; see geodata/SNAPSHOTS.md.
LINE_KM = {PRE: (400, 650), NOW: (750, 1300)}


@pytest.fixture(scope="module")
def shares():
    return {name: snapshot(name).shares() for name in SHIPPED_SNAPSHOTS}


def _parts(name: str) -> dict[str, shapely.Geometry]:
    areas = snapshot(name).areas
    return {h: shapely.union_all(g.values) for h, g in areas.groupby("held_since").geometry}


@pytest.mark.parametrize("name", SHIPPED_SNAPSHOTS)
def test_loads_with_date_and_source(name):
    snap = snapshot(name)
    assert snap.date.isoformat() == name
    # Readers see the source on pages and figures: words, never a repository path.
    assert snap.source.startswith("territory, drawn from public reports")
    assert ".md" not in snap.source and "geodata/" not in snap.source
    assert set(snap.areas["control"]) == {"russia"}


@pytest.mark.parametrize("name", SHIPPED_SNAPSHOTS)
def test_polygons_are_valid(name):
    geometries = snapshot(name).areas.geometry
    assert geometries.is_valid.all()
    assert set(geometries.geom_type) <= {"Polygon", "MultiPolygon"}


def test_held_since_tags():
    assert set(_parts(PRE)) == {"2014"}
    assert set(_parts(NOW)) == {"2014", "2022"}


def test_2014_and_2022_parts_do_not_overlap():
    parts = _parts(NOW)
    assert area_km2(shapely.intersection(parts["2014"], parts["2022"])) < 0.01


@pytest.mark.parametrize("name", SHIPPED_SNAPSHOTS)
def test_everything_lies_within_ukraine(name):
    outside = shapely.difference(snapshot(name).russia, ukraine())
    assert area_km2(outside) < 0.01


def test_2014_parts_are_the_same_on_both_dates():
    before, after = _parts(PRE)["2014"], _parts(NOW)["2014"]
    assert area_km2(shapely.symmetric_difference(before, after)) < 0.001 * area_km2(before)


@pytest.mark.parametrize("name", SHIPPED_SNAPSHOTS)
def test_held_and_not_held_make_up_ukraine(name):
    country = ukraine()
    held = snapshot(name).russia
    not_held = shapely.difference(country, held)
    total = area_km2(held) + area_km2(not_held)
    assert total == pytest.approx(area_km2(country), rel=1e-4)


@pytest.mark.parametrize(
    ("name", "iso", "low", "high"),
    [
        (name, iso, low, high)
        for name, table in SHARES.items()
        for iso, (low, high) in table.items()
    ],
)
def test_region_share_matches_public_figures(shares, name, iso, low, high):
    share = shares[name].loc[iso, "russia_share"]
    assert low - 1e-9 <= share <= high + 1e-9, f"{iso} {share:.3f} not in {low}-{high}"


@pytest.mark.parametrize("name", SHIPPED_SNAPSHOTS)
def test_total_share_matches_public_figures(shares, name):
    table = shares[name]
    low, high = TOTAL[name]
    assert low <= table["russia_km2"].sum() / table["area_km2"].sum() <= high


def test_total_area_2025_is_about_113000_km2(shares):
    assert 110_000 <= shares[NOW]["russia_km2"].sum() <= 117_000


def test_town_points_lie_in_ukraine():
    country = ukraine()
    outside = [t for t, (x, y) in TOWNS.items() if not shapely.contains_xy(country, x, y)]
    assert outside == []


@pytest.mark.parametrize(
    ("name", "town"), [(name, town) for name, towns in HELD.items() for town in towns]
)
def test_town_is_russian_held(name, town):
    assert shapely.contains_xy(snapshot(name).russia, *TOWNS[town])


@pytest.mark.parametrize(
    ("name", "town"), [(name, town) for name, towns in NOT_HELD.items() for town in towns]
)
def test_town_is_not_russian_held(name, town):
    assert not shapely.contains_xy(snapshot(name).russia, *TOWNS[town])


@pytest.mark.parametrize("where", sorted(DNIPRO_WATER))
def test_the_dnipro_is_not_counted_as_held(where):
    assert not snapshot(NOW).russia.contains(shapely.Point(DNIPRO_WATER[where]))


@pytest.mark.parametrize("name", SHIPPED_SNAPSHOTS)
def test_line_of_contact_is_inside_ukraine_with_a_plausible_length(name):
    frame = line_of_contact(snapshot(name))
    line = frame.geometry.iloc[0]
    assert line.geom_type in ("LineString", "MultiLineString")
    low, high = LINE_KM[name]
    assert low <= frame["length_km"].iloc[0] <= high
    country = ukraine()
    assert shapely.covered_by(line, shapely.buffer(country, 1e-4))
    # Not the border or the coast: nearly all of it lies more than about 300 m inside.
    near_edge = shapely.intersection(line, shapely.buffer(shapely.boundary(country), 3e-3))
    assert WGS84.geometry_length(near_edge) < 0.05 * WGS84.geometry_length(line)
