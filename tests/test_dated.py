"""Reading only the dates asked of a one-file archive: the same frames as OGR reading it whole,
and the whole file read as before whenever its layout is not exactly the archive's."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
from pathlib import Path

import pytest
import shapely

import territory
from territory import dated, series

DAYS = [dt.date(2025, 6, 1) + dt.timedelta(days=i) for i in range(12)]


def feature(i: int, day: dt.date, **extra: object) -> dict:
    held = shapely.box(37.6, 47.9, 38.0 + 0.01 * i, 48.3 + 0.001 * (i % 3))
    geometry = json.loads(shapely.to_geojson(shapely.force_3d(held)))  # 3-D, as some are
    return {
        "id": str(i),
        "type": "Feature",
        "properties": {"date": day.isoformat(), **extra},
        "geometry": geometry,
    }


def write(path: Path, features: list[dict], *, packed: bool = True) -> Path:
    text = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    path.write_bytes(gzip.compress(text) if packed else text)
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write(tmp_path / "archive.geojson.gz", [feature(i, d) for i, d in enumerate(DAYS)])


@pytest.mark.parametrize(
    "pick",
    [
        functools.partial(series.pick, start="2025-06-09"),
        functools.partial(series.pick, every="week"),
        lambda held: [held[4]],
        lambda held: held,
    ],
    ids=["from", "every week", "one date", "every date"],
)
def test_the_dates_picked_are_read_as_ogr_reads_them(archive: Path, pick, tmp_path) -> None:
    # The same features, one with its keys in another order: not the archive's layout, so
    # OGR reads the file whole, as it reads any other.
    features = json.loads(gzip.decompress(archive.read_bytes()))["features"]
    features[0] = {key: features[0][key] for key in ("geometry", "properties", "type", "id")}
    by_ogr = write(tmp_path / "by-ogr.geojson", features, packed=False)
    assert dated.read_picked(by_ogr, pick) is None
    whole = territory.read_history(by_ogr)
    picked = territory.read_history(archive, pick=pick)
    assert picked.dates == pick(whole.dates)
    for day in picked.dates:
        mine, theirs = picked.frames[day], whole.frames[day]
        assert list(mine["control"]) == list(theirs["control"])
        assert shapely.equals_exact(
            mine.geometry.to_numpy(), theirs.geometry.to_numpy(), tolerance=0
        ).all()
    shares = series.shares_over_time(picked)
    assert shares.equals(series.shares_over_time(whole, picked.dates))


def test_only_the_picked_features_are_parsed(archive: Path, monkeypatch) -> None:
    parsed: list[int] = []
    original = shapely.from_geojson

    def counting(texts, *args, **kwargs):
        parsed.append(len(texts))
        return original(texts, *args, **kwargs)

    monkeypatch.setattr("territory.dated.shapely.from_geojson", counting)
    territory.read_history(archive, pick=lambda held: held[-2:])
    assert sum(parsed) == 2  # of the archive's 12


@pytest.mark.parametrize(
    "layout",
    ["more properties", "one date", "no geometry", "other keys after", "not a collection"],
)
def test_another_layout_is_read_whole(tmp_path: Path, layout: str) -> None:
    features = [feature(i, d) for i, d in enumerate(DAYS)]
    if layout == "more properties":
        features[3] = feature(3, DAYS[3], source="x")
    elif layout == "one date":
        features = features[:1]
    elif layout == "no geometry":
        features[-1]["geometry"] = None  # the one picked
    path = write(tmp_path / "archive.geojson", features, packed=False)
    if layout == "other keys after":
        path.write_text(path.read_text()[:-1] + ', "name": "x"}')
    elif layout == "not a collection":
        path.write_text(json.dumps(features[0]))
    assert dated.read_picked(path, lambda held: held[-1:]) is None


def test_a_date_not_held_is_the_usual_error(archive: Path, run) -> None:
    result = run("stats", "--line", str(archive), "--date", "2024-01-01")
    assert result.exit_code == 1
    assert "no map of 2024-01-01; it holds 12 dates from 2025-06-01 to 2025-06-12" in result.stderr


def test_stats_of_one_date_of_an_archive(archive: Path, run) -> None:
    picked = run("stats", "status-quo", "--line", str(archive), "--date", "2025-06-05")
    whole = territory.stats(
        territory.resolve("status-quo", territory.read_history(archive).snapshot("2025-06-05"))
    )
    assert picked.exit_code == 0
    donetsk = whole.set_index("region").loc["UA-14", "russia_km2"]
    assert f"{round(donetsk):,}" in picked.stdout


def test_an_archive_parsed_on_several_cores_is_the_one_parsed_on_one(
    archive: Path, monkeypatch
) -> None:
    """Many features are parsed by several processes, handed back as WKB: the same
    geometries, vertex for vertex, in the same order, and progress told in sixteenths."""
    plain = archive.with_suffix("")
    plain.write_bytes(gzip.decompress(archive.read_bytes()))
    archive = plain
    alone = dated.read_picked(archive, lambda held: held)
    monkeypatch.setattr(dated, "PARSE_IN_PARALLEL", 2)
    told: list[int] = []
    shared = dated.read_picked(archive, lambda held: held, told.append)
    assert alone is not None and shared is not None
    assert list(shared["date"]) == list(alone["date"])
    assert shapely.equals_exact(
        shared.geometry.to_numpy(), alone.geometry.to_numpy(), tolerance=0
    ).all()
    assert sum(told) == dated.PARSED and len(told) == len(DAYS)  # 12 dates: 12 shares


def test_an_interruption_while_parsing_is_not_hidden(archive: Path, monkeypatch) -> None:
    """The file is mapped into memory: when parsing stops, the mapping closes and the
    interruption itself comes through (not an error about the mapping)."""
    text = gzip.decompress(archive.read_bytes())
    plain = archive.with_suffix("")
    plain.write_bytes(text)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("territory.dated.shapely.from_geojson", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dated.read_picked(plain, lambda held: held)
