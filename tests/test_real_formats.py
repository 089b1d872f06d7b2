"""Front-line files in the shapes the public sources really use, written here byte by byte.

The shapes follow public parsers and published samples of each source (DeepState's API
responses and map exports, the daily archive of its merged maps, the owlmaps timeline):
wrappers, key prefixes and suffixes, non-breaking spaces, 3-D coordinates,
GeometryCollections, points and arrows, stray polygons, several dates per file, gzip, zip.
No third-party data is used: every polygon is a box drawn here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

import territory
from territory import InputFileError, TerritoryError, area_km2, ukraine
from territory._snapshots import Snapshot, make_snapshot

# Boxes inside Ukraine, and outside it.
DONETSK = shapely.box(37.6, 47.9, 38.2, 48.3)
ZAPORIZHZHIA = shapely.box(35.2, 46.7, 35.6, 47.0)
GREY = shapely.box(37.3, 47.9, 37.6, 48.2)  # west of DONETSK, touching it
ORDLO = shapely.box(38.4, 47.9, 38.9, 48.3)
LIBERATED = shapely.box(36.5, 49.5, 37.0, 49.8)  # Kharkiv oblast, taken back
CRIMEA = shapely.box(34.0, 45.0, 34.5, 45.3)
ARABIAN_SEA = shapely.box(64.49, 14.64, 64.6, 14.75)  # a stray ring, as seen in real maps
TRANSNISTRIA = shapely.box(29.4, 46.75, 29.6, 46.9)
PRUSSIA = shapely.box(20.5, 54.5, 21.5, 55.0)  # Kaliningrad: a satirical polygon
HELD_SINCE_2014 = shapely.box(38.3, 47.0, 40.5, 48.4)

MAP_ID = 1754682420  # 2025-08-08 22:47 Kyiv time (UTC+3), 19:47 UTC
TOLERANCE = 1e-3


@pytest.fixture(scope="module")
def pre_invasion() -> Snapshot:
    held = gpd.GeoDataFrame(
        {"control": ["russia"], "held_since": ["2014"]}, geometry=[HELD_SINCE_2014], crs=4326
    )
    return make_snapshot(held, date="2022-02-23", name="synthetic", source="tests")


def clipped_km2(*geometries: shapely.Geometry) -> float:
    return area_km2(shapely.intersection(shapely.union_all(geometries), ukraine()))


def coordinates_3d(geometry: shapely.Geometry) -> Any:
    """GeoJSON coordinates with a 0 height on every point, as KML-born maps carry them."""
    return shapely.geometry.mapping(shapely.force_3d(geometry))["coordinates"]


def polygon_feature(geometry: shapely.Geometry, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": coordinates_3d(geometry)},
    }


def style(fill: str) -> dict[str, Any]:
    """KML style properties as DeepState's exports carry them."""
    return {
        "styleUrl": f"#poly-{fill.upper()}-1200-87-nodesc",
        "styleHash": "-58c4a6e3",
        "styleMapHash": {"normal": "#poly-x-normal", "highlight": "#poly-x-highlight"},
        "stroke": f"#{fill}",
        "stroke-opacity": 1,
        "stroke-width": 1.2,
        "fill": f"#{fill}",
        "fill-opacity": 0.30196078431372547,
    }


def point_feature(x: float, y: float, name: str, description: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "description": description, "icon-scale": 1},
        "geometry": {"type": "Point", "coordinates": [x, y, 0]},
    }


def keyed(ukrainian: str, english: str, territory_key: str) -> str:
    return f"{ukrainian} /// {english} /// geoJSON.territories.{territory_key}"


def raw_map_features() -> list[dict[str, Any]]:
    """A DeepState map of mid-2025: keys with the ``geoJSON.`` prefix, odd spacing."""
    nbsp = "\u00a0"
    return [
        point_feature(37.9, 48.0, "Unit", "1 ОМБр<br>///En: 1st brigade<br>{icon=headquarter}"),
        point_feature(37.7, 48.1, "Напрямок", "{icon=arrow_5}"),
        polygon_feature(
            DONETSK,
            name=f"Окупована територія /// Occupied{nbsp}/// geoJSON.status.occupied\n",
            **style("a52714"),
        ),
        polygon_feature(
            GREY,
            name=f"Статус невідомий /// Unknown status{nbsp}/// geoJSON.status.unknown\n",
            **style("bcaaa4"),
        ),
        polygon_feature(
            LIBERATED,
            name=f"Звільнено 25.03 /// Liberated 25.03{nbsp}/// "
            "geoJSON.status.dismissed_at {{at:27.03 - 29.03}}",
            **style("00ff00"),
        ),
        polygon_feature(
            ORDLO, name="ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo", **style("880e4f")
        ),
        polygon_feature(
            CRIMEA, name="Окупований Крим /// Occupied Crimea /// geoJSON.territories.crimea"
        ),
        polygon_feature(
            TRANSNISTRIA, name="ПМР /// Transnistria /// geoJSON.territories.transnistria"
        ),
        polygon_feature(
            PRUSSIA, name="Пруссія /// Prussia /// geoJSON.territories.prussia", **style("ff5252")
        ),
        {
            "type": "Feature",
            "properties": {"name": f"Окуповано /// Occupied{nbsp}/// geoJSON.status.occupied"},
            "geometry": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "coordinates": coordinates_3d(ZAPORIZHZHIA)},
                    {"type": "Point", "coordinates": [35.4, 46.8, 0]},
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"name": "Статус невідомий /// Unknown status"},
            "geometry": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "coordinates": coordinates_3d(ARABIAN_SEA)}],
            },
        },
    ]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **members, "features": features}


