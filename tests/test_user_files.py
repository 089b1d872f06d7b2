"""Files a scenario names (sub-areas, other lines) and odd coordinates: read like any
front-line file, with the same one-line errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import territory
from territory import InputFileError
from territory.geodesy import area_km2

ZONE = shapely.box(34.45, 47.40, 34.75, 47.60)  # around the Zaporizhzhia nuclear plant


def plan(folder: Path, area: str) -> Path:
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
    zones = territory.resolve(territory.scenario(plan(tmp_path, 'area = { file = "zone.kmz" }')))
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
    scen = territory.scenario(plan(tmp_path, 'area = { file = "zone.geojson" }'))
    with pytest.raises(InputFileError, match=problem) as raised:
        territory.resolve(scen)
    assert "\n" not in str(raised.value)


def test_a_line_with_nan_coordinates_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "front.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Polygon", "coordinates": '
        "[[[37.8, 47.8], [38.2, 47.8], [NaN, 48.2], [37.8, 47.8]]]}}]}"
    )
    with pytest.raises(InputFileError, match="coordinates that are not numbers"):
        territory.read_snapshot(path)


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


# --- bounds ---------------------------------------------------------------------------------


def test_scenarios_from_a_device_are_refused(run) -> None:
    result = run("scenarios", "--scenarios", "/dev/zero")
    assert result.exit_code == 1
    assert result.stderr == "territory: error: /dev/zero: not a regular file (a character device)\n"


def test_a_huge_scenario_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * 2_000_000)
    with pytest.raises(territory.TerritoryError, match="larger than 1,000,000 bytes"):
        territory.load_scenarios(path)


def test_a_kmz_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "1")
    path = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", "<kml>" + " " * 3_000_000 + "</kml>")
    assert path.stat().st_size < 50_000
    with pytest.raises(InputFileError, match=r"more than the limit of 1 MB once uncompressed"):
        territory.read_snapshot(path)


def test_a_gzip_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "1")
    path = tmp_path / "bomb.geojson.gz"
    path.write_bytes(
        gzip.compress(b'{"type": "FeatureCollection", "features": [' + b" " * 3_000_000)
    )
    with pytest.raises(InputFileError, match="raise it with TERRITORY_MAX_INPUT_MB"):
        territory.read_snapshot(path)


@pytest.mark.parametrize("name", ["a;b.geojson", "front;2025-08-08.gpkg"])
def test_a_semicolon_in_a_file_name_is_just_a_character(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    frame = gpd.GeoDataFrame(geometry=[shapely.box(37.8, 47.8, 38.2, 48.2)], crs=4326)
    plain = tmp_path / f"plain{path.suffix}"  # OGR cannot write the name either
    frame.to_file(plain, driver="GPKG" if name.endswith(".gpkg") else "GeoJSON")
    plain.rename(path)
    snap = territory.read_snapshot(path)
    assert area_km2(snap.russia) == pytest.approx(
        area_km2(shapely.box(37.8, 47.8, 38.2, 48.2)), rel=1e-3
    )


def test_more_polygons_than_the_limit_are_refused_with_the_override_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run
) -> None:
    monkeypatch.setenv("TERRITORY_MAX_POLYGONS", "5")
    path = tmp_path / "cells.geojson"
    # Six polygons in two features: the limit counts the parts, not the features.
    cells = [shapely.box(37.0 + i / 10, 48.0, 37.05 + i / 10, 48.05) for i in range(6)]
    frame = gpd.GeoDataFrame(
        geometry=[shapely.MultiPolygon(cells[:3]), shapely.MultiPolygon(cells[3:])], crs=4326
    )
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(InputFileError, match="6 polygons, more than the limit of 5"):
        territory.read_snapshot(path)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "TERRITORY_MAX_POLYGONS" in result.stderr
    monkeypatch.setenv("TERRITORY_MAX_POLYGONS", "6")
    assert area_km2(territory.read_snapshot(path).russia) > 0
