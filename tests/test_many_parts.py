"""Inputs of thousands of polygons take their own, quicker paths: the same ground as the
plain overlays, the same numbers as a whole snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

import territory
from territory.chain import unit_km2 as _unit_km2
from territory.geodesy import areas_km2
from territory.geometry import MANY_PARTS, union_of
from territory.reconcile import _eroded, _touching
from territory.series import held_km2
from territory.validate import validate


def squares(count: int, seed: int = 1, side: float = 0.01) -> np.ndarray:
    """Small squares strewn over the east and south, many of them overlapping."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(35.5, 38.5, count), rng.uniform(47.0, 49.0, count)
    return shapely.box(x, y, x + side, y + side)


def test_union_of_many_is_the_plain_union() -> None:
    boxes = squares(3000)
    merged, plain = union_of(boxes), shapely.union_all(boxes)
    assert shapely.is_valid(merged)
    assert shapely.symmetric_difference(merged, plain).area < 1e-12
    assert shapely.get_num_geometries(merged) == shapely.get_num_geometries(plain) > 1000


def test_a_unit_is_measured_part_by_part_as_the_whole() -> None:
    held = union_of(squares(3000))
    assert shapely.get_num_geometries(held) >= MANY_PARTS
    units = territory.regions().geometry.to_numpy()
    whole = areas_km2([shapely.intersection(unit, held) for unit in units])
    assert _unit_km2(held) == pytest.approx(whole, abs=1e-6)
    assert (whole > 0).sum() >= 3  # the squares cross several units' edges


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


def test_validate_reports_a_many_polygon_file_as_its_snapshot(tmp_path: Path) -> None:
    boxes = squares(2500)
    features = [
        {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(box))}
        for box in boxes
    ]
    path = tmp_path / "many.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    history = territory.read_history(path)
    russia, contested, reconciled = held_km2(history.frames[None])
    snap = history.snapshot()
    shares = snap.shares()
    assert russia.sum() == pytest.approx(shares["russia_km2"].sum(), abs=0.01)
    assert contested.sum() == pytest.approx(shares["contested_km2"].sum(), abs=0.01)
    assert reconciled == snap.reconciled_km2
    line = validate(path)[0]
    assert f"{shares['russia_km2'].sum():,.0f} km² Russian-held" in line


def test_a_band_along_a_line_of_many_pieces_is_the_plain_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Islands of held ground make a line of contact of thousands of rings: buffered piece
    by piece (GEOS, buffering it whole, took 24 GB for 20,000 islands), the same band."""
    import territory._resolve as resolve_module

    frame = territory.read_history(_many_file(tmp_path, 1500)).snapshot()
    assert shapely.get_num_geometries(frame.contact) >= resolve_module.MANY_PARTS
    ours = resolve_module.band_along_line(frame, 5)
    monkeypatch.setattr(resolve_module, "MANY_PARTS", 10**9)
    plain = resolve_module.band_along_line(frame, 5)
    assert shapely.symmetric_difference(ours, plain).area < 1e-9
    assert ours.area == pytest.approx(plain.area, rel=1e-9)


def _many_file(folder: Path, count: int) -> Path:
    features = [
        {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(box))}
        for box in squares(count, side=0.004)
    ]
    path = folder / f"many-{count}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_geodesic_areas_are_pyproj_s_to_the_bit() -> None:
    """All coordinates are read at once, each ring measured by pyproj as its own loop does."""
    from territory.geodesy import WGS84

    snap = territory.snapshot("2025-08-08")
    geometries = [*snap.by_region.geometry, *territory.regions().geometry, *squares(500)]
    geometries += [None, shapely.Polygon(), shapely.MultiPolygon()]
    geometries += [shapely.GeometryCollection([shapely.box(30, 50, 31, 51), shapely.Point(1, 1)])]
    theirs = [
        0.0 if g is None or g.is_empty else abs(WGS84.geometry_area_perimeter(g)[0]) / 1e6
        for g in geometries
    ]
    assert areas_km2(geometries).tolist() == theirs
