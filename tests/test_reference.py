"""territory.reference: what a front-line reference names, decided once for every caller."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import territory
from territory.reference import LineRef

RING = [[37.8, 47.8], [38.2, 47.8], [38.2, 48.2], [37.8, 48.2], [37.8, 47.8]]


def write_map(path: Path) -> Path:
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [RING]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        (None, "shipped", "2025-08-08"),
        ("current", "shipped", "2025-08-08"),
        ("LATEST", "shipped", "2025-08-08"),
        ("2022-02-23", "shipped", "2022-02-23"),
        ("deepstate:latest", "source", "deepstate:latest"),
        ("archive:2025-08-08", "source", "archive:2025-08-08"),
        ("archive", "source", "archive"),
        ("front.geojson", "file", "front.geojson"),
        ("maps/2025-08-08.json.gz", "file", "maps/2025-08-08.json.gz"),
    ],
)
def test_each_kind_of_reference_is_recognised(text, kind: str, name: str) -> None:
    line = LineRef.parse(text)
    assert (line.kind, line.name, line.date) == (kind, name, None)


def test_a_path_is_always_a_file_even_without_a_suffix(tmp_path: Path) -> None:
    assert LineRef.parse(Path("2022-02-23")).kind == "file"
    bare = write_map(tmp_path / "frontline")
    assert LineRef.parse(str(bare)).kind == "file"


def test_text_that_names_nothing_lists_the_shipped_dates() -> None:
    with pytest.raises(territory.UnknownNameError, match="'2022-02-23', '2025-08-08'"):
        LineRef.parse("2023-01-01")
    with pytest.raises(territory.UnknownNameError, match="unknown snapshot 'frontline'"):
        LineRef.parse("frontline")


def test_a_date_goes_with_a_file_or_a_source_not_a_shipped_line() -> None:
    assert LineRef.parse("archive", date="2025-08-08").date == dt.date(2025, 8, 8)
    assert LineRef.parse("front.geojson").on(dt.date(2024, 7, 8)).date == dt.date(2024, 7, 8)
    assert LineRef.parse(None, date="2022-02-23") == LineRef("shipped", "2022-02-23")
    assert LineRef.parse("2022-02-23", date="2022-02-23").date is None
    with pytest.raises(territory.TerritoryError, match="shipped line 2025-08-08 has one date"):
        LineRef.parse("latest", date="2024-01-01")
    with pytest.raises(territory.TerritoryError, match="expected YYYY-MM-DD"):
        LineRef.parse("archive", date="8 August")


def test_a_relative_file_is_taken_from_the_base_folder(tmp_path: Path) -> None:
    write_map(tmp_path / "front.geojson")
    line = LineRef.parse("front.geojson", base=tmp_path)
    assert line.path == (tmp_path / "front.geojson").resolve()
    bare = write_map(tmp_path / "line-without-suffix")
    assert LineRef.parse(bare.name, base=tmp_path).path == bare.resolve()


def test_readable_takes_files_and_sources_only() -> None:
    assert LineRef.readable("2025-08-08") == LineRef("file", "2025-08-08")
    assert LineRef.readable("archive").kind == "source"
    with pytest.raises(territory.TerritoryError, match="not a file to read"):
        LineRef.readable(LineRef.parse("2022-02-23"))


def test_every_reader_takes_the_parsed_reference(tmp_path: Path) -> None:
    path = write_map(tmp_path / "front_2025-08-08.geojson")
    line = LineRef.parse(str(path))
    assert territory.snapshot(line).date == dt.date(2025, 8, 8)
    assert territory.read_snapshot(line).name == path.name
    assert territory.read_history(line).dates == [dt.date(2025, 8, 8)]
    assert territory.snapshot(LineRef.parse("2022-02-23")).name == "2022-02-23"


def test_a_scenario_file_names_its_line_as_the_command_line_does(tmp_path: Path) -> None:
    path = write_map(tmp_path / "front_2025-08-08.geojson")
    toml = tmp_path / "plan.toml"
    rules = [
        'regions = "Donetsk"\ncontrol = "line"\nline = "front_2025-08-08.geojson"',
        'regions = "Luhansk"\ncontrol = "line"\nline = "Latest"',
    ]
    toml.write_text(
        '[[scenario]]\nid = "plan"\ntitle = "A plan"\nsummary = "What it does."\n'
        + "".join(f"[[scenario.rule]]\n{rule}\n" for rule in rules)
    )
    plan = territory.load_scenarios(toml)[0]
    assert [rule.line for rule in plan.rules] == [
        LineRef("file", str(path.resolve())),
        LineRef("shipped", "2025-08-08"),
    ]
    toml.write_text(toml.read_text().replace('"Latest"', '"2023-01-01"'))
    with pytest.raises(territory.ScenarioError, match=r"line.*unknown snapshot '2023-01-01'"):
        territory.load_scenarios(toml)
