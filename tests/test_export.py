"""Writing zones to files (territory.export): GeoJSON, GeoPackage and CSV that read back the
same, the same bytes from run to run, and nothing half-written where a write fails."""

from __future__ import annotations

import json
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import territory
from territory._resolve import resolve
from territory.export import OutputError, atomic_path, export_zones


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


def test_a_device_is_refused() -> None:
    with pytest.raises(OutputError, match="/dev/null: not a regular file"):
        export_zones(resolve("freeze"), Path("/dev/null"))


def test_an_unwritable_place_names_the_users_path(tmp_path: Path) -> None:
    target = Path("/proc/self/territory-out.html")
    with pytest.raises(OutputError) as raised, atomic_path(target) as tmp:
        tmp.write_text("x")
    assert str(raised.value).startswith(f"{target}: ")
    assert ".territory-out-" not in str(raised.value)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_exports_are_the_same_bytes_from_run_to_run(tmp_path: Path, suffix: str) -> None:
    zones = resolve("us-russia-draft")
    first = export_zones(zones, tmp_path / f"a{suffix}").read_bytes()
    time.sleep(1.1)  # GeoPackage would stamp the second in which it was written
    second = export_zones(zones, tmp_path / f"b{suffix}").read_bytes()
    assert first == second


@pytest.fixture(scope="module")
def zones():
    return territory.resolve("freeze")


def test_output_to_a_directory(tmp_path, zones):
    with pytest.raises(OutputError, match="is a directory"):
        export_zones(zones, tmp_path)


def test_output_into_a_missing_folder(tmp_path, zones):
    with pytest.raises(OutputError, match="does not exist"):
        export_zones(zones, tmp_path / "missing" / "zones.geojson")


def test_an_existing_file_is_replaced_only_after_success(tmp_path, zones, monkeypatch):
    out = tmp_path / "zones.geojson"
    out.write_text("previous good file")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("geopandas.GeoDataFrame.to_file", broken)
    with pytest.raises(OutputError, match=r"zones\.geojson: cannot write \(disk full\)"):
        export_zones(zones, out)
    assert out.read_text() == "previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["zones.geojson"]
    monkeypatch.undo()
    export_zones(zones, out)
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
