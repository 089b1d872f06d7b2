"""Importing front-line files (territory.importers): every layout users bring, on small files
written here; generated, mutated and nasty files read or refused in one line."""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import territory
from territory import (
    InputFileError,
    Snapshot,
    TerritoryError,
    area_km2,
    make_snapshot,
    snapshot,
    ukraine,
)
from territory.datafiles import shipped
from territory.importers import date_from_file_name, read_snapshot

from . import synthetic
from .synthetic import (
    ARABIAN_SEA,
    DAYS,
    GREY,
    LIBERATED,
    MAP_ID,
    ORDLO,
    SQUARE,
    SQUARE_MAP,
    ZAPORIZHZHIA,
    collection,
    held_on,
    occupied,
    polygon_feature,
    raw_map_features,
    write_json,
)

# Places inside Ukraine, and outside it, to build synthetic files from.
DONETSK = shapely.box(37.5, 47.5, 38.5, 48.5)  # touches the Russian border in the south-east
DONETSK_INNER = shapely.box(37.8, 47.8, 38.2, 48.2)  # wholly inside
DONETSK_EAST = shapely.box(38.0, 47.8, 38.8, 48.3)  # overlaps DONETSK
LUHANSK_BORDER = shapely.box(39.5, 48.5, 40.5, 49.5)  # straddles the Russian border
CRIMEA = shapely.box(34.0, 45.0, 34.5, 45.3)
MELITOPOL = shapely.box(35.2, 46.7, 35.5, 46.9)
KHARKIV = shapely.box(36.5, 49.5, 37.0, 49.8)
GREY_ZONE = shapely.box(37.0, 48.0, 37.5, 48.3)  # west of DONETSK, touching it
TRANSNISTRIA = shapely.box(29.4, 46.75, 29.6, 46.9)  # in Moldova, near Tiraspol
# Where the synthetic pre-invasion line says Russia held ground since 2014.
HELD_SINCE_2014 = shapely.box(38.0, 47.0, 40.5, 48.2)

TOLERANCE = 1e-3


def is_shipped(name: str) -> bool:
    try:
        shipped("geodata", f"snapshots/{name}.geojson")
    except FileNotFoundError:
        return False
    return True


def clipped_km2(*geometries: shapely.Geometry) -> float:
    """Area of the union of geometries inside Ukraine: what a snapshot should hold."""
    return area_km2(shapely.intersection(shapely.union_all(geometries), ukraine()))


def assert_km2(actual: float, expected: float) -> None:
    assert actual == pytest.approx(expected, rel=TOLERANCE)


def km2_by_tag(snap: Snapshot) -> dict[tuple[str, str], float]:
    return {
        (row.control, row.held_since): area_km2(row.geometry) for row in snap.areas.itertuples()
    }


def feature(geometry: shapely.Geometry, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": shapely.geometry.mapping(geometry),
    }


def write_geojson(path: Path, features: list[dict[str, Any]], **members: Any) -> Path:
    collection = {"type": "FeatureCollection", **members, "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def rounded(geometry: shapely.Geometry, decimals: int) -> shapely.Geometry:
    return shapely.transform(geometry, lambda xy: xy.round(decimals))


def kml_placemark(name: str, polygon: shapely.Polygon) -> str:
    coordinates = " ".join(f"{x},{y},0" for x, y in polygon.exterior.coords)
    return (
        f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing>"
        f"<coordinates>{coordinates}</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark>"
    )


def kml_document(folders: dict[str, list[tuple[str, shapely.Polygon]]]) -> str:
    body = "".join(
        f"<Folder><name>{folder}</name>{''.join(kml_placemark(n, p) for n, p in marks)}</Folder>"
        for folder, marks in folders.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    )


def frame(geometries: list[shapely.Geometry], crs: Any = 4326, **columns: Any) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geometries, crs=crs)


@pytest.fixture(scope="module")
def pre_invasion() -> Snapshot:
    """A synthetic pre-invasion line: the source of 2014 tags in these tests."""
    held = frame([HELD_SINCE_2014], control=["russia"], held_since=["2014"])
    return make_snapshot(held, date="2022-02-23", name="synthetic", source="tests")


@pytest.fixture
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- daily merged files: one MultiPolygon, no properties --------------------------------------


