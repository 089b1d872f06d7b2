"""Canonical fixtures shared by the tests: tiny GeoDataFrames, zones of the status quo and the
28-point plan, front-line files in the shapes of the public sources (built by synthetic.py),
and a local HTTP server that answers in those shapes; the ``slow`` marker of whole folders
and files, and the hypothesis profile of the property tests.

No test reaches the network: the sources' base URLs point at a closed port on 127.0.0.1 and
the cache at a temporary folder unless a test starts the local server.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, settings

from .synthetic import MAP_ID, archive_features, collection, raw_map_features, write_json

TESTS = Path(__file__).parent
#: Where every test is slow: the browser tests (tests/browser/), and these files (a wheel
#: build, animations, writes in processes of their own), as paths under tests/.
SLOW_FOLDERS = frozenset({"browser"})
SLOW_FILES = frozenset({"e2e/test_wheel.py", "e2e/test_outputs.py", "test_animation.py"})


#: The property tests (hypothesis) of the readers and the scenario parser run 60 examples each;
#: set TERRITORY_HYPOTHESIS_EXAMPLES=10000 (or more) for the long profile (``-m hypothesis``
#: runs only them). Test files use it as ``FAST = settings.get_profile("fast")``.
settings.register_profile(
    "fast",
    max_examples=int(os.environ.get("TERRITORY_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Notebooks, the browser tests and the slow files carry the ``slow`` marker (``-m "not
    slow"`` is the fast subset); single slow tests carry it themselves."""
    for item in items:
        path = item.path
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        elif path.is_relative_to(TESTS):
            under = path.relative_to(TESTS)
            if under.parts[0] in SLOW_FOLDERS or under.as_posix() in SLOW_FILES:
                item.add_marker(pytest.mark.slow)


