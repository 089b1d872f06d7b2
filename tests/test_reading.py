"""Reading any file OGR reads, and DeepState's JSON, into one frame of features
(territory.reading): one clear line for what cannot be read."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

import territory
from territory.errors import InputFileError
from territory.geodesy import area_km2

from .synthetic import GREY, TOLERANCE, clipped_km2


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x1f\x8b\x08\x00" + b"\0" * 20, "damaged gzip file"),
        (gzip.compress(b"hello, world\n"), "not a geodata file OGR can read"),
        (gzip.compress(b'{"rows": [1]}'), "JSON but not GeoJSON"),
        (gzip.compress(b"[" * 100_000), "nested too deeply|not valid JSON"),
    ],
)
def test_bad_gzip_content_is_one_line(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "bad.geojson.gz"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=problem) as raised:
        territory.read_snapshot(path)
    assert "\n" not in str(raised.value)
    assert not str(raised.value).endswith(("-", "("))


def test_a_wrapper_too_large_to_parse_in_python_keeps_its_date(
    api_map: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large files go to OGR's streaming reader unparsed: the wrapper's head still dates them.
    monkeypatch.setattr("territory.reading._PY_JSON_BYTES", 100)
    snap = territory.read_snapshot(api_map)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)