def test_merged_daily_file_is_russian_held_and_split_by_pre_invasion_line(
    tmp_path: Path, pre_invasion: Snapshot, no_warnings: None
) -> None:
    held = rounded(shapely.MultiPolygon([DONETSK, LUHANSK_BORDER]), 6)
    path = write_geojson(tmp_path / "deepstatemap_data_20250808.geojson", [feature(held)])
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert snap.date == dt.date(2025, 8, 8)
    assert snap.name == path.name
    assert set(snap.areas["control"]) == {"russia"}
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK, LUHANSK_BORDER))
    by_tag = km2_by_tag(snap)
    assert_km2(by_tag["russia", "2014"], clipped_km2(shapely.intersection(held, HELD_SINCE_2014)))
    assert_km2(by_tag["russia", "2022"], clipped_km2(held) - clipped_km2(held & HELD_SINCE_2014))


@pytest.mark.skipif(not is_shipped("2022-02-23"), reason="shipped pre-invasion line not built")
def test_untagged_parts_take_2014_from_the_shipped_pre_invasion_line(tmp_path: Path) -> None:
    held = shapely.MultiPolygon([CRIMEA, MELITOPOL])
    snap = read_snapshot(write_geojson(tmp_path / "merged.geojson", [feature(held)]))
    by_tag = km2_by_tag(snap)
    assert_km2(by_tag["russia", "2014"], clipped_km2(CRIMEA))
    assert_km2(by_tag["russia", "2022"], clipped_km2(MELITOPOL))


# --- raw exports: name keys, points, 3-D coordinates, overlaps --------------------------------


def raw_name(ukrainian: str, english: str, key: str) -> str:
    return f"{ukrainian} ///\u00a0{english}\n///  {key} "


@pytest.fixture
def raw_export(tmp_path: Path) -> Path:
    def polygon(geometry: shapely.Geometry, key: str) -> dict[str, Any]:
        return feature(shapely.force_3d(geometry), name=raw_name("Територія", "Territory", key))

    features = [
        feature(shapely.force_3d(shapely.Point(37.9, 48.0)), name="Unit marker"),
        polygon(DONETSK, "status.occupied"),
        polygon(DONETSK_EAST, "status.occupied"),
        polygon(GREY_ZONE, "status.unknown"),
        polygon(KHARKIV, "status.dismissed"),
        polygon(LUHANSK_BORDER, "territories.ordlo"),
        polygon(CRIMEA, "territories.crimea"),
        polygon(TRANSNISTRIA, "territories.transnistria"),
    ]
    return write_geojson(tmp_path / "export.geojson", features)


def test_raw_export_statuses(raw_export: Path, pre_invasion: Snapshot, no_warnings: None) -> None:
    # The boxes leave a pocket on the Russian border that reconciling would fill: the
    # statuses are what this test is about (test_reconcile.py is about the rest).
    snap = read_snapshot(raw_export, tag_2014_from=pre_invasion, reconcile_outlines=False)
    by_tag = km2_by_tag(snap)
    # Overlapping polygons count once: the area of the union, not the sum.
    occupied = shapely.union(DONETSK, DONETSK_EAST)
    assert_km2(area_km2(snap.russia), clipped_km2(occupied, LUHANSK_BORDER, CRIMEA))
    assert_km2(by_tag["contested", ""], clipped_km2(GREY_ZONE))
    assert_km2(
        by_tag["russia", "2014"], clipped_km2(LUHANSK_BORDER, CRIMEA, occupied & HELD_SINCE_2014)
    )
    assert area_km2(shapely.intersection(snap.russia, KHARKIV)) == 0
    assert area_km2(shapely.intersection(snap.russia, TRANSNISTRIA)) == 0
    assert snap.areas.geometry.has_z.sum() == 0


def test_raw_export_with_overlapping_grey_zone_gives_it_to_russia(
    tmp_path: Path, pre_invasion: Snapshot
) -> None:
    features = [
        feature(DONETSK, name=raw_name("a", "b", "status.occupied")),
        feature(DONETSK_INNER, name=raw_name("a", "b", "status.unknown")),
    ]
    snap = read_snapshot(
        write_geojson(tmp_path / "x.geojson", features), tag_2014_from=pre_invasion
    )
    assert set(snap.areas["control"]) == {"russia"}
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK))


