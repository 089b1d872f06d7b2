"""Fetching front lines: against a local HTTP server on 127.0.0.1 that the tests start.

The server answers at DeepState's API paths and the archive's paths with synthetic files in
their real shapes; no test reaches any other host.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import shapely

import territory
from territory import area_km2, ukraine
from territory.fetch import FetchError, fetch

# What the local server of conftest.py answers (its `local_sources` fixture).
HELD = shapely.box(37.6, 47.9, 38.2, 48.3)
GREY = shapely.box(37.3, 47.9, 37.6, 48.2)
TOLERANCE = 1e-3


@pytest.fixture
def server(local_sources: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The local server of conftest.py, with no retries (each would sleep a second)."""
    monkeypatch.setattr("territory.fetch._RETRIES", 0)
    return local_sources


def clipped_km2(geometry: shapely.Geometry) -> float:
    return area_km2(shapely.intersection(geometry, ukraine()))


def test_latest_is_downloaded_read_and_credited(server: Any) -> None:
    snap = territory.snapshot("deepstate:latest")
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.russia) == pytest.approx(clipped_km2(HELD), rel=TOLERANCE)
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)
    assert snap.credit == "DeepStateMap (deepstatemap.live), map of 2025-08-08"
    assert server.requests == ["/api/history/last"]


def test_second_run_works_from_the_cache_with_the_server_stopped(server: Any) -> None:
    first = fetch("deepstate:2025-08-04")
    server.stop()
    with pytest.warns(UserWarning, match="using the copy cached on"):
        again = fetch("deepstate:2025-08-04")  # the list cannot be refreshed: the cached one
    assert again.path == first.path and again.date == dt.date(2025, 8, 4)
    assert fetch("deepstate:2025-08-04", offline=True).path == first.path
    snap = territory.read_snapshot(again.path)
    assert area_km2(snap.russia) == pytest.approx(
        clipped_km2(shapely.box(37.6, 47.9, 37.9, 48.3)), rel=TOLERANCE
    )


def test_latest_falls_back_to_the_cache_with_a_warning(server: Any) -> None:
    fetch("deepstate:latest")
    server.stop()
    with pytest.warns(UserWarning, match="download failed.*using the copy cached on"):
        assert fetch("deepstate:latest").date == dt.date(2025, 8, 8)


def test_offline_without_a_cache_is_one_line(server: Any) -> None:
    with pytest.raises(FetchError, match="offline, and no DeepState map is cached") as raised:
        fetch("deepstate:latest", offline=True)
    assert "\n" not in str(raised.value)
    with pytest.raises(FetchError, match="offline, and deepstate-map-data.geojson.gz is not"):
        fetch("archive", offline=True)
    assert server.requests == []


def test_the_offline_variable_is_honoured(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRITORY_OFFLINE", "1")
    with pytest.raises(FetchError, match="offline"):
        fetch("archive:2025-08-07")
    assert server.requests == []


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ((500, b"oops", None), "answered HTTP 500"),
        ((200, b'{"type": "FeatureCollection", "features": [', 10_000), "download failed"),
        ((200, b"<html>Cloudflare says hello</html>", None), "the answer is not JSON"),
    ],
    ids=["http 500", "truncated body", "not json"],
)
def test_a_bad_answer_is_one_line_and_leaves_no_cache_file(
    server: Any, tmp_path: Path, answer: tuple[int, bytes, int | None], problem: str
) -> None:
    path = "/archive/data/deepstatemap_data_20250807.geojson"
    server.answers[path] = answer
    with pytest.raises(FetchError, match=problem) as raised:
        fetch("archive:2025-08-07")
    assert "\n" not in str(raised.value)
    cached = list((tmp_path / "cache").rglob("*"))
    assert not [p for p in cached if p.is_file() and p.name != "sha256.json"]


