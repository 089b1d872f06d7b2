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

from .synthetic import DAYS, SQUARE, archive_features, collection, occupied


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


def _spaces_json(megabytes: float) -> bytes:
    return json.dumps(collection([occupied()])).encode() + b" " * int(megabytes * 2**20)


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


def test_a_zip_named_geojson_is_read_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "front.geojson"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("inside/front.geojson", json.dumps(collection([occupied()])))
    snap = territory.read_snapshot(path)
    assert territory.area_km2(snap.russia) == pytest.approx(territory.area_km2(SQUARE), rel=1e-3)


def test_an_encrypted_or_crowded_zip_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked.zip"
    with zipfile.ZipFile(locked, "w") as archive:
        archive.writestr("front.geojson", json.dumps(collection([occupied()])))
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
