"""Rates of advance: the km² that changed hands between the dates shown, and per day, checked
against areas measured in the test with pyproj alone."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pyproj
import pytest
import shapely

from territory import rates

GEOD = pyproj.Geod(ellps="WGS84")
# Ground held on each date, well inside Donetsk oblast (no coast, no border): taken, given
# back, held still (the same map twice), and dates missing between.
HELD = {
    dt.date(2025, 6, 1): 38.00,
    dt.date(2025, 6, 2): 38.05,
    dt.date(2025, 6, 5): 38.12,
    dt.date(2025, 6, 6): 38.12,  # the same map as the day before
    dt.date(2025, 6, 9): 38.03,  # ground given back
    dt.date(2025, 6, 30): 38.20,
}


def square(east: float) -> shapely.Polygon:
    return shapely.box(37.6, 47.9, east, 48.3)


def km2(east: float) -> float:
    return abs(GEOD.geometry_area_perimeter(square(east))[0]) / 1e6


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    features = [
        {
            "type": "Feature",
            "id": str(i),
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(square(east)),
        }
        for i, (day, east) in enumerate(HELD.items())
    ]
    path = tmp_path / "archive.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def ukraine_rows(result: object) -> pd.DataFrame:
    table = pd.read_csv(io.StringIO(result.stdout))  # type: ignore[attr-defined]
    return table[table["region"] == "UA"].reset_index(drop=True)


def test_rates_are_the_change_over_the_days_between(archive: Path, run) -> None:
    result = run("history", "--line", str(archive), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = ukraine_rows(result)
    days = list(HELD)
    assert pd.isna(rows.loc[0, "russia_km2_change"]) and pd.isna(rows.loc[0, "days"])
    for i in range(1, len(days)):
        gap = (days[i] - days[i - 1]).days
        change = km2(HELD[days[i]]) - km2(HELD[days[i - 1]])
        assert rows.loc[i, "days"] == gap
        assert rows.loc[i, "russia_km2_change"] == pytest.approx(change, abs=0.05)
        assert rows.loc[i, "russia_km2_per_day"] == pytest.approx(change / gap, abs=0.05)
    assert rows.loc[3, "russia_km2_change"] == 0  # the same map: nothing moved
    assert rows.loc[4, "russia_km2_change"] < 0  # ground given back


def test_a_thinned_history_takes_the_change_since_the_date_kept_before(archive: Path, run) -> None:
    result = run("history", "--line", str(archive), "--every", "week", "--format", "csv")
    rows = ukraine_rows(result)
    kept = [dt.date.fromisoformat(d) for d in rows["date"]]
    assert kept == [
        dt.date(2025, 6, 1),
        dt.date(2025, 6, 6),
        dt.date(2025, 6, 9),
        dt.date(2025, 6, 30),
    ]
    change = km2(HELD[kept[2]]) - km2(HELD[kept[1]])
    assert rows.loc[2, "days"] == 3
    assert rows.loc[2, "russia_km2_per_day"] == pytest.approx(change / 3, abs=0.05)


def test_a_rolling_rate_runs_from_the_last_date_a_window_before(archive: Path, run) -> None:
    result = run("history", "--line", str(archive), "--rolling", "7d", "--format", "csv")
    rows = ukraine_rows(result)
    # On 30 June the window starts at the last date at least 7 days before: 9 June.
    change = km2(HELD[dt.date(2025, 6, 30)]) - km2(HELD[dt.date(2025, 6, 9)])
    assert rows.loc[5, "russia_km2_per_day_7d"] == pytest.approx(change / 21, abs=0.05)
    # On 9 June: since 2 June (7 days).
    change = km2(HELD[dt.date(2025, 6, 9)]) - km2(HELD[dt.date(2025, 6, 2)])
    assert rows.loc[4, "russia_km2_per_day_7d"] == pytest.approx(change / 7, abs=0.05)
    assert rows["russia_km2_per_day_7d"][:4].isna().all()  # the history is not 7 days long yet


def test_tables_a_person_reads(archive: Path, run) -> None:
    table = run("history", "--line", str(archive)).stdout
    header = table.splitlines()[0].split()
    assert header[:7] == [
        "date",
        "region",
        "region_name",
        "russia_km2",
        "russia_%",
        "contested_km2",
        "contested_%",
    ]
    assert "russia_km2_per_day" in header and "area_km2" not in header
    ukraine = [line for line in table.splitlines() if " UA " in line]
    share = km2(HELD[dt.date(2025, 6, 1)]) / 599_098.55 * 100
    assert f"{share:.2f}" in ukraine[0].split()  # to 0.01 percentage points
    records = json.loads(run("history", "--line", str(archive), "--format", "json").stdout)
    assert records[2]["days"] == 1 and records[0]["days"] is None


@pytest.mark.parametrize(
    ("text", "days"), [("30d", 30), ("30", 30), ("4w", 28), ("2 weeks", 14), ("1 day", 1)]
)
def test_windows(text: str, days: int) -> None:
    assert rates.parse_window(text) == days


@pytest.mark.parametrize("text", ["0d", "-3d", "a month", "30x", ""])
def test_a_bad_window_is_one_line(archive: Path, run, text: str) -> None:
    result = run("history", "--line", str(archive), "--rolling", text)
    assert result.exit_code == 1
    assert (
        result.stderr.startswith("territory: error: invalid window") or "--rolling" in result.stderr
    )
    assert result.stderr.count("\n") == 1


def test_the_rate_chart(archive: Path, run, tmp_path: Path) -> None:
    out = tmp_path / "rate.svg"
    result = run("history", "--line", str(archive), "--rolling", "7d", "--rate-chart", str(out))
    assert result.exit_code == 0, result.output
    svg = out.read_text()
    assert "Ground taken by Russia, km² a day" in svg and "Mean over 7 days" in svg
    # One bar an interval, as wide as its days: five intervals among six dates.
    assert svg.count('id="patch_') >= 5
    wrong = run("history", "us-russia-draft", "--line", str(archive), "--rate-chart", str(out))
    assert wrong.exit_code == 1 and "not SCENARIO" in wrong.stderr
