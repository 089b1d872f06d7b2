"""Hostile input, round three: every input and every server ends in one line and a non-zero
exit, within bounded time and memory.

Each class of input here once ended in a traceback, a hang or gigabytes: out-of-range map
ids and dates, points that are not points, limits set to nonsense, Ctrl-C, special files,
servers that trickle, stall or flood, archives whose sizes lie, and scenario files that
cost minutes. Servers run on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
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
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import shapely

import territory
from territory._scenarios import ScenarioError, load_scenarios
from territory.errors import InputFileError
from territory.fetch import FetchError, fetch

from .conftest import point_sources_at

SQUARE = shapely.box(37.8, 47.8, 38.2, 48.2)
LAST_ID = 1754682420  # 2025-08-08, evening in Kyiv


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def occupied(geometry: shapely.Geometry = SQUARE, **properties: Any) -> dict:
    name = "Окупована /// Occupied /// geoJSON.status.occupied"
    return {
        "type": "Feature",
        "properties": {"name": name, **properties},
        "geometry": shapely.geometry.mapping(geometry),
    }


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
    path.write_text(f'{{"id": {stamp}, "map": {json.dumps(collection(occupied()))}}}')
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
    days = collection(occupied(date="2025-02-28"), occupied(date=value))
    path.write_text(json.dumps(days))
    with pytest.raises(InputFileError, match=f"feature 2: date '{value}' is not a date"):
        territory.read_history(path)
    assert problem in one_line_error(cli("validate", str(path)))


def test_an_out_of_range_start_stamp_names_the_feature(tmp_path: Path) -> None:
    path = tmp_path / "owlmaps.geojson"
    path.write_text(json.dumps(collection(occupied(start=1670540400), occupied(start=1e18))))
    with pytest.raises(InputFileError, match="feature 2: start 1e"):
        territory.read_history(path)


# --- servers --------------------------------------------------------------------------------------


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
    hostile.json("/api/history/last", {"id": 10**17, "map": collection(occupied())})
    with pytest.raises(FetchError, match="map id that is not a date"):
        fetch("deepstate:latest")
    assert cached_files(tmp_path) == []


def test_one_bad_id_in_the_list_spoils_no_other(hostile: Hostile) -> None:
    hostile.json(
        "/api/history/public",
        [{"id": 10**17}, {"id": "x"}, {"id": 1e300}, {"id": LAST_ID}, {"id": True}],
    )
    hostile.json(f"/api/history/{LAST_ID}/geojson", collection(occupied()))
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

    hostile.json("/api/history/last", {"id": LAST_ID, "map": collection(occupied())})
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


# --- 2. points that are not points, and many bands ------------------------------------------------


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


def test_many_overlapping_bands_resolve(tmp_path: Path) -> None:
    # Bands of many widths, each overlaid on the last: their pieces' edges do not match
    # exactly, which the coverage union of a region's pieces cannot take.
    rules = [
        f'regions = "*"\narea = {{ along_line_km = {1 + k * 0.37:.2f}, side = "both" }}\n'
        'control = "contested"'
        for k in range(20)
    ]
    (scen,) = load_scenarios(scenario_file(tmp_path, *rules))
    zones = territory.resolve(scen)
    ukraine_km2 = territory.area_km2(territory.ukraine())
    assert zones["area_km2"].sum() == pytest.approx(ukraine_km2, rel=1e-6)


# --- 3. limits from the environment ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e400", "-1", "0", "ten"])
@pytest.mark.parametrize("variable", ["TERRITORY_MAX_INPUT_MB", "TERRITORY_MAX_POLYGONS"])
def test_a_limit_set_to_nonsense_is_one_line(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    path = tmp_path / "front.geojson"
    path.write_text(json.dumps(collection(occupied())))
    monkeypatch.setenv(variable, value)
    message = one_line_error(cli("validate", str(path)))
    assert f"{variable}=" in message and "expected a positive finite number" in message


def test_a_map_past_the_vertex_limit_is_refused_per_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = shapely.Point(37.9, 48.0).buffer(0.2, quad_segs=64)  # 257 vertices
    path = tmp_path / "archive.geojson"
    days = collection(occupied(SQUARE, date="2025-08-07"), occupied(ring, date="2025-08-08"))
    path.write_text(json.dumps(days))
    monkeypatch.setenv("TERRITORY_MAX_VERTICES", "100")
    with pytest.raises(InputFileError, match="257 vertices in the map of 2025-08-08, more than"):
        territory.read_history(path)
    monkeypatch.setenv("TERRITORY_MAX_VERTICES", "300")  # each date alone is within it
    assert len(territory.read_history(path).dates) == 2


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


# --- 5. special files and slow servers ------------------------------------------------------------


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


# --- 6. unbounded downloads -----------------------------------------------------------------------


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


# --- 7. scenario files that cost minutes ----------------------------------------------------------


def _many_scenarios(tmp_path: Path, count: int) -> Path:
    blocks = [
        f'[[scenario]]\nid = "s{i}"\ntitle = "t"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
        for i in range(count)
    ]
    path = tmp_path / "many.toml"
    path.write_text("\n".join(blocks))
    return path


@pytest.mark.parametrize(
    ("build", "variable"),
    [
        (lambda tmp: _many_scenarios(tmp, 9_813), "TERRITORY_MAX_SCENARIOS"),
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


def test_a_bound_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _many_scenarios(tmp_path, 60)
    with pytest.raises(ScenarioError, match="60 scenarios in the file, more than the limit of 50"):
        load_scenarios(path)
    monkeypatch.setenv("TERRITORY_MAX_SCENARIOS", "60")
    assert len(load_scenarios(path)) == 60


def test_a_figure_clips_a_title_of_any_length(tmp_path: Path, cli: Any) -> None:
    title = "A very long title " * 50_000  # 900 KB
    out = tmp_path / "long.svg"
    started = time.monotonic()
    result = cli("render", "freeze", "--title", title, "--subtitle", title, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30
    svg = out.read_text()
    assert len(svg) < 2_000_000 and "…" in svg


# --- 8. archives whose sizes lie ------------------------------------------------------------------


def _spaces_json(megabytes: float) -> bytes:
    return json.dumps(collection(occupied())).encode() + b" " * int(megabytes * 2**20)


@pytest.mark.parametrize("case", ["forged trailer", "several members", "zip understated"])
def test_a_size_that_lies_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "1")
    if case == "forged trailer":
        path = tmp_path / "front.geojson.gz"
        # Past 16 MB, so that no reader looks at it in Python (which would check the trailer).
        packed = bytearray(gzip.compress(_spaces_json(20), compresslevel=1))
        packed[-4:] = (1024).to_bytes(4, "little")  # "1 KB uncompressed"
        path.write_bytes(bytes(packed))
    elif case == "several members":
        path = tmp_path / "front.geojson.gz"
        half = gzip.compress(b" " * int(0.8 * 2**20))
        path.write_bytes(gzip.compress(_spaces_json(0)) + half + half)
    else:
        path = tmp_path / "front.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("front.geojson", _spaces_json(3))
        _understate_zip_sizes(path, 1024)
    with pytest.raises(InputFileError, match="limit of 1 MB|damaged") as raised:
        territory.read_snapshot(path)
    assert "\n" not in str(raised.value)


def _understate_zip_sizes(path: Path, size: int) -> None:
    """Write ``size`` as the uncompressed size in the local header and the directory."""
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_a_truncated_gzip_is_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "front.geojson.gz"
    packed = gzip.compress(_spaces_json(0.1))
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputFileError, match="damaged gzip file \\(it ends early"):
        territory.read_snapshot(path)


# --- 9. errors over several lines -----------------------------------------------------------------


def test_an_empty_polygon_gives_no_library_warning(tmp_path: Path, cli: Any) -> None:
    empty = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": []},
    }
    path = tmp_path / "front.geojson"
    path.write_text(json.dumps(collection(empty, occupied())))
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


# --- 10. small ones -------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [245, 250, 255])
def test_an_output_name_of_up_to_255_bytes_is_written(
    tmp_path: Path, cli: Any, length: int
) -> None:
    out = tmp_path / ("m" * (length - 5) + ".html")
    result = cli("render", "freeze", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0 and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_zip_named_geojson_is_read_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "front.geojson"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("inside/front.geojson", json.dumps(collection(occupied())))
    snap = territory.read_snapshot(path)
    assert territory.area_km2(snap.russia) == pytest.approx(territory.area_km2(SQUARE), rel=1e-3)


def test_an_encrypted_or_crowded_zip_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked.zip"
    with zipfile.ZipFile(locked, "w") as archive:
        archive.writestr("front.geojson", json.dumps(collection(occupied())))
    data = bytearray(locked.read_bytes())
    data[6] |= 1  # the "encrypted" flag, in the local header and the directory
    data[data.find(b"PK\x01\x02") + 8] |= 1
    locked.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="encrypted zip archive"):
        territory.read_snapshot(locked)
    crowded = tmp_path / "crowded.zip"
    with zipfile.ZipFile(crowded, "w") as archive:
        for i in range(1001):
            archive.writestr(f"{i}.txt", "")
    with pytest.raises(InputFileError, match="zip archive of 1,001 files"):
        territory.read_snapshot(crowded)