@pytest.fixture
def run() -> Callable[..., Any]:
    """Run the ``territory`` command line in-process: ``run("stats", "--format", "csv")``."""
    from click.testing import CliRunner

    from territory.cli import main

    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _no_network(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    monkeypatch.setenv("TERRITORY_DEEPSTATE_URL", f"{closed}/api/history")
    monkeypatch.setenv("TERRITORY_ARCHIVE_URL", f"{closed}/archive")
    monkeypatch.setenv("TERRITORY_CACHE", str(tmp_path_factory.mktemp("cache")))


HELD = shapely.box(37.6, 47.9, 38.2, 48.3)
GREY = shapely.box(37.3, 47.9, 37.6, 48.2)
LAST_ID = 1754682420  # 2025-08-08, evening in Kyiv
OLDER_ID = 1754336820  # 2025-08-04


def feature(geometry: shapely.Geometry, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": shapely.geometry.mapping(shapely.force_3d(geometry)),
    }


def raw_map(east: float) -> dict[str, Any]:
    occupied = shapely.box(37.6, 47.9, east, 48.3)
    return {
        "type": "FeatureCollection",
        "features": [
            feature(occupied, name="Окупована /// Occupied\u00a0/// geoJSON.status.occupied\n"),
            feature(GREY, name="Статус невідомий /// Unknown status /// geoJSON.status.unknown"),
        ],
    }


def archive_bytes() -> bytes:
    days = [dt.date(2025, 8, 6), dt.date(2025, 8, 7), dt.date(2025, 8, 8)]
    features = [
        {
            "id": str(i),
            "type": "Feature",
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(shapely.box(37.6, 47.9, 38.0 + 0.1 * i, 48.3)),
        }
        for i, day in enumerate(days)
    ]
    return gzip.compress(json.dumps({"type": "FeatureCollection", "features": features}).encode())


class Server:
    """A tiny HTTP server on 127.0.0.1: fixed answers by path, and a log of requests."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, bytes, int | None]] = {}
        self.requests: list[str] = []
        self.fail_first: set[str] = set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                outer.requests.append(self.path)
                if self.path in outer.fail_first:
                    outer.fail_first.discard(self.path)
                    self.send_error(503)
                    return
                status, body, length = outer.answers.get(self.path, (404, b"not here", None))
                self.send_response(status)
                self.send_header("Content-Length", str(length if length else len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str, body: Any, status: int = 200, length: int | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answers[path] = (status, data, length)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A server on 127.0.0.1 answering at DeepState's API paths and the archive's, with the
    environment pointing territory's fetching at it and its cache in a temporary folder."""
    running = Server()
    running.answer("/api/history/last", {"id": LAST_ID, "map": raw_map(38.2), "datetime": "x"})
    running.answer(
        "/api/history/public",
        [
            {"id": OLDER_ID, "createdAt": "2025-08-04T19:47:00.000Z", "status": True},
            {"id": LAST_ID, "createdAt": "2025-08-08T19:47:00.000Z", "status": True},
        ],
    )
    running.answer(f"/api/history/{OLDER_ID}/geojson", raw_map(37.9))
    running.answer(f"/api/history/{LAST_ID}/geojson", raw_map(38.2))
    running.answer("/archive/deepstate-map-data.geojson.gz", archive_bytes())
    running.answer(
        "/archive/data/deepstatemap_data_20250807.geojson",
        {"type": "FeatureCollection", "features": [feature(HELD)]},
    )
    point_sources_at(running.url, tmp_path, monkeypatch)
    yield running
    running.stop()


def point_sources_at(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fetch from a server of the tests (DeepState's API and the archive at its paths), into
    a cache in a temporary folder, online."""
    monkeypatch.setenv("TERRITORY_DEEPSTATE_URL", f"{url}/api/history")
    monkeypatch.setenv("TERRITORY_ARCHIVE_URL", f"{url}/archive")
    monkeypatch.setenv("TERRITORY_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TERRITORY_OFFLINE", raising=False)


@pytest.fixture
def api_map(tmp_path: Path) -> Path:
    """What ``/api/history/last`` returns: the map under ``map``, the id in unix seconds."""
    wrapper = {"id": MAP_ID, "map": collection(raw_map_features()), "datetime": "08.08 o 22:47"}
    return write_json(tmp_path / "last.json", wrapper)


@pytest.fixture(params=["plain", "gzip"])
def deepstate_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The daily archive of DeepState's merged maps as one file, plain or gzip-compressed:
    three dates (synthetic.DAYS), each with its own area."""
    data = json.dumps(collection(archive_features())).encode()
    if request.param == "gzip":
        path = tmp_path / "deepstate-map-data.geojson.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path = tmp_path / "deepstate-map-data.geojson"
        path.write_bytes(data)
    return path


@pytest.fixture(scope="session")
def plan() -> gpd.GeoDataFrame:
    """The zones of the 28-point plan on the shipped line of 8 August 2025: ground changes
    hands, and what Ukraine held of Donetsk is demilitarised."""
    import territory

    return territory.resolve("28-point-plan", "2025-08-08")


@pytest.fixture(scope="session")
def now() -> gpd.GeoDataFrame:
    """The zones of the status quo on the shipped line of 8 August 2025."""
    import territory

    return territory.resolve("status-quo", "2025-08-08")


@pytest.fixture
def bowtie() -> shapely.Polygon:
    """A self-intersecting polygon inside Donetsk oblast."""
    return shapely.Polygon([(37.5, 47.8), (38.0, 48.2), (38.0, 47.8), (37.5, 48.2)])


@pytest.fixture
def tiny_frames() -> dict[str, gpd.GeoDataFrame]:
    """An empty frame, one with an empty geometry, and one square inside Ukraine."""
    return {
        "empty": gpd.GeoDataFrame(geometry=[], crs=4326),
        "empty_geometry": gpd.GeoDataFrame(geometry=[shapely.Polygon()], crs=4326),
        "square": gpd.GeoDataFrame(geometry=[shapely.box(37.5, 47.8, 38.0, 48.2)], crs=4326),
    }