# --- DeepState's raw maps -------------------------------------------------------------------


@pytest.fixture
def api_map(tmp_path: Path) -> Path:
    """What ``/api/history/last`` returns: the map under ``map``, the id in unix seconds."""
    wrapper = {"id": MAP_ID, "map": collection(raw_map_features()), "datetime": "08.08 o 22:47"}
    return write_json(tmp_path / "last.json", wrapper)


def test_api_wrapper_is_read_with_its_date(api_map: Path, pre_invasion: Snapshot) -> None:
    snap = territory.read_snapshot(api_map, tag_2014_from=pre_invasion)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.russia) == pytest.approx(
        clipped_km2(DONETSK, ORDLO, CRIMEA, ZAPORIZHZHIA), rel=TOLERANCE
    )
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)
    assert area_km2(shapely.intersection(snap.russia, LIBERATED)) == 0
    held_2014 = snap.areas[snap.areas["held_since"] == "2014"].geometry.iloc[0]
    assert shapely.covers(held_2014.buffer(1e-9), shapely.intersection(ORDLO, ukraine()))
    assert not snap.areas.geometry.has_z.any()


def test_stray_and_satirical_polygons_are_dropped_and_counted(api_map: Path) -> None:
    history = territory.read_history(api_map)
    report = history.report
    # Transnistria and Prussia are left out by their keys; the stray ring in the Arabian
    # Sea is "unknown status" but lies wholly outside Ukraine: dropped, and counted.
    assert report["outside_polygons"] == 1
    assert report["outside_km2"] == pytest.approx(area_km2(ARABIAN_SEA), abs=0.01)
    assert report["polygons"] == {"contested": 2, "left out": 3, "russia": 4}
    assert report["layout"] == "DeepState map, status from name keys and labels"


def test_plain_map_without_wrapper_takes_its_date_from_the_id_in_its_name(tmp_path: Path) -> None:
    # /api/history/{id}/geojson returns the bare collection; downloaders name it by id.
    path = write_json(tmp_path / f"{MAP_ID}.geojson", collection(raw_map_features()))
    assert territory.read_snapshot(path).date == dt.date(2025, 8, 8)


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


# --- several dates in one file --------------------------------------------------------------

DAYS = [dt.date(2024, 7, 8), dt.date(2024, 7, 9), dt.date(2025, 8, 8)]


def held_on(day: dt.date) -> shapely.Geometry:
    """A box that grows eastwards day by day, so that each date has its own area."""
    return shapely.box(37.6, 47.9, 38.0 + 0.05 * DAYS.index(day), 48.3)


def archive_features() -> list[dict[str, Any]]:
    """The daily archive as one file: a string ``id`` per feature, a ``date``, no crs."""
    return [
        {
            "id": str(i),
            "type": "Feature",
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(shapely.MultiPolygon([held_on(day)])),
        }
        for i, day in enumerate(reversed(DAYS))  # any order: sorted on reading
    ]