def test_unknown_key_inside_ukraine_is_skipped_with_one_warning(
    tmp_path: Path, pre_invasion: Snapshot
) -> None:
    features = [
        feature(DONETSK, name=raw_name("a", "b", "status.occupied")),
        feature(KHARKIV, name=raw_name("a", "b", "status.disputed")),
        feature(MELITOPOL, name=raw_name("a", "b", "status.disputed")),
    ]
    path = write_geojson(tmp_path / "x.geojson", features)
    with pytest.warns(UserWarning, match="unknown meaning.*'status.disputed'") as caught:
        snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert len(caught) == 1
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK))


# --- ISW / ArcGIS exports -------------------------------------------------------------------


def noisy(geometry: shapely.Geometry) -> shapely.Geometry:
    """Coordinates with float noise past the 12th decimal, as ArcGIS writes them."""
    return shapely.transform(geometry, lambda xy: xy + 1.234567890123e-11)


def test_arcgis_geojson_with_float_noise(tmp_path: Path, pre_invasion: Snapshot) -> None:
    features = [
        feature(noisy(DONETSK), OBJECTID=1, Shape__Area=0.93),
        feature(noisy(LUHANSK_BORDER), OBJECTID=2, Shape__Area=1.0),
    ]
    path = write_geojson(tmp_path / "isw.geojson", features)
    assert "37.50000000001" in path.read_text()
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert set(snap.areas["control"]) == {"russia"}
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK, LUHANSK_BORDER))


def test_esri_json(tmp_path: Path, pre_invasion: Snapshot) -> None:
    rings = [[list(xy) for xy in noisy(DONETSK_INNER).exterior.coords]]
    esri = {
        "geometryType": "esriGeometryPolygon",
        "spatialReference": {"wkid": 4326},
        "fields": [{"name": "OBJECTID", "type": "esriFieldTypeOID"}],
        "features": [{"attributes": {"OBJECTID": 1}, "geometry": {"rings": rings}}],
    }
    path = tmp_path / "query.json"
    path.write_text(json.dumps(esri))
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK_INNER))


def test_one_feature_per_line(tmp_path: Path, pre_invasion: Snapshot) -> None:
    lines = [json.dumps(feature(g)) for g in (DONETSK, LUHANSK_BORDER)]
    path = tmp_path / "front.geojsonl"
    path.write_text("\n".join(lines) + "\n")
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK, LUHANSK_BORDER))


def write_kmz(path: Path, kml: str, member: str = "doc.kml") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, kml)
    return path


def test_kmz_reads_every_folder(tmp_path: Path, pre_invasion: Snapshot) -> None:
    kml = kml_document(
        {
            "Assessed Russian control": [("area 1", noisy(DONETSK))],
            "Claimed annexed": [("area 2", noisy(LUHANSK_BORDER))],
        }
    )
    path = write_kmz(tmp_path / "isw_control.kmz", kml)
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK, LUHANSK_BORDER))


def test_kmz_is_recognised_by_content_not_extension(tmp_path: Path, pre_invasion: Snapshot) -> None:
    kml = kml_document({"control": [("area", DONETSK_INNER)]})
    path = write_kmz(tmp_path / "download.zip", kml, member="files/map.kml")
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK_INNER))


def test_plain_kml_with_name_keys(tmp_path: Path, pre_invasion: Snapshot) -> None:
    kml = kml_document(
        {
            "front": [
                (raw_name("a", "b", "status.occupied"), DONETSK),
                (raw_name("a", "b", "status.unknown"), GREY_ZONE),
            ]
        }
    )
    path = tmp_path / "front.kml"
    path.write_text(kml, encoding="utf-8")
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK))
    assert_km2(area_km2(snap.contested), clipped_km2(GREY_ZONE))


# --- anything else OGR reads ----------------------------------------------------------------


def test_geopackage_with_control_and_held_since_columns(
    tmp_path: Path, pre_invasion: Snapshot
) -> None:
    areas = frame(
        [MELITOPOL, GREY_ZONE, LUHANSK_BORDER, KHARKIV],
        control=["Russia", "Contested", "russia", "ukraine"],
        held_since=[None, None, 2014, None],
    )
    path = tmp_path / "lines.gpkg"
    areas.to_file(path, layer="front", driver="GPKG")
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    by_tag = km2_by_tag(snap)
    assert_km2(by_tag["contested", ""], clipped_km2(GREY_ZONE))
    assert_km2(by_tag["russia", "2014"], clipped_km2(LUHANSK_BORDER))
    assert_km2(by_tag["russia", "2022"], clipped_km2(MELITOPOL))
    assert area_km2(shapely.intersection(snap.russia, KHARKIV)) == 0


