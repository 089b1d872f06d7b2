"""What each polygon of a front-line file means (territory.labels): keys at the end of a
DeepState name, the labels of the keyless maps of 2022-2023, and fill colours as the last
resort."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import territory
from territory._snapshots import Snapshot
from territory.geodesy import area_km2
from territory.labels import NAME_KEYS, name_key

from .synthetic import (
    CRIMEA,
    DONETSK,
    GREY,
    LIBERATED,
    ORDLO,
    TOLERANCE,
    clipped_km2,
    collection,
    polygon_feature,
    pre_invasion_line,
    style,
    write_json,
)

# --- keys at the end of a DeepState name ----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Окупована територія /// Occupied territory /// status.occupied",
        "Окупована\u00a0територія\u00a0///\u00a0Occupied territory\u00a0///\u00a0status.occupied",
        "Окупована територія\n///\nOccupied territory\n///\nstatus.occupied\n",
        "Окупована територія /// Occupied territory ///\u2009Status.Occupied\u200b",
        "/// /// status. occupied",
    ],
)
def test_name_key_ignores_odd_spacing(name: str) -> None:
    assert name_key(name) == "status.occupied"


@settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from(sorted(NAME_KEYS)),
    spacing=st.lists(st.sampled_from([" ", "\u00a0", "\n", "\t", "\u2009", "\u200b"]), max_size=4),
    where=st.integers(min_value=0, max_value=40),
)
def test_name_key_survives_any_spacing(key: str, spacing: list[str], where: int) -> None:
    at = where % (len(key) + 1)
    spaced = key[:at] + "".join(spacing) + key[at:]
    assert name_key(f"Щось /// Something ///{spaced}") == key


# --- labels of the keyless maps, and fill colours -------------------------------------------


@pytest.fixture(scope="module")
def pre_invasion() -> Snapshot:
    return pre_invasion_line()


def test_keyless_map_of_2023_is_read_by_its_labels(tmp_path: Path, pre_invasion: Snapshot) -> None:
    features = [
        polygon_feature(DONETSK, name="Окуповано /// Occupied\n"),
        polygon_feature(GREY, name="Статус невідомий\n///\nUnknown status"),
        polygon_feature(ORDLO, name="ОРДЛО /// CADR and CALR"),
        polygon_feature(CRIMEA, name="Occupied Crimea"),
        polygon_feature(LIBERATED, name="Звільнено /// Liberated"),
    ]
    path = write_json(tmp_path / "map_2023-05-19.geojson", collection(features))
    snap = territory.read_snapshot(path, tag_2014_from=pre_invasion)
    assert area_km2(snap.russia) == pytest.approx(
        clipped_km2(DONETSK, ORDLO, CRIMEA), rel=TOLERANCE
    )
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)
    by_tag = {(r.control, r.held_since): area_km2(r.geometry) for r in snap.areas.itertuples()}
    assert by_tag["russia", "2014"] == pytest.approx(clipped_km2(ORDLO, CRIMEA), rel=TOLERANCE)


def test_map_of_2022_in_ukrainian_only(tmp_path: Path, pre_invasion: Snapshot) -> None:
    features = [polygon_feature(DONETSK, name="Окуповано", **style("a52714"))]
    path = write_json(tmp_path / "1649004375.geojson", collection(features))
    snap = territory.read_snapshot(path, tag_2014_from=pre_invasion)
    assert snap.date == dt.date(2022, 4, 3)
    assert area_km2(snap.russia) == pytest.approx(clipped_km2(DONETSK), rel=TOLERANCE)


def test_fill_colour_is_the_last_resort(tmp_path: Path, pre_invasion: Snapshot) -> None:
    features = [
        polygon_feature(DONETSK, name="Лінія 12", **style("a52714")),
        polygon_feature(GREY, name="", **style("bcaaa4")),
        polygon_feature(ORDLO, name="Territory", styleUrl="#poly-880E4F-1200-87-nodesc"),
    ]
    path = write_json(tmp_path / "fills.geojson", collection(features))
    snap = territory.read_snapshot(path, tag_2014_from=pre_invasion)
    assert area_km2(snap.russia) == pytest.approx(clipped_km2(DONETSK, ORDLO), rel=TOLERANCE)
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)
