"""Animations of a history: one frame per date kept, read back with Pillow (GIF) and with the
ffmpeg wheel's own probe (MP4)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from PIL import Image

import territory
from territory.formats import ANIMATION_SIZES as SIZES
from territory.render.animation import HOLD_S, animate

imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")


def archive(path: Path, days: list[dt.date]) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(shapely.box(37.6, 47.9, 38.0 + 0.02 * i, 48.3)),
        }
        for i, day in enumerate(days)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


DAYS = [dt.date(2025, 6, 1) + dt.timedelta(days=i) for i in range(6)]


@pytest.fixture
def history_file(tmp_path: Path) -> Path:
    return archive(tmp_path / "archive.geojson", DAYS)


def gif_frames(path: Path) -> tuple[list[np.ndarray], list[int]]:
    image = Image.open(path)
    frames, durations = [], []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB")))
        durations.append(image.info["duration"])
    return frames, durations


def test_a_gif_has_one_frame_a_date(tmp_path: Path, history_file: Path, run) -> None:
    out = tmp_path / "war.gif"
    result = run("render", "--history", str(history_file), "--every", "day", "-o", str(out))
    assert result.exit_code == 0, result.output
    frames, durations = gif_frames(out)
    assert len(frames) == len(DAYS)
    assert Image.open(out).size == SIZES["square"]
    assert durations == [500] * (len(DAYS) - 1) + [500 + round(HOLD_S * 1000)]
    assert all(not np.array_equal(a, b) for a, b in zip(frames, frames[1:], strict=False))


def test_with_every_a_frame_a_week(tmp_path: Path, history_file: Path, run) -> None:
    out = tmp_path / "war.gif"
    run("render", "--history", str(history_file), "-o", str(out), "--size", "portrait")
    image = Image.open(out)
    kept = territory.series.pick_dates(territory.read_history(history_file), every="week")
    assert image.n_frames == len(kept) == 2
    assert image.size == SIZES["portrait"]


def test_an_mp4_lasts_the_dates_kept(tmp_path: Path, history_file: Path, run) -> None:
    out = tmp_path / "war.mp4"
    args = ["render", "--history", str(history_file), "us-russia-draft", "--every", "day"]
    result = run(*args, "--fps", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == len(DAYS) + round(HOLD_S * 3)
    assert seconds == pytest.approx(len(DAYS) / 3 + HOLD_S, abs=0.05)


def test_a_size_in_inches_at_a_resolution(tmp_path: Path, history_file: Path, run) -> None:
    out = tmp_path / "small.gif"
    run("render", "--history", str(history_file), "-o", str(out), "--size", "4x3", "--dpi", "100")
    assert Image.open(out).size == (400, 300)


def test_two_years_monthly_stay_small(tmp_path: Path) -> None:
    months = [dt.date(2024, 7, 31) + dt.timedelta(days=30 * i) for i in range(24)]
    history = territory.read_history(archive(tmp_path / "months.geojson", months))
    for suffix in (".gif", ".mp4"):
        out = animate(history, tmp_path / f"two-years{suffix}")
        assert out.stat().st_size <= 8 * 2**20


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["-o", "x.gif"], "an animation is of a history"),
        (["--history", "A", "freeze", "putin-demands", "-o", "x.gif"], "one scenario"),
        (["--history", "A", "-o", "x.gif", "--size", "huge"], "--size 'huge'"),
    ],
)
def test_mistakes_are_one_line(
    tmp_path: Path, history_file: Path, run, args: list[str], problem: str
) -> None:
    args = [
        str(history_file) if a == "A" else str(tmp_path / a) if a == "x.gif" else a for a in args
    ]
    result = run("render", *args)
    assert result.exit_code == 1 and problem in result.stderr
    assert result.stderr.count("\n") == 1 and not (tmp_path / "x.gif").exists()


def test_mp4_without_the_ffmpeg_wheel_says_how_to_get_it(
    tmp_path: Path, history_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as if not installed
    history = territory.read_history(history_file)
    with pytest.raises(territory.TerritoryError, match=r"pip install 'territory\[video\]'"):
        animate(history, tmp_path / "war.mp4")
    assert list(tmp_path.glob("*.mp4")) == []


def test_an_animation_in_ukrainian(tmp_path: Path, history_file: Path, run) -> None:
    from territory.render import animation

    history = territory.read_history(history_file)
    day = history.dates[-1:]
    shown = territory.scenario("status-quo")
    english = animation._frames(history, day, shown, (540, 540), None, None, None, "en")
    ukrainian = animation._frames(history, day, shown, (540, 540), None, None, None, "uk")
    assert not np.array_equal(english[0], ukrainian[0])  # the words differ, the map does not
    out = tmp_path / "uk.gif"
    result = run(
        "render", "--history", str(history_file), "--lang", "uk", "--every", "day", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert Image.open(out).n_frames == len(history.dates)
    with pytest.raises(ValueError, match="unknown language"):
        animate(history, tmp_path / "x.gif", lang="de")