def test_shapefile_with_status_column(tmp_path: Path, pre_invasion: Snapshot) -> None:
    areas = frame([DONETSK_INNER, GREY_ZONE], status=["occupied", "grey zone"])
    path = tmp_path / "front.shp"
    areas.to_file(path)
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK_INNER))
    assert_km2(area_km2(snap.contested), clipped_km2(GREY_ZONE))


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_crs_is_lon_lat(tmp_path: Path, pre_invasion: Snapshot) -> None:
    path = tmp_path / "no_prj.shp"
    frame([DONETSK_INNER], crs=None).to_file(path)
    assert not path.with_suffix(".prj").exists()
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK_INNER))


def test_flatgeobuf(tmp_path: Path, pre_invasion: Snapshot) -> None:
    path = tmp_path / "front.fgb"
    frame([DONETSK, LUHANSK_BORDER]).to_file(path, driver="FlatGeobuf")
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK, LUHANSK_BORDER))


def test_several_polygon_layers_read_the_first_or_the_one_named(
    tmp_path: Path, pre_invasion: Snapshot
) -> None:
    path = tmp_path / "two.gpkg"
    frame([shapely.Point(37, 48)]).to_file(path, layer="towns")
    frame([DONETSK_INNER]).to_file(path, layer="front")
    frame([GREY_ZONE]).to_file(path, layer="older")
    with pytest.warns(UserWarning, match="2 layers hold polygons"):
        first = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(first.russia), clipped_km2(DONETSK_INNER))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        named = read_snapshot(path, layer="older", tag_2014_from=pre_invasion)
    assert_km2(area_km2(named.russia), clipped_km2(GREY_ZONE))
    with pytest.raises(InputFileError, match=r"two\.gpkg: no layer 'newer'"):
        read_snapshot(path, layer="newer")


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"),
    [(".geojson", "GeoJSON", 3857), (".gpkg", "GPKG", 32637), (".shp", "ESRI Shapefile", 32637)],
)
def test_declared_crs_is_honoured(
    tmp_path: Path, pre_invasion: Snapshot, suffix: str, driver: str, crs: int
) -> None:
    lon_lat = frame([DONETSK, LUHANSK_BORDER])
    path = tmp_path / f"projected{suffix}"
    lon_lat.to_crs(crs).to_file(path, driver=driver)
    snap = read_snapshot(path, tag_2014_from=pre_invasion)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK, LUHANSK_BORDER))


# --- bad input ----------------------------------------------------------------------------


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def points_only(path: Path) -> Path:
    return write_geojson(path, [feature(shapely.Point(37.8, 48.0)), feature(shapely.Point(38, 48))])


def lines_only(path: Path) -> Path:
    return write_geojson(path, [feature(shapely.LineString([(37.8, 48.0), (38.2, 48.1)]))])


def projected_without_crs(path: Path) -> Path:
    box = gpd.GeoSeries([DONETSK_INNER], crs=4326).to_crs(32637).iloc[0]
    return write_geojson(path, [feature(box)])


def swapped(path: Path) -> Path:
    return write_geojson(path, [feature(shapely.transform(DONETSK_INNER, lambda xy: xy[:, ::-1]))])


def all_dismissed(path: Path) -> Path:
    return write_geojson(path, [feature(DONETSK, name=raw_name("a", "b", "status.dismissed"))])


