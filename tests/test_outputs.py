"""Outputs: regular files only, ``-`` for standard output, one line naming the user's path on
failure, and nothing half-written left behind (not even after SIGTERM)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from territory._resolve import resolve
from territory._stats import snapshot_of
from territory.export import OutputError, atomic_path, export_zones


def test_a_fifo_is_refused_and_left_alone(run, tmp_path: Path) -> None:
    fifo = tmp_path / "zones.geojson"
    os.mkfifo(fifo)
    result = run("export", "freeze", "-o", str(fifo))
    assert result.exit_code == 1
    assert result.stderr == f"territory: error: {fifo}: not a regular file; give a file name\n"
    assert fifo.is_fifo()


def test_a_device_is_refused() -> None:
    with pytest.raises(OutputError, match="/dev/null: not a regular file"):
        export_zones(resolve("freeze"), Path("/dev/null"))


def test_dash_writes_geojson_to_standard_output(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export", "us-russia-draft", "-o", "-")
    assert result.exit_code == 0
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection" and collection["features"]
    assert not (tmp_path / "-").exists()


def test_dash_writes_the_page_to_standard_output(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("render", "freeze", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["draft.docx", "pair.csv", "draft"])
def test_render_refuses_what_it_cannot_write(run, tmp_path: Path, name: str) -> None:
    result = run("render", "freeze", "-o", str(tmp_path / name))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "render writes .html (or - for standard output), a figure as .png, .svg, .pdf" in (
        result.stderr
    )
    assert "or an animation as .gif, .mp4" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _limited_export(tmp_path: Path, suffix: str) -> subprocess.CompletedProcess:
    """``territory export`` with a 64 KB file-size limit: the write fails part way."""
    target = tmp_path / f"zones{suffix}"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    command = [
        sys.executable,
        "-m",
        "territory.cli",
        "export",
        "us-russia-draft",
        "-o",
        str(target),
    ]
    return subprocess.run(
        command, capture_output=True, text=True, preexec_fn=limit, cwd=tmp_path, check=False
    )


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_failing_write_is_one_line_and_leaves_nothing(tmp_path: Path, suffix: str) -> None:
    done = _limited_export(tmp_path, suffix)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"territory: error: {tmp_path}/zones{suffix}: ")
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path: Path) -> None:
    script = f"""
import os, signal, sys
from territory.cli import exit_on_signal
from territory.export import atomic_path
signal.signal(signal.SIGTERM, exit_on_signal)
with atomic_path({str(tmp_path / "out.html")!r}) as tmp:
    tmp.write_text("half")
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


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


def test_text_from_users_reaches_the_terminal_escaped(run, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "evil"\n'
        'title = "Clear \\u001b[2J screen \\u009b31m \\u202e"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
    )
    for fmt in ("table", "csv", "json"):
        result = run("scenarios", "--scenarios", str(plan), "--format", fmt)
        assert result.exit_code == 0
        assert not any(c in result.stdout for c in "\x1b\x9b\u202e"), fmt
        assert "\\u001b[2J" in result.stdout
    records = json.loads(run("scenarios", "--scenarios", str(plan), "--format", "json").stdout)
    assert records[-1]["title"] == "Clear \x1b[2J screen \x9b31m \u202e"


def test_a_user_scenario_cannot_take_a_shipped_id(run, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "freeze"\ntitle = "t"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
    )
    result = run("scenarios", "--scenarios", str(plan))
    assert result.exit_code == 1
    assert "scenario id 'freeze' is already used by" in result.stderr


def test_a_dollar_in_a_png_title_is_text(tmp_path: Path) -> None:
    from territory.render import static_png

    # Parsed as mathematics, this title would not even draw (frac needs two arguments).
    title = r"Pay $5 now and $\frac{1}$ later"
    out = static_png(resolve("freeze"), tmp_path / "f.png", title=title)
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_zones_read_back_give_the_same_stats_and_diff(tmp_path: Path, suffix: str) -> None:
    import geopandas as gpd
    import pandas as pd

    import territory

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


def test_several_scenarios_make_a_small_multiples_figure(run, tmp_path: Path) -> None:
    import pypdf

    from territory import scenarios

    svg = tmp_path / "all.svg"
    assert run("render", "-o", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith(("<?xml", "<svg"))
    for scen in scenarios():  # one panel each, headed by its title (text stays text)
        first_words = " ".join(scen.title.split()[:3])
        assert first_words in text, scen.id
    assert "Settlement scenarios on the line of 8 August 2025" in text
    pdf = tmp_path / "pair.pdf"
    result = run(
        "render", "us-russia-draft", "28-point-plan", "--title", "Two plans", "-o", str(pdf)
    )
    assert result.exit_code == 0
    assert pdf.read_bytes()[:4] == b"%PDF"
    words = pypdf.PdfReader(str(pdf)).pages[0].extract_text()
    assert "Two plans" in words and "US 28-point plan" in words


def test_a_print_figure_names_regions_and_towns_that_change_hands(tmp_path: Path) -> None:
    from territory.render import static_figure

    text = static_figure(resolve("us-russia-draft"), tmp_path / "draft.svg").read_text()
    assert "DONETSK" in text and "KHARKIV" in text  # regions where anything is held or moves
    assert "Kramatorsk" in text  # the largest towns that change hands
    quiet = static_figure(resolve("freeze"), tmp_path / "freeze.svg").read_text()
    assert "Kramatorsk" not in quiet  # nothing moves: no town named


@pytest.mark.parametrize(
    "args",
    [
        ["render", "freeze", "-o", "{out}.svg"],
        ["render", "-o", "{out}.html"],
        ["compare", "status-quo", "freeze", "-o", "{out}.html"],
    ],
    ids=["figure", "page", "pair"],
)
def test_a_credit_given_is_the_lines_credit(run, tmp_path: Path, args: list[str]) -> None:
    args = [a.format(out=tmp_path / "made") for a in args]
    result = run(*args, "--credit", "ISW and CTP,\nassessed control")
    assert result.exit_code == 0, result.output
    written = next(tmp_path.glob("made.*")).read_text()
    assert "Line: ISW and CTP, assessed control." in written.replace("&#x27;", "'")
