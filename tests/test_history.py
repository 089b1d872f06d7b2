"""Histories (territory.history): the dated snapshots a multi-date file holds, oldest first,
never merged; dates read from a date, a datetime or a unix start, in Kyiv's time."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import territory
from territory._snapshots import Snapshot
from territory.errors import InputFileError, TerritoryError
from territory.geodesy import area_km2

from .synthetic import (
    DAYS,
    DONETSK,
    ORDLO,
    SQUARE_MAP,
    TOLERANCE,
    ZAPORIZHZHIA,
    clipped_km2,
    collection,
    held_on,
    occupied,
    polygon_feature,
    pre_invasion_line,
    write_json,
)


@pytest.fixture(scope="module")
def pre_invasion() -> Snapshot:
    return pre_invasion_line()


def test_archive_is_a_history_never_a_merge(
    deepstate_archive: Path, pre_invasion: Snapshot
) -> None:
    history = territory.read_history(deepstate_archive, tag_2014_from=pre_invasion)
    assert history.dates == DAYS
    assert history.report["date_column"] == "date"
    for day in DAYS:
        snap = history.snapshot(day)
        assert snap.date == day
        assert area_km2(snap.russia) == pytest.approx(clipped_km2(held_on(day)), rel=TOLERANCE)


def test_archive_gives_its_newest_date_by_default(deepstate_archive: Path) -> None:
    snap = territory.read_snapshot(deepstate_archive)
    assert snap.date == DAYS[-1]
    assert territory.read_snapshot(deepstate_archive, date="2024-07-09").date == DAYS[1]


def test_a_date_the_archive_does_not_hold_is_a_clear_error(deepstate_archive: Path) -> None:
    with pytest.raises(TerritoryError, match=r"no map of 2025-01-01; it holds 3 dates"):
        territory.read_snapshot(deepstate_archive, date="2025-01-01")


def test_owlmaps_start_in_unix_seconds_at_local_midnight(tmp_path: Path) -> None:
    # Several features a day (one per axis), each with a ``start`` at midnight in Kyiv:
    # 22:00 UTC the day before in winter time, 21:00 UTC in summer time.
    winter = int(dt.datetime(2022, 12, 8, 22, tzinfo=dt.UTC).timestamp())
    summer = int(dt.datetime(2023, 6, 30, 21, tzinfo=dt.UTC).timestamp())
    features = [
        polygon_feature(DONETSK, name="Donetsk Axis  [Z]", start=winter),
        polygon_feature(ZAPORIZHZHIA, name="Crimean Axis [Z]", start=winter),
        polygon_feature(ORDLO, name="Luhansk Axis [Z]", start=summer),
        polygon_feature(DONETSK, name="Donetsk Axis [Z]", start=summer),
    ]
    history = territory.read_history(write_json(tmp_path / "frontline.json", collection(features)))
    assert history.dates == [dt.date(2022, 12, 9), dt.date(2023, 7, 1)]
    first = history.snapshot(dt.date(2022, 12, 9))
    assert area_km2(first.russia) == pytest.approx(
        clipped_km2(DONETSK, ZAPORIZHZHIA), rel=TOLERANCE
    )


def test_datetime_column_with_a_time_zone(tmp_path: Path) -> None:
    features = [
        polygon_feature(DONETSK, datetime="2025-08-07T21:30:00Z"),  # 00:30 on the 8th in Kyiv
        polygon_feature(ORDLO, datetime="2025-08-09T09:00:00+03:00"),
    ]
    history = territory.read_history(write_json(tmp_path / "times.geojson", collection(features)))
    assert history.dates == [dt.date(2025, 8, 8), dt.date(2025, 8, 9)]


# --- generated dates: read, or refused in one line ------------------------------------------

FAST = settings.get_profile("fast")
_EMPTY = territory.Snapshot(None, "empty", "test", territory.snapshot("2022-02-23").areas.iloc[0:0])


_dates = st.one_of(
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.text(alphabet="0123456789-:TZ+. ", max_size=26),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
)


@FAST
@given(dates=st.lists(_dates, min_size=1, max_size=3), column=st.sampled_from(["date", "start"]))
def test_generated_feature_dates(tmp_path, dates, column):
    features = [{**SQUARE_MAP["features"][0], "properties": {column: value}} for value in dates]
    path = tmp_path / "dated.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = territory.read_history(path, tag_2014_from=_EMPTY)
    except TerritoryError as problem:
        assert str(problem) and "\n" not in str(problem)
        return
    assert all(1991 <= day.year <= 2100 for day in history.dates)


def test_an_out_of_range_start_stamp_names_the_feature(tmp_path: Path) -> None:
    path = tmp_path / "owlmaps.geojson"
    path.write_text(json.dumps(collection([occupied(start=1670540400), occupied(start=1e18)])))
    with pytest.raises(InputFileError, match="feature 2: start 1e"):
        territory.read_history(path)