def zip_without_map(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    return path


BAD_FILES = {
    "text": (lambda p: write_bytes(p, b"hello, world\n"), "not a geodata file"),
    "binary junk": (lambda p: write_bytes(p, bytes(range(256)) * 8), "not a geodata file"),
    "not utf-8": (
        lambda p: write_bytes(p, '{"type": "FeatureCollection", "name": "Київ"}'.encode("cp1251")),
        "not UTF-8",
    ),
    "broken json": (lambda p: write_bytes(p, b'{"type": "FeatureCollection", '), "not valid JSON"),
    "json not geojson": (lambda p: write_bytes(p, b'{"rows": [1, 2, 3]}'), "not GeoJSON"),
    "json list": (lambda p: write_bytes(p, b"[[37.5, 47.5]]"), "not GeoJSON"),
    "empty collection": (lambda p: write_geojson(p, []), "no features"),
    "points only": (points_only, r"no polygons \(found Point\)"),
    "lines only": (lines_only, r"no polygons \(found LineString\)"),
    "projected without crs": (
        projected_without_crs,
        "coordinates outside lon/lat range; projected data without a CRS",
    ),
    "lat/lon swapped": (swapped, "lat/lon appear swapped"),
    "outside ukraine": (
        lambda p: write_geojson(p, [feature(TRANSNISTRIA)]),
        "no polygon lies inside Ukraine",
    ),
    "all dismissed": (all_dismissed, "no polygon marks Russian-held or contested"),
    "damaged zip": (lambda p: write_bytes(p, b"PK\x03\x04" + b"\0" * 64), "damaged zip"),
    "zip without map": (zip_without_map, "zip archive holds no KML"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_raises_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    write, problem = BAD_FILES[case]
    path = write(tmp_path / "bad_input.geojson")
    with pytest.raises(InputFileError, match=problem) as raised:
        read_snapshot(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.geojson"
    with pytest.raises(InputFileError, match=r"nowhere\.geojson: file not found"):
        read_snapshot(path)


def test_bow_tie_is_repaired_before_clipping(tmp_path: Path, pre_invasion: Snapshot) -> None:
    bow_tie = shapely.Polygon([(37.6, 47.8), (38.2, 48.2), (38.2, 47.8), (37.6, 48.2)])
    assert not bow_tie.is_valid
    path = write_geojson(tmp_path / "bow.geojson", [feature(bow_tie), feature(LUHANSK_BORDER)])
    with pytest.warns(UserWarning, match=r"bow\.geojson: repaired 1 invalid polygon\(s\)"):
        snap = read_snapshot(path, tag_2014_from=pre_invasion)
    expected = clipped_km2(shapely.make_valid(bow_tie), LUHANSK_BORDER)
    assert_km2(area_km2(snap.russia), expected)


# --- dates, names, dispatch ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("deepstatemap_data_20250808.geojson", dt.date(2025, 8, 8)),
        ("2025-08-08.kmz", dt.date(2025, 8, 8)),
        ("front_2024_11_30_v2.gpkg", dt.date(2024, 11, 30)),
        ("isw.2023.06.01.kml", dt.date(2023, 6, 1)),
        ("export_20251399.geojson", None),
        ("layer_123456789.geojson", None),
        ("front.geojson", None),
    ],
)
def test_date_from_file_name(file_name: str, expected: dt.date | None) -> None:
    assert date_from_file_name(file_name) == expected


def test_date_and_name_given_win_over_the_file_name(tmp_path: Path, pre_invasion: Snapshot) -> None:
    path = write_geojson(tmp_path / "front_20250808.geojson", [feature(DONETSK_INNER)])
    as_text = read_snapshot(path, date="2024-01-31", name="mine", tag_2014_from=pre_invasion)
    assert (as_text.date, as_text.name) == (dt.date(2024, 1, 31), "mine")
    as_date = read_snapshot(path, date=dt.date(2023, 5, 1), tag_2014_from=pre_invasion)
    assert as_date.date == dt.date(2023, 5, 1)
    assert path.name in as_date.source
    with pytest.raises(TerritoryError, match="invalid date '31/01/2024'"):
        read_snapshot(path, date="31/01/2024")


def test_no_date_anywhere_is_none(tmp_path: Path, pre_invasion: Snapshot) -> None:
    path = write_geojson(tmp_path / "front.geojson", [feature(DONETSK_INNER)])
    assert read_snapshot(path, tag_2014_from=pre_invasion).date is None


def test_snapshot_lookup_reads_paths(tmp_path: Path) -> None:
    held = frame([DONETSK_INNER], held_since=["2022"])
    path = tmp_path / "2025-01-15.gpkg"
    held.to_file(path)
    snap = snapshot(path)
    assert snap.date == dt.date(2025, 1, 15)
    assert_km2(area_km2(snap.russia), clipped_km2(DONETSK_INNER))


# --- round trip ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def a_snapshot(pre_invasion: Snapshot) -> Snapshot:
    """The shipped August 2025 line when it is built, else a synthetic one."""
    if is_shipped("2025-08-08"):
        return snapshot("2025-08-08")
    areas = frame(
        [shapely.union(DONETSK, LUHANSK_BORDER), GREY_ZONE, CRIMEA],
        control=["russia", "contested", "russia"],
        held_since=["", "", "2014"],
    )
    return make_snapshot(
        areas, date="2025-08-08", name="synthetic", source="tests", tag_2014_from=pre_invasion
    )


@pytest.mark.parametrize(("suffix", "driver"), [(".geojson", "GeoJSON"), (".gpkg", "GPKG")])
def test_round_trip_keeps_areas(
    tmp_path: Path, a_snapshot: Snapshot, suffix: str, driver: str
) -> None:
    path = tmp_path / f"written{suffix}"
    a_snapshot.areas.to_file(path, driver=driver)
    back = read_snapshot(path, date=a_snapshot.date)
    expected = km2_by_tag(a_snapshot)
    actual = km2_by_tag(back)
    assert actual.keys() == expected.keys()
    for tag, km2 in expected.items():
        assert_km2(actual[tag], km2)


# --- DeepState's raw maps, in the shapes of the public sources ------------------------------


def test_api_wrapper_is_read_with_its_date(api_map: Path, pre_invasion: Snapshot) -> None:
    snap = territory.read_snapshot(api_map, tag_2014_from=pre_invasion)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.russia) == pytest.approx(
        clipped_km2(synthetic.DONETSK, ORDLO, synthetic.CRIMEA, ZAPORIZHZHIA), rel=TOLERANCE
    )
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)
    assert area_km2(shapely.intersection(snap.russia, LIBERATED)) == 0
    held_2014 = snap.areas[snap.areas["held_since"] == "2014"].geometry.iloc[0]
    assert shapely.covers(held_2014.buffer(1e-9), shapely.intersection(ORDLO, ukraine()))
    assert not snap.areas.geometry.has_z.any()


