"""Reading any file OGR reads, and DeepState's JSON, into one frame of features
(territory.reading): one clear line for what cannot be read."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import territory
from territory.errors import InputFileError
from territory.geodesy import area_km2

from .synthetic import GREY, TOLERANCE, clipped_km2


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x1f\x8b\x08\x00" + b"\0" * 20, "damaged gzip file"),
        (gzip.compress(b"hello, world\n"), "not a geodata file OGR can read"),
        (gzip.compress(b'{"rows": [1]}'), "JSON but not GeoJSON"),
        (gzip.compress(b"[" * 100_000), "nested too deeply|not valid JSON"),
    ],
)
def test_bad_gzip_content_is_one_line(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "bad.geojson.gz"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=problem) as raised:
        territory.read_snapshot(path)
    assert "\n" not in str(raised.value)
    assert not str(raised.value).endswith(("-", "("))


def test_a_wrapper_too_large_to_parse_in_python_keeps_its_date(
    api_map: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large files go to OGR's streaming reader unparsed: the wrapper's head still dates them.
    monkeypatch.setattr("territory.reading._PY_JSON_BYTES", 100)
    snap = territory.read_snapshot(api_map)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)


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