def test_a_failed_request_is_retried(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("territory.fetch._RETRIES", 1)
    server.fail_first.add("/archive/data/deepstatemap_data_20250807.geojson")
    fetched = fetch("archive:2025-08-07")
    assert fetched.path.is_file()
    assert server.requests.count("/archive/data/deepstatemap_data_20250807.geojson") == 2


def test_a_cached_file_that_changed_is_downloaded_again(server: Any) -> None:
    fetched = fetch("archive:2025-08-07")
    fetched.path.write_text('{"type": "FeatureCollection", "features": []}')  # tampered
    again = fetch("archive:2025-08-07")
    assert json.loads(again.path.read_text())["features"]
    assert server.requests.count("/archive/data/deepstatemap_data_20250807.geojson") == 2


def test_a_day_with_no_map_names_the_nearest(server: Any) -> None:
    with pytest.raises(FetchError, match=r"no map on 2025-08-06; nearest: 2025-08-04, 2025-08-08"):
        fetch("deepstate:2025-08-06")


def test_the_archive_is_a_history(server: Any) -> None:
    history = territory.read_history("archive")
    assert history.dates == [dt.date(2025, 8, 6), dt.date(2025, 8, 7), dt.date(2025, 8, 8)]
    snap = history.snapshot()
    assert (
        snap.credit.startswith("DeepStateMap (deepstatemap.live)") and "2025-08-08" in snap.credit
    )


def test_unknown_source_is_one_line() -> None:
    with pytest.raises(FetchError, match="unknown source 'deepstate:yesterday'"):
        fetch("deepstate:yesterday")
    with pytest.raises(FetchError, match="invalid date '2025-13-01'"):
        fetch("archive:2025-13-01")


# --- the command line -----------------------------------------------------------------------


def test_cli_fetch_then_stats_offline(server: Any, run) -> None:
    fetched = run("fetch", "archive")
    assert fetched.exit_code == 0
    assert "3 dates, 2025-08-06 to 2025-08-08" in fetched.output
    assert "DeepStateMap" in fetched.output
    server.stop()
    stats = run("stats", "status-quo", "--line", "archive", "--offline", "--format", "json")
    assert stats.exit_code == 0, stats.output
    assert "using the newest, 2025-08-08" in stats.stderr


def test_cli_offline_without_cache_is_one_line(server: Any, run) -> None:
    result = run("stats", "--line", "deepstate:latest", "--offline")
    assert result.exit_code == 1
    assert result.stderr.startswith("territory: error: offline, and no DeepState map is cached")
    assert result.stderr.count("\n") == 1


def test_maps_and_figures_credit_the_source(server: Any, run, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert run("render", "status-quo", "--line", "deepstate:latest", "-o", str(page)).exit_code == 0
    assert "Front line: DeepStateMap (deepstatemap.live), map of 2025-08-08" in page.read_text()
    figure = tmp_path / "map.png"
    assert (
        run("render", "status-quo", "--line", "deepstate:latest", "-o", str(figure)).exit_code == 0
    )
    assert figure.stat().st_size > 10_000


def test_cli_lists_and_validates_a_source(server: Any, run) -> None:
    listed = run("snapshots", "--line", "archive", "--format", "csv")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[1:] == [
        "2025-08-06,1,False",
        "2025-08-07,1,False",
        "2025-08-08,1,True",
    ]
    checked = run("validate", "deepstate:latest")
    assert checked.exit_code == 0
    assert checked.stdout.startswith("deepstate:latest: ok, front line (2025-08-08)")


def test_the_whole_archive_is_fetched_again_once_it_is_old(server: Any) -> None:
    import os
    import time

    first = fetch("archive")
    fetch("archive")  # recent: from the cache
    assert server.requests.count("/archive/deepstate-map-data.geojson.gz") == 1
    old = time.time() - 7 * 3600
    os.utime(first.path, (old, old))
    fetch("archive")
    assert server.requests.count("/archive/deepstate-map-data.geojson.gz") == 2