def test_stray_and_satirical_polygons_are_dropped_and_counted(api_map: Path) -> None:
    history = territory.read_history(api_map)
    report = history.report
    # Transnistria and Prussia are left out by their keys; the stray ring in the Arabian
    # Sea is "unknown status" but lies wholly outside Ukraine: dropped, and counted.
    assert report["outside_polygons"] == 1
    assert report["outside_km2"] == pytest.approx(area_km2(ARABIAN_SEA), abs=0.01)
    assert report["polygons"] == {"contested": 2, "left out": 3, "russia": 4}
    assert report["layout"] == "DeepState map, status from name keys and labels"


def test_plain_map_without_wrapper_takes_its_date_from_the_id_in_its_name(tmp_path: Path) -> None:
    # /api/history/{id}/geojson returns the bare collection; downloaders name it by id.
    path = write_json(tmp_path / f"{MAP_ID}.geojson", collection(raw_map_features()))
    assert territory.read_snapshot(path).date == dt.date(2025, 8, 8)


def test_overlapping_features_of_unrecognised_dates_are_refused(tmp_path: Path) -> None:
    features = [
        polygon_feature(held_on(day), snapshot_day=day.strftime("%d.%m.%Y")) for day in DAYS
    ]
    path = write_json(tmp_path / "mystery.geojson", collection(features))
    with pytest.raises(InputFileError, match=r"features overlap .* 'snapshot_day': several dates"):
        territory.read_snapshot(path)


def test_side_by_side_features_with_edit_dates_are_one_map(tmp_path: Path) -> None:
    # ISW exports give each polygon the date it was last edited: not a history.
    features = [
        polygon_feature(synthetic.DONETSK, OBJECTID=1, EditDate="2025-08-01"),
        polygon_feature(ZAPORIZHZHIA, OBJECTID=2, EditDate="2025-08-06"),
    ]
    path = write_json(tmp_path / "isw_20250808.geojson", collection(features))
    snap = territory.read_snapshot(path)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.russia) == pytest.approx(
        clipped_km2(synthetic.DONETSK, ZAPORIZHZHIA), rel=TOLERANCE
    )


