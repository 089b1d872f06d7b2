"""Progress of long work: told date by date to whoever asked, drawn as a bar on standard error
when it is a terminal, and never with --quiet or when standard error is a pipe."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import shapely

from territory import importers, series


def archive(path: Path, days: int, *, repeat_every: int = 0) -> Path:
    """A daily archive in the community archive's shape: the front moves east a little each
    day; every ``repeat_every``-th date repeats the date before (as real archives do)."""
    features = []
    east = 38.0
    for i in range(days):
        if not (repeat_every and i and i % repeat_every == 0):
            east += 0.004
        day = dt.date(2025, 6, 1) + dt.timedelta(days=i)
        geometry = shapely.box(37.6, 47.9, east, 48.3)
        features.append(
            {  # the keys in the community archive's order
                "id": str(i),
                "type": "Feature",
                "properties": {"date": day.isoformat()},
                "geometry": shapely.geometry.mapping(geometry),
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.parametrize("days", [5, 40])  # one process, then workers
def test_shares_over_time_tells_of_every_date(tmp_path: Path, days: int) -> None:
    history = importers.read_history(archive(tmp_path / "a.geojson", days))
    told: list[int] = []
    series.shares_over_time(history, progress=told.append)
    assert sum(told) == days


def test_price_over_time_tells_of_every_date_repeated_ones_too(tmp_path: Path) -> None:
    history = importers.read_history(archive(tmp_path / "a.geojson", 20, repeat_every=3))
    told: list[int] = []
    series.price_over_time(history, "us-russia-draft", progress=told.append)
    assert sum(told) == 20


def on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run the command with standard error on a pseudo-terminal; its exit and what it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "territory.cli", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    drawn = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the command ended: the terminal is gone
                return
            if not chunk:
                return
            drawn.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code = process.wait(timeout=300)
    reader.join(timeout=10)
    os.close(leader)
    return code, drawn.decode("utf-8", "replace")


#: What each bar shows when done: its name, and all its steps (12 dates, or the reading's).
DATES, READING = ("territory: dates", "12/12"), ("territory: reading", "100/100")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "bar", "shown"),
    [
        (["history", "--line", "a.geojson"], DATES, True),
        (["history", "--line", "a.geojson", "--quiet"], DATES, False),
        (["--quiet", "history", "--line", "a.geojson"], DATES, False),
        (["history", "us-russia-draft", "--line", "a.geojson"], DATES, True),
        (["render", "--history", "a.geojson", "--every", "day", "-o", "s.html"], DATES, True),
        (
            ["render", "--history", "a.geojson", "--every", "day", "-o", "s.html", "-q"],
            DATES,
            False,
        ),
        (["validate", "a.geojson"], READING, True),
        (["snapshots", "--line", "a.geojson"], READING, True),
        (["history", "--line", "a.geojson"], READING, True),
        (["stats", "--line", "a.geojson", "--date", "2025-06-05"], READING, True),
        (["validate", "a.geojson", "-q"], READING, False),
        (["stats"], READING, False),  # a shipped line: nothing to read
    ],
    ids=[
        "dates: history",
        "dates: quiet",
        "dates: quiet first",
        "dates: price",
        "dates: slider",
        "dates: slider quiet",
        "reading: validate",
        "reading: snapshots",
        "reading: history",
        "reading: stats",
        "reading: quiet",
        "reading: shipped",
    ],
)
def test_a_terminal_shows_a_bar(
    tmp_path: Path, args: list[str], bar: tuple[str, str], shown: bool
) -> None:
    archive(tmp_path / "a.geojson", 12)
    code, drawn = on_a_terminal(*args, cwd=tmp_path)
    assert code == 0, drawn
    assert all(text in drawn for text in bar) is shown, drawn


def test_a_pipe_shows_no_bar(tmp_path: Path, run) -> None:
    path = archive(tmp_path / "a.geojson", 12)
    result = run("history", "--line", str(path), "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == "territory: 12 date(s), 2025-06-01 to 2025-06-12\n"


def test_reading_an_archive_tells_of_every_step(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.geojson", 40)
    for pick in (None, lambda held: held[-3:]):  # all of it, and the dates asked for
        told: list[int] = []
        importers.read_history(path, pick=pick, progress=told.append)
        assert sum(told) == importers.READ_STEPS and len(told) > 2 and min(told) >= 0


@pytest.mark.slow
def test_a_terminal_shows_a_figure_drawn(tmp_path: Path) -> None:
    code, drawn = on_a_terminal("render", "us-russia-draft", "-o", "f.png", cwd=tmp_path)
    assert code == 0, drawn
    assert "territory: drawing" in drawn and "3/3" in drawn, drawn
    code, drawn = on_a_terminal("render", "freeze", "status-quo", "-o", "m.svg", cwd=tmp_path)
    assert code == 0, drawn
    assert "territory: drawing" in drawn and "5/5" in drawn, drawn  # 2 resolved, 2 drawn, saved
