"""The towns timeline: every town that changed hands over a history, on the first date that
shows it, checked against a plain point-in-polygon reference written here."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
import shapely

import territory
from territory import towns
from territory._places import anchors

# Ground held on each date, inside Donetsk oblast away from its coast and borders: taken,
# held still (the same map twice), given back, taken again.
DAYS = {
    dt.date(2025, 6, 2): shapely.box(37.5, 48.25, 38.0, 48.7),
    dt.date(2025, 6, 3): shapely.box(37.5, 48.25, 38.2, 48.7),
    dt.date(2025, 6, 4): shapely.box(37.5, 48.25, 38.2, 48.7),
    dt.date(2025, 6, 9): shapely.box(37.5, 48.25, 37.9, 48.7),
    dt.date(2025, 6, 10): shapely.box(37.5, 48.25, 38.2, 48.75),
}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(held),
        }
        for day, held in DAYS.items()
    ]
    path = tmp_path / "archive.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def reference(days: list[dt.date]) -> set[tuple]:
    """(date, date before, town, before, after) by testing each town's anchor with shapely."""
    every = territory.places(kinds="town")
    points = anchors(every).to_numpy()
    sides = {
        day: ["russia" if DAYS[day].intersects(p) else "ukraine" for p in points] for day in days
    }
    changes = set()
    for before, after in zip(days, days[1:], strict=False):
        for name, a, b in zip(every["name"], sides[before], sides[after], strict=True):
            if a != b:
                changes.add((after, before, name, a, b))
    return changes


def found(table: pd.DataFrame) -> set[tuple]:
    return {
        (r.date, r.date_before, r.name, r.control_before, r.control_after)
        for r in table.itertuples()
    }


def test_every_change_on_the_first_date_that_shows_it(archive: Path) -> None:
    history = territory.read_history(archive)
    table = towns.towns_over_time(history)
    expected = reference(list(DAYS))
    assert found(table) == expected
    twice = table["name"].value_counts()
    assert (twice >= 3).any()  # a town taken, given back and taken again
    assert set(table["change"]) == {"to_russia", "to_ukraine"}
    assert (table["change"] == "to_" + table["control_after"]).all()
    assert table["date"].is_monotonic_increasing


def test_with_every_a_change_falls_on_the_first_kept_date(archive: Path) -> None:
    history = territory.read_history(archive)
    kept = territory.series.pick_dates(history, every="week")
    assert kept == [dt.date(2025, 6, 4), dt.date(2025, 6, 10)]
    table = towns.towns_over_time(history, kept)
    assert found(table) == reference(kept)
    assert set(table["date"]) <= {dt.date(2025, 6, 10)}


def test_the_command_lists_them_with_populations(archive: Path, run) -> None:
    result = run("towns", "--line", str(archive), "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == [
        "date",
        "date_before",
        "name",
        "region",
        "population",
        "control_before",
        "control_after",
        "change",
    ]
    assert len(table) == len(reference(list(DAYS)))
    shown = run("towns", "--line", str(archive)).stdout
    biggest = table.sort_values("population").iloc[-1]
    assert f"{int(biggest['population']):,}" in shown  # thousands separators
    records = json.loads(run("towns", "--line", str(archive), "--format", "json").stdout)
    assert records[0]["date"] == "2025-06-03"


def test_one_date_is_not_a_timeline(archive: Path, run) -> None:
    result = run("towns", "--line", str(archive), "--from", "2025-06-10")
    assert result.exit_code == 1
    assert "fewer than two dates" in result.stderr


def test_a_scenarios_price_over_time_names_its_towns(archive: Path, run, tmp_path: Path) -> None:
    out = tmp_path / "moved.csv"
    result = run("history", "us-russia-draft", "--line", str(archive), "--towns", str(out))
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    assert list(written.columns) == [
        "date",
        "name",
        "region",
        "population",
        "change",
        "demilitarised",
    ]
    assert set(written["date"]) == {d.isoformat() for d in DAYS}
    moved = written[(written["date"] == "2025-06-02") & (written["change"] != "none")]
    section = result.stdout.split("Towns that would change hands")[1].splitlines()
    line = next(row for row in section if row.startswith("2025-06-02  "))
    biggest = moved.sort_values("population").iloc[-1]
    assert f"{biggest['name']} ({biggest['population']:,})" in line  # named, 1,234 separators
    assert line.split()[1] == str(len(moved)) and f"and {len(moved) - 6} more" in line
    for wrong in (["--towns", str(tmp_path / "t.txt")], ["--towns", str(out), "--every", "day"]):
        args = ["history", "--line", str(archive), *wrong]
        if wrong[1].endswith(".txt"):
            args.insert(1, "us-russia-draft")
        failed = run(*args)
        assert failed.exit_code == 1 and "--towns writes" in failed.stderr
