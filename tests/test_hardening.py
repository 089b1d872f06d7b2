"""Every input either loads or raises our own error with a message: never another exception.

Property-based tests (hypothesis) of the scenario parser and the snapshot readers on
generated and mutated input, and a corpus of nasty files, each with its expected outcome.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import territory
from territory._scenarios import ScenarioError, load_scenarios
from territory.cli import main
from territory.errors import TerritoryError
from territory.export import OutputError, export_zones

ARTICLE = Path(territory.scenario("freeze").file or "").read_text(encoding="utf-8")
# The quick profile runs in every test run; set TERRITORY_HYPOTHESIS_EXAMPLES=10000 (or
# more) for the long one.
FAST = settings(
    max_examples=int(os.environ.get("TERRITORY_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _loads_or_fails_cleanly(path: Path) -> None:
    try:
        load_scenarios(path)
    except ScenarioError as problem:
        message = str(problem)
        assert message.startswith(str(path)) and "\n" not in message


def _reads_or_fails_cleanly(path: Path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            territory.read_snapshot(path, tag_2014_from=_EMPTY)
    except TerritoryError as problem:
        assert str(problem)


_EMPTY = territory.Snapshot(None, "empty", "test", territory.snapshot("2022-02-23").areas.iloc[0:0])

# --- the scenario parser -------------------------------------------------------------------


@FAST
@given(data=st.data())
def test_mutated_article_file(tmp_path, data):
    text = ARTICLE
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 40))
        insert = data.draw(st.text(alphabet='[]{}"=,.#\n *abc01', max_size=8))
        text = text[:at] + insert + text[at + cut :]
    path = tmp_path / "mutated.toml"
    path.write_text(text, encoding="utf-8")
    _loads_or_fails_cleanly(path)


_values = st.one_of(
    st.sampled_from(["Donetsk", "UA-14", "*", "Atlantis", "", "keep", "russia", "line"]),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.sampled_from(["Donetsk", "Kherson", "Krym", "nowhere"]), max_size=3),
)
_rule_keys = st.sampled_from(
    ["regions", "control", "recognition", "line", "area", "label", "claim", "colour"]
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else repr(value).replace("inf", "inf")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


@FAST
@given(rules=st.lists(st.dictionaries(_rule_keys, _values, max_size=5), max_size=4))
def test_generated_rules(tmp_path, rules):
    lines = ["[[scenario]]", 'id = "g"', 'title = "t"', 'summary = "s"']
    for rule in rules:
        lines.append("[[scenario.rule]]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in rule.items()]
    path = tmp_path / "generated.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _loads_or_fails_cleanly(path)


@FAST
@given(blob=st.binary(max_size=200))
def test_random_bytes_as_a_scenario_file(tmp_path, blob):
    path = tmp_path / "blob.toml"
    path.write_bytes(blob)
    _loads_or_fails_cleanly(path)


# --- the snapshot readers ------------------------------------------------------------------

# Mostly plausible degrees; sometimes NaN, infinities and huge values, as broken files carry.
_coordinate = st.one_of(
    st.floats(min_value=-200, max_value=200, allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=True, allow_infinity=True),
)


@FAST
@given(
    rings=st.lists(
        st.lists(st.tuples(_coordinate, _coordinate), min_size=0, max_size=8), max_size=3
    ),
    kind=st.sampled_from(["Polygon", "MultiPolygon", "LineString", "Point", "Bogus"]),
    name=st.sampled_from([None, "x /// y /// status.occupied", "status.unknown", 7]),
)
def test_generated_geojson(tmp_path, rings, kind, name):
    def geometry(ring):
        coords = [list(p) for p in ring]
        if kind == "Polygon":
            return {"type": kind, "coordinates": [coords + coords[:1]]}
        if kind == "MultiPolygon":
            return {"type": kind, "coordinates": [[coords + coords[:1]]]}
        if kind == "Point":
            return {"type": kind, "coordinates": coords[0] if coords else []}
        return {"type": kind, "coordinates": coords}

    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": geometry(r)} for r in rings
    ]
    path = tmp_path / "generated.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    _reads_or_fails_cleanly(path)


_VALID_GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "a /// b /// status.occupied"},
                "geometry": shapely.geometry.mapping(shapely.box(37.5, 47.5, 38.5, 48.5)),
            }
        ],
    }
)


@FAST
@given(data=st.data())
def test_mutated_geojson(tmp_path, data):
    raw = bytearray(_VALID_GEOJSON.encode())
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "mutated.geojson"
    path.write_bytes(bytes(raw))
    _reads_or_fails_cleanly(path)


# --- stamps, dates, points and band widths ----------------------------------------------------

_SQUARE_MAP = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "a /// b /// geoJSON.status.occupied"},
            "geometry": shapely.geometry.mapping(shapely.box(37.5, 47.5, 38.5, 48.5)),
        }
    ],
}
# Map ids as DeepState writes them (unix seconds), and as broken files do: milliseconds,
# negative, huge, fractional, infinite, not a number, text.
_stamps = st.one_of(
    st.integers(-(2**70), 2**70),
    st.integers(1_400_000_000, 1_900_000_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.none(),
)


@FAST
@given(stamp=_stamps)
def test_generated_map_ids(tmp_path, stamp):
    path = tmp_path / "raw.json"
    wrapped = json.dumps({"id": stamp, "map": _SQUARE_MAP}, allow_nan=True)
    path.write_text(wrapped)
    _reads_or_fails_cleanly(path)


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
    features = [{**_SQUARE_MAP["features"][0], "properties": {column: value}} for value in dates]
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


_SNAPSHOT = territory.snapshot()
_degrees = st.one_of(
    st.floats(min_value=20, max_value=42),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
)


def _resolves_or_fails_cleanly(path: Path) -> None:
    """Loaded and resolved on the newest shipped line, or refused with one line."""
    try:
        (scen,) = load_scenarios(path)
        zones = territory.resolve(scen, _SNAPSHOT)
    except TerritoryError as problem:
        assert str(problem) and "\n" not in str(problem)
        return
    assert zones["area_km2"].sum() == pytest.approx(
        territory.area_km2(territory.ukraine()), rel=1e-6
    )


@settings(FAST, max_examples=max(10, FAST.max_examples // 3))
@given(lon=_degrees, lat=_degrees, radius=st.floats(allow_nan=True, allow_infinity=True))
def test_generated_around_points(tmp_path, lon, lat, radius):
    rule = (
        f'regions = "Donetsk"\ncontrol = "russia"\n'
        f"area = {{ around = [{_toml_value(lon)}, {_toml_value(lat)}], "
        f"radius_km = {_toml_value(radius)} }}"
    )
    path = tmp_path / "around.toml"
    path.write_text(
        f'[[scenario]]\nid = "a"\ntitle = "t"\nsummary = "s"\n[[scenario.rule]]\n{rule}\n'
    )
    _resolves_or_fails_cleanly(path)


@settings(FAST, max_examples=max(10, FAST.max_examples // 3))
@given(
    widths=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=4),
    side=st.sampled_from(["both", "ukrainian", "russian"]),
)
def test_generated_band_widths(tmp_path, widths, side):
    rules = "".join(
        f'[[scenario.rule]]\nregions = "*"\ncontrol = "contested"\n'
        f'area = {{ along_line_km = {_toml_value(w)}, side = "{side}" }}\n'
        for w in widths
    )
    path = tmp_path / "bands.toml"
    path.write_text(f'[[scenario]]\nid = "b"\ntitle = "t"\nsummary = "s"\n{rules}')
    _resolves_or_fails_cleanly(path)


# --- a corpus of nasty files, each with its expected outcome ---------------------------------


def _feature_collection(*geometries: dict, crs: str | None = None) -> str:
    collection: dict = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection)


def _many_vertices(count: int) -> dict:
    circle = shapely.Point(37.8, 48.0).buffer(0.3, quad_segs=count // 4)
    return shapely.geometry.mapping(circle)


NASTY_SNAPSHOTS = {
    "empty.geojson": (b"", "empty"),
    "binary.geojson": (bytes(range(256)) * 4, "not"),
    "latin1.geojson": ('{ "name": "Донецьк" }'.encode("cp1251"), "not"),
    "no-features.geojson": (_feature_collection().encode(), "no features"),
    "points-only.geojson": (
        _feature_collection({"type": "Point", "coordinates": [37.8, 48.0]}).encode(),
        "no polygons",
    ),
    "projected-no-crs.geojson": (
        _feature_collection(
            shapely.geometry.mapping(shapely.box(4_200_000, 6_100_000, 4_250_000, 6_150_000))
        ).encode(),
        "outside lon/lat",
    ),
    "swapped.geojson": (
        _feature_collection(shapely.geometry.mapping(shapely.box(47.5, 37.5, 48.5, 38.5))).encode(),
        "swapped",
    ),
    "wrong-crs.geojson": (
        # Lon/lat numbers declared as Web Mercator metres: a few metres off Africa.
        _feature_collection(
            shapely.geometry.mapping(shapely.box(37.5, 47.5, 38.5, 48.5)), crs="EPSG:3857"
        ).encode(),
        "inside Ukraine",
    ),
    "outside.geojson": (
        _feature_collection(shapely.geometry.mapping(shapely.box(10, 50, 11, 51))).encode(),
        "inside Ukraine",
    ),
}


@pytest.mark.parametrize("name", sorted(NASTY_SNAPSHOTS))
def test_nasty_snapshot_files_fail_with_a_message(tmp_path, name):
    content, expected = NASTY_SNAPSHOTS[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TerritoryError, match=expected) as info:
        territory.read_snapshot(path, tag_2014_from=_EMPTY)
    assert name in str(info.value) and "\n" not in str(info.value)


def test_huge_coordinate_count_loads(tmp_path):
    path = tmp_path / "huge.geojson"
    path.write_text(_feature_collection(_many_vertices(200_000)))
    snap = territory.read_snapshot(path, tag_2014_from=_EMPTY)
    expected = territory.area_km2(shapely.Point(37.8, 48.0).buffer(0.3, quad_segs=16))
    assert territory.area_km2(snap.russia) == pytest.approx(expected, rel=0.01)


def test_self_intersecting_polygon_is_repaired_with_a_warning(tmp_path, bowtie):
    path = tmp_path / "bowtie.geojson"
    path.write_text(_feature_collection(shapely.geometry.mapping(bowtie)))
    with pytest.warns(UserWarning, match="repaired 1 invalid"):
        snap = territory.read_snapshot(path, tag_2014_from=_EMPTY)
    assert snap.areas.is_valid.all()
    assert territory.area_km2(snap.russia) == pytest.approx(
        territory.area_km2(shapely.make_valid(bowtie)), rel=1e-3
    )


def test_a_polygon_the_size_of_the_world_is_all_of_ukraine(tmp_path):
    path = tmp_path / "world.geojson"
    path.write_text(_feature_collection(shapely.geometry.mapping(shapely.box(-180, -90, 180, 90))))
    snap = territory.read_snapshot(path, tag_2014_from=_EMPTY)
    ukraine_km2 = territory.area_km2(territory.ukraine())
    assert territory.area_km2(snap.russia) == pytest.approx(ukraine_km2, rel=1e-4)


NASTY_SCENARIOS = {
    "empty.toml": (b"", "no \\[\\[scenario\\]\\] tables"),
    "binary.toml": (bytes(range(256)), "not UTF-8"),
    "nested.toml": (("x = " + "[" * 5000 + "]" * 5000).encode(), "TOML"),
    "deep-tables.toml": (("[" + ".".join(["a"] * 3000) + "]\n").encode(), "unknown top-level key"),
    "bom.toml": ("\ufeff[[scenario]]\nid = 'x'\n".encode(), "TOML syntax error"),
}


@pytest.mark.parametrize("name", sorted(NASTY_SCENARIOS))
def test_nasty_scenario_files_fail_with_a_message(tmp_path, name):
    content, expected = NASTY_SCENARIOS[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=expected):
        load_scenarios(path)


# --- output paths --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zones():
    return territory.resolve("freeze")


def test_output_to_a_directory(tmp_path, zones):
    with pytest.raises(OutputError, match="is a directory"):
        export_zones(zones, tmp_path)


def test_output_into_a_missing_folder(tmp_path, zones):
    with pytest.raises(OutputError, match="does not exist"):
        export_zones(zones, tmp_path / "missing" / "zones.geojson")


def test_output_to_a_read_only_location_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", "freeze", "-o", "/proc/zones.geojson"])
    assert result.exit_code == 1
    assert result.output.startswith("territory: error:") and result.output.count("\n") == 1


def test_an_existing_file_is_replaced_only_after_success(tmp_path, zones, monkeypatch):
    out = tmp_path / "zones.geojson"
    out.write_text("previous good file")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("geopandas.GeoDataFrame.to_file", broken)
    with pytest.raises(OutputError, match=r"zones\.geojson: cannot write \(disk full\)"):
        export_zones(zones, out)
    assert out.read_text() == "previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["zones.geojson"]
    monkeypatch.undo()
    export_zones(zones, out)
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