@pytest.fixture(params=["plain", "gzip"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    data = json.dumps(collection(archive_features())).encode()
    if request.param == "gzip":
        path = tmp_path / "deepstate-map-data.geojson.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path = tmp_path / "deepstate-map-data.geojson"
        path.write_bytes(data)
    return path


def test_archive_is_a_history_never_a_merge(archive: Path, pre_invasion: Snapshot) -> None:
    history = territory.read_history(archive, tag_2014_from=pre_invasion)
    assert history.dates == DAYS
    assert history.report["date_column"] == "date"
    for day in DAYS:
        snap = history.snapshot(day)
        assert snap.date == day
        assert area_km2(snap.russia) == pytest.approx(clipped_km2(held_on(day)), rel=TOLERANCE)


def test_archive_gives_its_newest_date_by_default(archive: Path) -> None:
    snap = territory.read_snapshot(archive)
    assert snap.date == DAYS[-1]
    assert territory.read_snapshot(archive, date="2024-07-09").date == DAYS[1]


def test_a_date_the_archive_does_not_hold_is_a_clear_error(archive: Path) -> None:
    with pytest.raises(TerritoryError, match=r"no map of 2025-01-01; it holds 3 dates"):
        territory.read_snapshot(archive, date="2025-01-01")


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


def test_overlapping_features_of_unrecognised_dates_are_refused(tmp_path: Path) -> None:
    features = [
        polygon_feature(held_on(day), snapshot_day=day.strftime("%d.%m.%Y")) for day in DAYS
    ]
    path = write_json(tmp_path / "mystery.geojson", collection(features))
    with pytest.raises(InputFileError, match=r"features overlap .* 'snapshot_day': several dates"):
        territory.read_snapshot(path)


def test_side_by_side_features_with_edit_dates_are_one_map(tmp_path: Path) -> None:
    # ISW exports give each polygon the date it was last edited: not a history.
    features = [
        polygon_feature(DONETSK, OBJECTID=1, EditDate="2025-08-01"),
        polygon_feature(ZAPORIZHZHIA, OBJECTID=2, EditDate="2025-08-06"),
    ]
    path = write_json(tmp_path / "isw_20250808.geojson", collection(features))
    snap = territory.read_snapshot(path)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.russia) == pytest.approx(clipped_km2(DONETSK, ZAPORIZHZHIA), rel=TOLERANCE)


# --- containers -----------------------------------------------------------------------------


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


# --- the command line -----------------------------------------------------------------------


def test_cli_takes_the_newest_date_and_says_so(run, archive: Path) -> None:
    result = run("stats", "status-quo", "--line", str(archive), "--format", "json")
    assert result.exit_code == 0
    assert "holds 3 dates, 2024-07-08 to 2025-08-08; using the newest, 2025-08-08" in result.stderr
    picked = run("stats", "status-quo", "--line", str(archive), "--date", "2024-07-08")
    assert picked.exit_code == 0 and "using the newest" not in picked.stderr


def test_cli_lists_the_dates_a_file_holds(run, archive: Path) -> None:
    table = run("snapshots", "--line", str(archive))
    assert table.exit_code == 0
    assert all(day.isoformat() in table.output for day in DAYS)
    records = json.loads(run("snapshots", "--line", str(archive), "--format", "json").output)
    assert [r["date"][:10] for r in records] == [d.isoformat() for d in DAYS]
    assert [r["newest"] for r in records] == [False, False, True]


def test_cli_date_not_in_file_is_one_line(run, archive: Path) -> None:
    result = run("stats", "--line", str(archive), "--date", "2023-01-01")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no map of 2023-01-01" in result.stderr


def test_validate_says_what_a_raw_map_holds(run, api_map: Path) -> None:
    result = run("validate", str(api_map))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{api_map}: ok, front line (2025-08-08)")
    assert "format: GeoJSON; DeepState map, status from name keys and labels" in result.output
    assert "polygons: 4 Russian-held, 2 contested, 3 left out" in result.output
    assert "wholly outside Ukraine: 1 polygon(s)" in result.output
    assert "reconciled with our coast and border:" in result.output


def test_validate_warns_on_a_line_that_covers_most_of_ukraine(run, tmp_path: Path) -> None:
    path = tmp_path / "regions.geojson"
    territory.regions()[["region", "geometry"]].to_file(path)
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert "warning: 100% of Ukraine marked held" in result.output


def test_a_wrapper_too_large_to_parse_in_python_keeps_its_date(
    api_map: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large files go to OGR's streaming reader unparsed: the wrapper's head still dates them.
    monkeypatch.setattr("territory.reading._PY_JSON_BYTES", 100)
    snap = territory.read_snapshot(api_map)
    assert snap.date == dt.date(2025, 8, 8)
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(GREY), rel=TOLERANCE)


@pytest.mark.parametrize("name", ["my-front.geojson", "export (3).json", "x"])
def test_a_deepstate_map_is_credited_to_deepstatemap_whatever_its_name(
    tmp_path: Path, name: str
) -> None:
    from territory.render import line_source, map_html, render_comparison

    wrapped = {"id": 1754682420, "map": _deepstate_map_for_credit()}
    path = tmp_path / name
    path.write_text(json.dumps(wrapped))
    snap = territory.read_snapshot(path)
    assert snap.credit == "DeepStateMap (deepstatemap.live), map of 2025-08-08"
    assert "DeepStateMap (deepstatemap.live)" in line_source(snap)
    page = map_html(render_comparison(["freeze"], snap))
    assert "Line: DeepStateMap (deepstatemap.live), map of 2025-08-08." in page  # the panel
    assert "Front line: DeepStateMap (deepstatemap.live), map of 2025-08-08" in page
    assert name not in line_source(snap)  # the credit never names the file
    from territory.render import static_figure

    figure = static_figure(
        territory.resolve("freeze", snap), tmp_path / "f.svg", credit=line_source(snap)
    )
    assert "Line: DeepStateMap (deepstatemap.live), map of 2025-08-08." in figure.read_text()
    plain = tmp_path / "plain.geojson"
    square = shapely.geometry.mapping(shapely.box(37.8, 47.8, 38.2, 48.2))
    plain.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": square}))
    assert territory.read_snapshot(plain).credit == ""  # nothing says whose it is


def _deepstate_map_for_credit() -> dict:
    occupied = shapely.geometry.mapping(shapely.box(37.6, 47.9, 38.2, 48.3))
    name = "Окупована /// Occupied /// geoJSON.status.occupied"
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": occupied}
    return {"type": "FeatureCollection", "features": [feature]}