@pytest.mark.parametrize("name", ["my-front.geojson", "export (3).json", "x"])
def test_a_deepstate_map_is_credited_to_deepstatemap_whatever_its_name(
    tmp_path: Path, name: str
) -> None:
    from territory.render import line_source, map_html, render_comparison

    wrapped = {"id": 1754682420, "map": _deepstate_map_for_credit()}
    path = tmp_path / name
    path.write_text(json.dumps(wrapped))
    snap = territory.read_snapshot(path)
    assert snap.credit == "DeepStateMap (deepstatemap.live), map of 2025-08-08"
    assert "DeepStateMap (deepstatemap.live)" in line_source(snap)
    page = map_html(render_comparison(["freeze"], snap))
    assert "Line: DeepStateMap (deepstatemap.live), map of 2025-08-08." in page  # the panel
    assert "Front line: DeepStateMap (deepstatemap.live), map of 2025-08-08" in page
    assert name not in line_source(snap)  # the credit never names the file
    from territory.render import static_figure

    figure = static_figure(
        territory.resolve("freeze", snap), tmp_path / "f.svg", credit=line_source(snap)
    )
    assert "Line: DeepStateMap (deepstatemap.live), map of 2025-08-08." in figure.read_text()
    plain = tmp_path / "plain.geojson"
    square = shapely.geometry.mapping(shapely.box(37.8, 47.8, 38.2, 48.2))
    plain.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": square}))
    assert territory.read_snapshot(plain).credit == ""  # nothing says whose it is


def _deepstate_map_for_credit() -> dict:
    occupied = shapely.geometry.mapping(shapely.box(37.6, 47.9, 38.2, 48.3))
    name = "Окупована /// Occupied /// geoJSON.status.occupied"
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": occupied}
    return {"type": "FeatureCollection", "features": [feature]}


def test_a_line_with_nan_coordinates_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "front.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Polygon", "coordinates": '
        "[[[37.8, 47.8], [38.2, 47.8], [NaN, 48.2], [37.8, 47.8]]]}}]}"
    )
    with pytest.raises(InputFileError, match="coordinates that are not numbers"):
        territory.read_snapshot(path)


# --- generated, mutated and nasty files: read, or refused in one line -----------------------

FAST = settings.get_profile("fast")


_EMPTY = territory.Snapshot(None, "empty", "test", territory.snapshot("2022-02-23").areas.iloc[0:0])


def _reads_or_fails_cleanly(path: Path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            territory.read_snapshot(path, tag_2014_from=_EMPTY)
    except TerritoryError as problem:
        assert str(problem)


# Mostly plausible degrees; sometimes NaN, infinities and huge values, as broken files carry.
_coordinate = st.one_of(
    st.floats(min_value=-200, max_value=200, allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=True, allow_infinity=True),
)


@FAST
@given(
    rings=st.lists(
        st.lists(st.tuples(_coordinate, _coordinate), min_size=0, max_size=8), max_size=3
    ),
    kind=st.sampled_from(["Polygon", "MultiPolygon", "LineString", "Point", "Bogus"]),
    name=st.sampled_from([None, "x /// y /// status.occupied", "status.unknown", 7]),
)
def test_generated_geojson(tmp_path, rings, kind, name):
    def geometry(ring):
        coords = [list(p) for p in ring]
        if kind == "Polygon":
            return {"type": kind, "coordinates": [coords + coords[:1]]}
        if kind == "MultiPolygon":
            return {"type": kind, "coordinates": [[coords + coords[:1]]]}
        if kind == "Point":
            return {"type": kind, "coordinates": coords[0] if coords else []}
        return {"type": kind, "coordinates": coords}

    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": geometry(r)} for r in rings
    ]
    path = tmp_path / "generated.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    _reads_or_fails_cleanly(path)


_VALID_GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "a /// b /// status.occupied"},
                "geometry": shapely.geometry.mapping(shapely.box(37.5, 47.5, 38.5, 48.5)),
            }
        ],
    }
)


@FAST
@given(data=st.data())
def test_mutated_geojson(tmp_path, data):
    raw = bytearray(_VALID_GEOJSON.encode())
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "mutated.geojson"
    path.write_bytes(bytes(raw))
    _reads_or_fails_cleanly(path)


# Map ids as DeepState writes them (unix seconds), and as broken files do: milliseconds,
# negative, huge, fractional, infinite, not a number, text.
_stamps = st.one_of(
    st.integers(-(2**70), 2**70),
    st.integers(1_400_000_000, 1_900_000_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.none(),
)


@FAST
@given(stamp=_stamps)
def test_generated_map_ids(tmp_path, stamp):
    path = tmp_path / "raw.json"
    wrapped = json.dumps({"id": stamp, "map": SQUARE_MAP}, allow_nan=True)
    path.write_text(wrapped)
    _reads_or_fails_cleanly(path)


def _feature_collection(*geometries: dict, crs: str | None = None) -> str:
    collection: dict = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection)


