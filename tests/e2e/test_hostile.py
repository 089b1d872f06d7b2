"""Hostile input through the command line: every input ends in one line and a non-zero exit,
within bounded time and memory.

Each class of input here once ended in a traceback, a hang or gigabytes: out-of-range map
ids and dates, points that are not points, limits set to nonsense, Ctrl-C, special files,
and scenario files that cost minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import territory
from territory._scenarios import ScenarioError, load_scenarios
from territory.errors import InputFileError

from ..synthetic import collection, many_scenarios, occupied


def one_line_error(result: Any, exit_code: int = 1) -> str:
    """The stderr of a command that failed as it should: one line, our prefix, the code."""
    assert result.exit_code == exit_code, result.output
    assert result.stderr.startswith("territory: error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return str(result.stderr)


@pytest.fixture
def cli() -> Callable[..., Any]:
    """The command line in-process, with standard error apart and exceptions caught (a
    traceback would show up as an exception, not as output)."""
    from click.testing import CliRunner

    from territory.cli import main

    runner = CliRunner()

    def invoke(*args: str) -> Any:
        result = runner.invoke(main, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


# --- 1. stamps and dates --------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["1e30", "Infinity", "-Infinity", str(10**18), "-5"])
def test_an_out_of_range_map_id_is_one_line(tmp_path: Path, cli: Any, stamp: str) -> None:
    path = tmp_path / "raw.json"
    path.write_text(f'{{"id": {stamp}, "map": {json.dumps(collection([occupied()]))}}}')
    with pytest.raises(InputFileError, match="not a unix time between 1991 and 2100"):
        territory.read_snapshot(path)
    assert "raw.json" in one_line_error(cli("validate", str(path)))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2025-02-30", "day is out of range for month"),
        ("1900-01-01", "not a date between 1991 and 2100"),
        ("2025-13-01", "month must be in 1..12"),
    ],
)
def test_an_impossible_date_names_the_feature(
    tmp_path: Path, cli: Any, value: str, problem: str
) -> None:
    path = tmp_path / "archive.geojson"
    days = collection([occupied(date="2025-02-28"), occupied(date=value)])
    path.write_text(json.dumps(days))
    with pytest.raises(InputFileError, match=f"feature 2: date '{value}' is not a date"):
        territory.read_history(path)
    assert problem in one_line_error(cli("validate", str(path)))


# --- 2. points that are not points ----------------------------------------------------------------


def scenario_file(tmp_path: Path, *rules: str, scenario_id: str = "plan", **fields: str) -> Path:
    head = {"title": "A plan", "summary": "What it does.", **fields}
    lines = ["[[scenario]]", f'id = "{scenario_id}"']
    lines += [f"{key} = {json.dumps(value)}" for key, value in head.items()]
    for rule in rules:
        lines += ["[[scenario.rule]]", rule]
    path = tmp_path / "plan.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("point", ["[nan, 48.0]", "[inf, 48.0]", "[500.0, 95.0]", "[37.5, -91]"])
def test_an_around_point_off_the_globe_is_one_line(tmp_path: Path, cli: Any, point: str) -> None:
    path = scenario_file(
        tmp_path,
        f'regions = "Donetsk"\ncontrol = "russia"\narea = {{ around = {point}, radius_km = 50 }}',
    )
    with pytest.raises(ScenarioError, match="is not a point: expected \\[lon, lat\\]"):
        load_scenarios(path)
    one_line_error(cli("validate", str(path)))
    one_line_error(cli("stats", "plan", "--scenarios", str(path)))


def test_an_around_point_outside_its_region_is_named_in_the_rule_language(
    tmp_path: Path, cli: Any
) -> None:
    path = scenario_file(
        tmp_path,
        'regions = "Donetsk"\ncontrol = "russia"\narea = { around = [24.0, 49.8], radius_km = 5 }',
    )
    message = one_line_error(cli("stats", "plan", "--scenarios", str(path)))
    assert "around [24.0, 49.8] (5 km) lies outside UA-14" in message
    assert "SubArea(" not in message


# --- 3. limits from the environment ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e400", "-1", "0", "ten"])
@pytest.mark.parametrize("variable", ["TERRITORY_MAX_INPUT_MB", "TERRITORY_MAX_POLYGONS"])
def test_a_limit_set_to_nonsense_is_one_line(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    path = tmp_path / "front.geojson"
    path.write_text(json.dumps(collection([occupied()])))
    monkeypatch.setenv(variable, value)
    message = one_line_error(cli("validate", str(path)))
    assert f"{variable}=" in message and "expected a positive finite number" in message


# --- 4. Ctrl-C ------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", ["map.html", "map.png", "zones.geojson"])
def test_ctrl_c_is_one_line_exit_130_and_no_file(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        """Write half the file (wherever the writer was told to), then take a Ctrl-C."""
        where = next(a for a in args if isinstance(a, str | Path) or hasattr(a, "write"))
        if hasattr(where, "write"):
            where.write(b"half")
        else:
            Path(where).open("w").close()
        raise KeyboardInterrupt

    writer = {
        ".html": "pathlib.Path.write_text",
        ".png": "matplotlib.backends.backend_agg.FigureCanvasAgg.print_png",
        ".geojson": "geopandas.GeoDataFrame.to_file",
    }
    monkeypatch.setattr(writer[Path(output).suffix], interrupted)
    command = "export" if output.endswith(".geojson") else "render"
    result = cli(command, "freeze", "-o", str(tmp_path / output))
    assert result.exit_code == 130
    assert result.stderr == "territory: interrupted\n"
    assert list(tmp_path.iterdir()) == []


# --- 5. special files -----------------------------------------------------------------------------


def _fifo(folder: Path, name: str = "front.geojson") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def _territory(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The command in a process of its own: a hang fails the test instead of stopping it."""
    return subprocess.run(
        [sys.executable, "-m", "territory.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_scenarios_from_a_device_are_refused(run) -> None:
    result = run("scenarios", "--scenarios", "/dev/zero")
    assert result.exit_code == 1
    assert result.stderr == "territory: error: /dev/zero: not a regular file (a character device)\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", ["the file", "a link to it", "a rule's line", "a rule's area file", "scenarios"]
)
def test_a_fifo_is_refused_before_it_is_opened(tmp_path: Path, case: str) -> None:
    fifo = _fifo(tmp_path)
    if case == "the file":
        args = ["validate", fifo.name]
    elif case == "a link to it":
        (tmp_path / "link.geojson").symlink_to(fifo)
        args = ["validate", "link.geojson"]
    elif case == "scenarios":
        os.mkfifo(tmp_path / "plan.toml")
        args = ["stats", "--scenarios", "plan.toml"]
    else:
        rule = (
            'regions = "Donetsk"\ncontrol = "line"\nline = "front.geojson"'
            if case == "a rule's line"
            else 'regions = "Donetsk"\ncontrol = "russia"\narea = { file = "front.geojson" }'
        )
        scenario_file(tmp_path, rule)
        args = ["stats", "plan", "--scenarios", "plan.toml"]
    done = _territory(*args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "not a regular file (a FIFO)" in done.stderr


# --- 6. scenario files that cost minutes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "variable"),
    [
        (lambda tmp: many_scenarios(tmp, 9_813), "TERRITORY_MAX_SCENARIOS"),
        (
            lambda tmp: scenario_file(
                tmp, *(f'regions = "UA-14"\ncontrol = "keep"\nlabel = "r{i}"' for i in range(101))
            ),
            "TERRITORY_MAX_RULES",
        ),
        (
            lambda tmp: scenario_file(
                tmp,
                *(
                    'regions = "Donetsk"\ncontrol = "russia"\n'
                    f"area = {{ around = [37.{i:02d}, 48.0], radius_km = 5 }}"
                    for i in range(5_000)
                ),
            ),
            "TERRITORY_MAX_RULES",
        ),
        (
            lambda tmp: scenario_file(
                tmp,
                *(
                    'regions = "Donetsk"\ncontrol = "russia"\n'
                    f"area = {{ around = [37.{i:02d}, 48.0], radius_km = 5 }}"
                    for i in range(21)
                ),
            ),
            "TERRITORY_MAX_SUB_AREAS",
        ),
        (
            lambda tmp: scenario_file(tmp, 'regions = "*"\ncontrol = "keep"', title="T" * 900_000),
            "TERRITORY_MAX_TITLE_CHARS",
        ),
        (
            lambda tmp: scenario_file(tmp, 'regions = "*"\ncontrol = "keep"', summary="s" * 4001),
            "TERRITORY_MAX_TEXT_CHARS",
        ),
    ],
    ids=["scenarios", "rules", "5000 circles", "sub-areas", "title", "summary"],
)
def test_a_scenario_file_past_a_bound_is_refused_before_the_work(
    tmp_path: Path, cli: Any, build: Callable[[Path], Path], variable: str
) -> None:
    path = build(tmp_path)
    started = time.monotonic()
    message = one_line_error(cli("validate", str(path)))
    assert f"(raise it with {variable})" in message
    assert time.monotonic() - started < 10


def test_a_figure_clips_a_title_of_any_length(tmp_path: Path, cli: Any) -> None:
    title = "A very long title " * 50_000  # 900 KB
    out = tmp_path / "long.svg"
    started = time.monotonic()
    result = cli("render", "freeze", "--title", title, "--subtitle", title, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30
    svg = out.read_text()
    assert len(svg) < 2_000_000 and "…" in svg


# --- 7. errors over several lines -----------------------------------------------------------------


def test_an_empty_polygon_gives_no_library_warning(tmp_path: Path, cli: Any) -> None:
    empty = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": []},
    }
    path = tmp_path / "front.geojson"
    path.write_text(json.dumps(collection([empty, occupied()])))
    result = cli("stats", "--line", str(path), "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_a_url_with_a_line_break_is_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRITORY_DEEPSTATE_URL", "http://127.0.0.1:9/api\r\nX-Evil: 1")
    message = one_line_error(cli("fetch", "deepstate:latest"))
    assert "TERRITORY_DEEPSTATE_URL" in message


def test_an_output_name_with_a_line_break_is_one_line(tmp_path: Path, cli: Any) -> None:
    message = one_line_error(cli("export", "freeze", "-o", str(tmp_path / "new\nline.txt")))
    assert "new\\nline.txt" in message


@pytest.mark.parametrize("option", ["-o", "--towns"])
def test_a_folder_as_output_is_one_line_exit_1(tmp_path: Path, cli: Any, option: str) -> None:
    folder = tmp_path / ("pair.html" if option == "-o" else "towns.csv")
    folder.mkdir()
    args = ["compare", "status-quo", "freeze", option, str(folder)]
    assert "is a directory" in one_line_error(cli(*args))


def test_a_mistyped_command_line_is_one_line_exit_2(cli: Any) -> None:
    for args in (["stats", "--bogus"], ["--bogus"], ["nope"], ["export", "freeze"]):
        one_line_error(cli(*args), exit_code=2)


# --- 8. small ones --------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [245, 250, 255])
def test_an_output_name_of_up_to_255_bytes_is_written(
    tmp_path: Path, cli: Any, length: int
) -> None:
    out = tmp_path / ("m" * (length - 5) + ".html")
    result = cli("render", "freeze", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0 and [p.name for p in tmp_path.iterdir()] == [out.name]
