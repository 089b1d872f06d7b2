"""A foreign line drawn on other coasts and borders than ours: reconciled, never miscounted;
and ground of thousands of parts eroded and tested part by part, as GEOS does it whole."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

import territory
from territory._regions import ukraine
from territory.geodesy import area_km2
from territory.geometry import MANY_PARTS, union_of
from territory.reconcile import POCKET_KM2, _eroded, _touching, reconcile

from .synthetic import squares

METRIC = pyproj.CRS.from_proj4("+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m")
TO_M = pyproj.Transformer.from_crs(4326, METRIC, always_xy=True)
TO_DEG = pyproj.Transformer.from_crs(METRIC, 4326, always_xy=True)


def project(geometry: shapely.Geometry, transformer: pyproj.Transformer) -> shapely.Geometry:
    dense = shapely.segmentize(geometry, 0.01 if transformer is TO_M else 1000)
    moved = shapely.transform(dense, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    return shapely.make_valid(moved) if shapely.get_dimensions(moved) == 2 else moved


def offset_outline(held: shapely.Geometry, inward: bool) -> shapely.Geometry:
    """``held`` with its coast and state border moved 1 km (west) to 3 km (east) off ours."""
    held_m = project(held, TO_M)
    outline_m = project(shapely.boundary(ukraine()), TO_M)
    xmin, ymin, xmax, ymax = outline_m.bounds
    bands = []
    for km, (west, east) in ((1, (xmin, 0.0)), (2, (0.0, 250_000.0)), (3, (250_000.0, xmax))):
        strip = shapely.box(west, ymin - 1e5, east, ymax + 1e5)
        bands.append(shapely.intersection(shapely.buffer(outline_m, km * 1000), strip))
    band = shapely.union_all(bands)
    if inward:
        # Sources draw islands and border strips too: a part the band would erase whole is
        # kept as it is (a missing island is another matter, and stays Ukrainian).
        parts = []
        for part in shapely.get_parts(held_m):
            trimmed = shapely.difference(part, band)
            parts.append(trimmed if shapely.area(trimmed) > 0.5 * shapely.area(part) else part)
        moved = shapely.union_all(parts)
    else:  # outwards: their land runs on into the sea and into Russia
        beyond = shapely.difference(band, project(ukraine(), TO_M))
        moved = shapely.union(held_m, shapely.intersection(beyond, shapely.buffer(held_m, 3000)))
    return shapely.make_valid(project(moved, TO_DEG))


def write_line(path: Path, geometry: shapely.Geometry) -> Path:
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geometry)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


@pytest.fixture(scope="module")
def shipped_line() -> territory.Snapshot:
    return territory.snapshot("2025-08-08")


@pytest.fixture(scope="module", params=["inward", "outward"])
def foreign_line(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shipped_line
) -> territory.Snapshot:
    moved = offset_outline(shipped_line.russia, inward=request.param == "inward")
    path = write_line(tmp_path_factory.mktemp("line") / f"{request.param}.geojson", moved)
    return territory.read_snapshot(path, date="2025-08-08")


def test_crimea_and_sevastopol_stay_wholly_russian_held(foreign_line) -> None:
    shares = foreign_line.shares()
    assert shares.loc["UA-43", "russia_share"] == pytest.approx(1.0, abs=1e-6)
    assert shares.loc["UA-40", "russia_share"] == pytest.approx(1.0, abs=1e-6)


def test_no_region_changes_by_more_than_the_front_ends(foreign_line, shipped_line) -> None:
    # Where the front meets the coast or border the offset band also moves the front by
    # 1-3 km: a few km² at most in a region, never the hundreds the band covers.
    ours = shipped_line.shares()["russia_km2"]
    theirs = foreign_line.shares()["russia_km2"]
    assert (theirs - ours).abs().max() < 15


def test_nothing_changes_hands_where_nothing_changed(foreign_line) -> None:
    change = territory.diff(
        territory.resolve("status-quo", foreign_line),
        territory.resolve("us-russia-draft", foreign_line),
    ).by_region.set_index("region")
    for untouched in ("UA-43", "UA-40", "UA-23", "UA-65"):
        moved = change["to_russia_km2"].get(untouched, 0.0)
        assert moved == 0.0, untouched


def test_line_of_contact_runs_only_along_the_front(foreign_line, shipped_line) -> None:
    ours = territory.line_of_contact(shipped_line)["length_km"].iloc[0]
    theirs = territory.line_of_contact(foreign_line)["length_km"].iloc[0]
    assert theirs == pytest.approx(ours, abs=25)


def test_what_was_reassigned_is_recorded_per_region(foreign_line) -> None:
    if foreign_line.reconciled_km2:  # outward offsets leave nothing to reassign
        assert set(foreign_line.reconciled_km2) >= {"UA-43", "UA-40"}
        assert foreign_line.reconciled_km2["UA-43"] > 100
    assert all(km2 > 0 for km2 in foreign_line.reconciled_km2.values())


def test_the_inward_line_needed_reconciling(tmp_path: Path, shipped_line) -> None:
    moved = offset_outline(shipped_line.russia, inward=True)
    path = write_line(tmp_path / "inward.geojson", moved)
    raw = territory.read_snapshot(path, reconcile_outlines=False)
    assert raw.shares().loc["UA-43", "russia_share"] < 0.99  # the fault this module mends
    assert territory.line_of_contact(raw)["length_km"].iloc[0] > 1500


# --- the rules one by one, on boxes -------------------------------------------------------

LAND = shapely.box(30.0, 46.0, 32.0, 48.0)  # the coast is the box's edge


def test_a_real_enclave_inside_the_front_stays() -> None:
    held = shapely.difference(
        shapely.box(30.5, 46.5, 31.5, 47.5), shapely.box(31.0, 47.0, 31.1, 47.1)
    )
    out = reconcile(held, shapely.Polygon(), LAND)
    assert out.reassigned.is_empty
    assert area_km2(shapely.difference(LAND, out.russia)) > area_km2(LAND) - area_km2(held) - 1


def test_a_small_hole_behind_the_front_is_filled() -> None:
    hole = shapely.box(31.0, 47.0, 31.01, 47.01)
    assert area_km2(hole) < POCKET_KM2
    held = shapely.difference(shapely.box(30.5, 46.5, 31.5, 47.5), hole)
    out = reconcile(held, shapely.Polygon(), LAND)
    assert area_km2(out.reassigned) == pytest.approx(area_km2(hole), rel=1e-6)


def test_a_pocket_on_the_coast_goes_to_the_side_around_it() -> None:
    # Held ground along the whole southern coast, drawn 5 km inland at one place.
    held = shapely.difference(
        shapely.box(29.0, 45.0, 33.0, 46.6), shapely.box(30.8, 45.9, 31.2, 46.05)
    )
    out = reconcile(shapely.intersection(held, LAND), shapely.Polygon(), LAND)
    assert shapely.covers(out.russia, shapely.box(30.8, 46.0, 31.2, 46.05))


def test_an_island_that_borders_no_held_ground_stays() -> None:
    island = shapely.box(30.2, 45.5, 30.3, 45.6)
    land = shapely.union(LAND, island)
    out = reconcile(shapely.box(30.5, 47.0, 31.0, 48.0), shapely.Polygon(), land)
    assert not shapely.intersects(out.russia, island)


def test_a_pocket_in_the_grey_zone_goes_to_the_grey_zone() -> None:
    hole = shapely.box(31.0, 47.0, 31.01, 47.01)
    grey = shapely.difference(shapely.box(30.9, 46.9, 31.1, 47.1), hole)
    held = shapely.difference(
        shapely.box(30.5, 46.5, 31.5, 47.5), shapely.box(30.9, 46.9, 31.1, 47.1)
    )
    out = reconcile(held, grey, LAND)
    assert shapely.covers(out.contested, hole)


def test_the_corner_where_the_front_meets_the_coast_stays_ukrainian() -> None:
    # The front comes down to the coast at 45 degrees: the acute corner of Ukrainian-held
    # ground beside it is thin near its tip, but open to the mainland along its side.
    held = shapely.Polygon([(31.0, 46.0), (32.0, 46.0), (32.0, 47.0)])
    out = reconcile(held, shapely.Polygon(), LAND)
    assert area_km2(out.reassigned) < 0.01


# --- ground of many parts: the same as the plain GEOS operations ----------------------------


def test_ground_with_thousands_of_holes_shrinks_as_buffer_shrinks_it() -> None:
    outer = shapely.box(0, 0, 100_000, 100_000)
    rng = np.random.default_rng(3)
    corners = rng.uniform(5_000, 95_000, (1_500, 2))
    holes = [shapely.box(x, y, x + 400, y + 400).exterior.coords for x, y in corners]
    pierced = shapely.make_valid(shapely.Polygon(outer.exterior.coords, holes))
    assert shapely.get_num_interior_rings(shapely.get_parts(pierced)).sum() >= MANY_PARTS
    ours, plain = _eroded(pierced, 2_000.0), shapely.buffer(pierced, -2_000.0)
    assert shapely.symmetric_difference(ours, plain).area < 1.0  # m², of 1.2e9
    assert ours.area == pytest.approx(plain.area, rel=1e-9)


def test_touching_through_a_tree_of_parts_is_the_same() -> None:
    held = union_of(squares(3000))
    probes = squares(400, seed=2, side=0.004)
    shapely.prepare(held)
    plain = shapely.intersects(probes, held) | shapely.dwithin(probes, held, 1e-7)
    assert _touching(probes, held).tolist() == plain.tolist()