def _many_vertices(count: int) -> dict:
    circle = shapely.Point(37.8, 48.0).buffer(0.3, quad_segs=count // 4)
    return shapely.geometry.mapping(circle)


NASTY_SNAPSHOTS = {
    "empty.geojson": (b"", "empty"),
    "binary.geojson": (bytes(range(256)) * 4, "not"),
    "latin1.geojson": ('{ "name": "Донецьк" }'.encode("cp1251"), "not"),
    "no-features.geojson": (_feature_collection().encode(), "no features"),
    "points-only.geojson": (
        _feature_collection({"type": "Point", "coordinates": [37.8, 48.0]}).encode(),
        "no polygons",
    ),
    "projected-no-crs.geojson": (
        _feature_collection(
            shapely.geometry.mapping(shapely.box(4_200_000, 6_100_000, 4_250_000, 6_150_000))
        ).encode(),
        "outside lon/lat",
    ),
    "swapped.geojson": (
        _feature_collection(shapely.geometry.mapping(shapely.box(47.5, 37.5, 48.5, 38.5))).encode(),
        "swapped",
    ),
    "wrong-crs.geojson": (
        # Lon/lat numbers declared as Web Mercator metres: a few metres off Africa.
        _feature_collection(
            shapely.geometry.mapping(shapely.box(37.5, 47.5, 38.5, 48.5)), crs="EPSG:3857"
        ).encode(),
        "inside Ukraine",
    ),
    "outside.geojson": (
        _feature_collection(shapely.geometry.mapping(shapely.box(10, 50, 11, 51))).encode(),
        "inside Ukraine",
    ),
}


@pytest.mark.parametrize("name", sorted(NASTY_SNAPSHOTS))
def test_nasty_snapshot_files_fail_with_a_message(tmp_path, name):
    content, expected = NASTY_SNAPSHOTS[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TerritoryError, match=expected) as info:
        territory.read_snapshot(path, tag_2014_from=_EMPTY)
    assert name in str(info.value) and "\n" not in str(info.value)


def test_huge_coordinate_count_loads(tmp_path):
    path = tmp_path / "huge.geojson"
    path.write_text(_feature_collection(_many_vertices(200_000)))
    snap = territory.read_snapshot(path, tag_2014_from=_EMPTY)
    expected = territory.area_km2(shapely.Point(37.8, 48.0).buffer(0.3, quad_segs=16))
    assert territory.area_km2(snap.russia) == pytest.approx(expected, rel=0.01)


def test_self_intersecting_polygon_is_repaired_with_a_warning(tmp_path, bowtie):
    path = tmp_path / "bowtie.geojson"
    path.write_text(_feature_collection(shapely.geometry.mapping(bowtie)))
    with pytest.warns(UserWarning, match="repaired 1 invalid"):
        snap = territory.read_snapshot(path, tag_2014_from=_EMPTY)
    assert snap.areas.is_valid.all()
    assert territory.area_km2(snap.russia) == pytest.approx(
        territory.area_km2(shapely.make_valid(bowtie)), rel=1e-3
    )


def test_a_polygon_the_size_of_the_world_is_all_of_ukraine(tmp_path):
    path = tmp_path / "world.geojson"
    path.write_text(_feature_collection(shapely.geometry.mapping(shapely.box(-180, -90, 180, 90))))
    snap = territory.read_snapshot(path, tag_2014_from=_EMPTY)
    ukraine_km2 = territory.area_km2(territory.ukraine())
    assert territory.area_km2(snap.russia) == pytest.approx(ukraine_km2, rel=1e-4)


def test_a_map_past_the_vertex_limit_is_refused_per_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = shapely.Point(37.9, 48.0).buffer(0.2, quad_segs=64)  # 257 vertices
    path = tmp_path / "archive.geojson"
    days = collection([occupied(SQUARE, date="2025-08-07"), occupied(ring, date="2025-08-08")])
    path.write_text(json.dumps(days))
    monkeypatch.setenv("TERRITORY_MAX_VERTICES", "100")
    with pytest.raises(InputFileError, match="257 vertices in the map of 2025-08-08, more than"):
        territory.read_history(path)
    monkeypatch.setenv("TERRITORY_MAX_VERTICES", "300")  # each date alone is within it
    assert len(territory.read_history(path).dates) == 2
