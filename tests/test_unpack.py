"""Opening a user's file before any reader looks inside it (territory.unpack): gzip and zip
found by their content, unpacked within the input limit, their sizes never believed."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from pathlib import Path

import pytest

import territory
from territory.errors import InputFileError

from .synthetic import DAYS, archive_features, collection


def test_zip_of_one_geojson(tmp_path: Path) -> None:
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "deepstatemap_data_20250808.geojson", json.dumps(collection(archive_features()))
        )
    history = territory.read_history(path)
    assert history.dates == DAYS


def test_gzip_is_found_by_content_not_name(tmp_path: Path, api_map: Path) -> None:
    path = tmp_path / "map.bin"
    path.write_bytes(gzip.compress(api_map.read_bytes()))
    assert territory.read_snapshot(path).date == dt.date(2025, 8, 8)


def test_a_kmz_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "1")
    path = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", "<kml>" + " " * 3_000_000 + "</kml>")
    assert path.stat().st_size < 50_000
    with pytest.raises(InputFileError, match=r"more than the limit of 1 MB once uncompressed"):
        territory.read_snapshot(path)


def test_a_gzip_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRITORY_MAX_INPUT_MB", "1")
    path = tmp_path / "bomb.geojson.gz"
    path.write_bytes(
        gzip.compress(b'{"type": "FeatureCollection", "features": [' + b" " * 3_000_000)
    )
    with pytest.raises(InputFileError, match="raise it with TERRITORY_MAX_INPUT_MB"):
        territory.read_snapshot(path)
