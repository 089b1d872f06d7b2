"""Numbers from zones (territory._stats): km² and shares per region, and what changes hands
between two maps (diff), the towns among it, and the demilitarised ground."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import territory
from territory._resolve import resolve
from territory._stats import snapshot_of
from territory.export import export_zones

LINE = "2025-08-08"


@pytest.fixture(scope="module")
def zones() -> dict[str, gpd.GeoDataFrame]:
    """Every shipped scenario's zones on the shipped line of 8 August 2025, by id."""
    line = territory.snapshot(LINE)
    return {s.id: territory.resolve(s, line) for s in territory.scenarios()}


def test_stats_hold_regions_only_and_their_sums_are_the_totals(zones) -> None:
    for ident, frame in zones.items():
        table, total = territory.stats(frame), territory.totals(frame)
        assert "UA" not in set(table["region"]), ident
        assert total["region"].tolist() == ["UA"], ident
        for column in ("area_km2", "russia_km2", "to_russia_km2", "de_jure_km2"):
            assert table[column].sum() == pytest.approx(total[column].iloc[0], abs=0.05), column
        assert total["area_km2"].iloc[0] == pytest.approx(frame["area_km2"].sum(), abs=0.05)


def test_diff_against_own_snapshot_equals_diff_against_status_quo(zones):
    one = territory.diff(zones["putin-demands"])
    two = territory.diff(zones["status-quo"], zones["putin-demands"])
    assert one.km2("to_russia") == pytest.approx(two.km2("to_russia"), rel=1e-6)


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


def test_zones_written_before_the_column_read_as_not_demilitarised(plan) -> None:
    old = plan.drop(columns="demilitarised")
    assert territory.stats(old)["demilitarised_km2"].eq(0).all()
    assert territory.demilitarised_towns(old).empty


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_zones_read_back_give_the_same_stats_and_diff(tmp_path: Path, suffix: str) -> None:
    line = territory.snapshot("2025-08-08")
    before, after = resolve("status-quo", line), resolve("us-russia-draft", line)
    back = {}
    for name, zones in (("before", before), ("after", after)):
        path = export_zones(zones, tmp_path / f"{name}{suffix}")
        back[name] = gpd.read_file(path)
    assert snapshot_of(back["after"]) == snapshot_of(after) == "2025-08-08"
    pd.testing.assert_frame_equal(
        territory.stats(back["after"]), territory.stats(after), check_exact=False, rtol=1e-6
    )
    original, read = territory.diff(before, after), territory.diff(back["before"], back["after"])
    assert (read.a, read.b) == (original.a, original.b) == ("status-quo", "us-russia-draft")
    assert read.km2("to_russia") == pytest.approx(original.km2("to_russia"), rel=1e-6)
    assert read.towns["name"].tolist() == original.towns["name"].tolist()
    # Against the snapshot itself, the label is the snapshot's date, read from the column.
    assert territory.diff(back["after"]).a == territory.diff(after).a == "2025-08-08"
