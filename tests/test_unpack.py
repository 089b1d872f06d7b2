"""Opening a user's file before any reader looks inside it (territory.unpack): gzip and zip
found by their content, unpacked within the input limit, their sizes never believed."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from pathlib import Path

import territory

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
