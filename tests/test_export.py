"""Writing zones to files (territory.export): GeoJSON, GeoPackage and CSV that read back the
same, the same bytes from run to run, and nothing half-written where a write fails."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import territory


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
