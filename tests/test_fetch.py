"""Fetching front lines: against a local HTTP server on 127.0.0.1 that the tests start.

The server answers at DeepState's API paths and the archive's paths with synthetic files in
their real shapes; no test reaches any other host. Hostile servers (bad ids, answers that are
not JSON, trickles, stalls, floods) end in one line within the deadline, with nothing cached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import shapely

import territory
from territory import area_km2, ukraine
from territory.fetch import FetchError, fetch

from .conftest import point_sources_at
from .synthetic import collection, occupied

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


# --- hostile servers: a bad answer spoils nothing, a slow or endless one is cut off ---------

LAST_ID = 1754682420  # 2025-08-08, evening in Kyiv


class Hostile:
    """A server on 127.0.0.1 whose answer to each path is a function of the handler."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.seen = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                outer.seen.set()
                route = outer.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)  # (a client that gives up, as it should, resets the line)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def json(self, path: str, body: object) -> None:
        data = json.dumps(body).encode()
        self.routes[path] = lambda h: _send(h, data)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _send(handler: BaseHTTPRequestHandler, data: bytes, **headers: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(data)))
    for key, value in headers.items():
        handler.send_header(key.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(data)


def _stream(handler: BaseHTTPRequestHandler, chunks: Iterator[bytes], **headers: str) -> None:
    """An answer of unknown length: the body ends when the connection closes."""
    handler.send_response(200)
    handler.send_header("Connection", "close")
    for key, value in headers.items():
        handler.send_header(key.replace("_", "-"), value)
    handler.end_headers()
    for chunk in chunks:
        handler.wfile.write(chunk)
        handler.wfile.flush()
    handler.close_connection = True


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hostile]:
    server = Hostile()
    monkeypatch.setattr("territory.fetch._RETRIES", 0)
    point_sources_at(server.url, tmp_path, monkeypatch)
    yield server
    server.stop()


def cached_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name != "sha256.json"]


def test_a_server_map_id_out_of_range_is_one_line(hostile: Hostile, tmp_path: Path) -> None:
    hostile.json("/api/history/last", {"id": 10**17, "map": collection([occupied()])})
    with pytest.raises(FetchError, match="map id that is not a date"):
        fetch("deepstate:latest")
    assert cached_files(tmp_path) == []


def test_one_bad_id_in_the_list_spoils_no_other(hostile: Hostile) -> None:
    hostile.json(
        "/api/history/public",
        [{"id": 10**17}, {"id": "x"}, {"id": 1e300}, {"id": LAST_ID}, {"id": True}],
    )
    hostile.json(f"/api/history/{LAST_ID}/geojson", collection([occupied()]))
    fetched = fetch("deepstate:2025-08-08")
    assert fetched.path.name == f"{LAST_ID}.geojson"
    with pytest.raises(FetchError, match="no map on 2025-08-09; nearest: 2025-08-08"):
        fetch("deepstate:2025-08-09")


def test_a_list_of_maps_that_is_not_json_is_not_kept(hostile: Hostile) -> None:
    hostile.routes["/api/history/public"] = lambda h: _send(h, b'[{"id": 1754682420, ')
    with pytest.raises(FetchError, match="not JSON"):
        fetch("deepstate:2025-08-08")
    with pytest.raises(FetchError, match="offline, and public.json is not in the cache"):
        fetch("deepstate:2025-08-08", offline=True)


@pytest.mark.parametrize("name", [f"last-{10**17}.json", "last-abc.json", "last-.json"])
def test_a_cached_map_with_a_bad_name_is_passed_over(
    hostile: Hostile, tmp_path: Path, name: str
) -> None:
    import pooch

    hostile.json("/api/history/last", {"id": LAST_ID, "map": collection([occupied()])})
    good = fetch("deepstate:latest")
    folder = good.path.parent
    bad = folder / name
    bad.write_text(good.path.read_text())
    index = json.loads((folder / "sha256.json").read_text())
    index[name] = pooch.file_hash(str(bad))  # a matching hash: only the name is wrong
    (folder / "sha256.json").write_text(json.dumps(index))
    assert fetch("deepstate:latest", offline=True).path == good.path
    good.path.unlink()
    with pytest.raises(FetchError, match="no DeepState map is cached"):
        fetch("deepstate:latest", offline=True)


@pytest.mark.slow
def test_a_real_ctrl_c_during_a_download(hostile: Hostile, tmp_path: Path) -> None:
    hostile.routes["/api/history/last"] = lambda h: time.sleep(30)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "territory.cli", "fetch", "deepstate:latest"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert hostile.seen.wait(60), "the command never asked the server"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert stderr.decode() == "territory: interrupted\n"
    assert cached_files(tmp_path) == []


@pytest.mark.slow
def test_a_trickling_server_is_cut_off_at_the_deadline(
    hostile: Hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(60):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.5)

    hostile.routes["/api/history/last"] = trickle
    monkeypatch.setenv("TERRITORY_FETCH_DEADLINE_S", "3")
    started = time.monotonic()
    with pytest.raises(
        FetchError, match=r"within the deadline of 3 s .*TERRITORY_FETCH_DEADLINE_S"
    ):
        fetch("deepstate:latest")
    assert time.monotonic() - started < 6
    assert cached_files(tmp_path) == []


@pytest.mark.slow
def test_a_server_that_never_answers_is_cut_off_at_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts (the backlog), never answers
    port = listener.getsockname()[1]
    monkeypatch.setattr("territory.fetch._RETRIES", 2)  # the deadline covers every attempt
    monkeypatch.setenv("TERRITORY_DEEPSTATE_URL", f"http://127.0.0.1:{port}/api/history")
    monkeypatch.setenv("TERRITORY_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("TERRITORY_FETCH_DEADLINE_S", "4")
    monkeypatch.setenv("TERRITORY_FETCH_TIMEOUT_S", "1.5")
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="deadline of 4 s|download failed") as raised:
            fetch("deepstate:latest")
    finally:
        listener.close()
    assert time.monotonic() - started < 7
    assert "\n" not in str(raised.value)


def _spaces(megabytes: int) -> Iterator[bytes]:
    yield b'{"id": 1754682420, "map": {"type": "FeatureCollection", "features": []}'
    block = b" " * 2**20
    for _ in range(megabytes):
        yield block


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_flood_is_refused_as_it_arrives_and_leaves_nothing(
    hostile: Hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    if encoding == "gzip":
        body = gzip.compress(b"".join(_spaces(64)), compresslevel=1)
        hostile.routes["/api/history/last"] = lambda h: _stream(
            h, iter([body]), Content_Encoding="gzip"
        )
    else:
        hostile.routes["/api/history/last"] = lambda h: _stream(h, _spaces(64))
    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "4")
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="passes the limit of 4 MB.*TERRITORY_MAX_INPUT_MB"):
            fetch("deepstate:latest")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20  # not the 64 MB sent
    assert cached_files(tmp_path) == []


def test_a_declared_length_over_the_limit_is_refused_unread(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    def declared(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(2**40))
        handler.end_headers()
        handler.wfile.write(b"{")

    hostile.routes["/archive/deepstate-map-data.geojson.gz"] = declared
    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "4")
    with pytest.raises(FetchError, match="passes the limit of 4 MB"):
        fetch("archive")
