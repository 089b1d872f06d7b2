"""Each date from the one before (territory.chain): a unit's km² of held ground of many parts
measured part by part, as the whole; each date's snapshot the one it gives alone."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import mapping

import territory
from territory.chain import snapshots
from territory.geodesy import areas_km2
from territory.geometry import MANY_PARTS, union_of
from territory.measure import unit_km2 as _unit_km2

from .synthetic import squares


def test_a_unit_is_measured_part_by_part_as_the_whole() -> None:
    held = union_of(squares(3000))
    assert shapely.get_num_geometries(held) >= MANY_PARTS
    units = territory.regions().geometry.to_numpy()
    whole = areas_km2([shapely.intersection(unit, held) for unit in units])
    assert _unit_km2(held) == pytest.approx(whole, abs=1e-6)
    assert (whole > 0).sum() >= 3  # the squares cross several units' edges


def _own_coast(held: shapely.Geometry, phase: float = 0.0) -> shapely.Geometry:
    """Held ground drawn on a source's own coast and border, as real maps are: vertices
    every 1.5 km or so, each moved by up to about 50 m."""

    def wobble(xy):
        shift = np.column_stack([np.sin(xy[:, 1] * 90 + phase), np.cos(xy[:, 0] * 90 + phase)])
        return xy + 0.0005 * shift

    return shapely.make_valid(shapely.transform(shapely.segmentize(held, 0.014), wobble))


def test_each_snapshot_of_a_chain_is_that_date_built_alone(tmp_path) -> None:
    """A chain of real-shaped dates: a change inland, a repeated map, a change by the state
    border (where reconciliation works), and a map redrawn all over."""
    base = _own_coast(territory.snapshot("2025-08-08").russia)
    inland = shapely.union(base, shapely.box(37.3, 48.2, 37.6, 48.6))
    border = shapely.union(inland, shapely.box(36.85, 50.2, 37.05, 50.45))
    maps = [base, inland, inland, border, _own_coast(border, phase=1.0)]
    days = [dt.date(2025, 8, 1) + dt.timedelta(days=i) for i in range(len(maps))]
    features = [
        {"type": "Feature", "properties": {"date": d.isoformat()}, "geometry": mapping(g)}
        for d, g in zip(days, maps, strict=True)
    ]
    path = tmp_path / "archive.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    history = territory.read_history(path)
    chained = list(snapshots(history, days))
    assert sum(s.reconciled_km2.get("UA-63", 0) for s in chained) > 0  # artefacts by the border
    for day, snap in zip(days, chained, strict=True):
        alone = territory.read_history(path).snapshot(day)
        assert (snap.name, snap.date, snap.credit) == (alone.name, alone.date, alone.credit)
        assert snap.reconciled_km2 == alone.reconciled_km2
        for mine, theirs in zip(snap.areas.itertuples(), alone.areas.itertuples(), strict=True):
            assert (mine.control, mine.held_since) == (theirs.control, theirs.held_since)
            assert shapely.equals_exact(mine.geometry, theirs.geometry, 0), day


def test_a_map_repeated_polygon_for_polygon_is_the_date_before() -> None:
    import geopandas as gpd

    from territory.chain import chain

    held = territory.snapshot("2025-08-08").russia
    frame = gpd.GeoDataFrame({"control": ["russia"]}, geometry=[held], crs=4326)
    moved = frame.set_geometry([shapely.union(held, shapely.box(37.3, 48.2, 37.6, 48.6))])
    first, again, other = chain([frame, frame.copy(), moved], reconcile_outlines=True)
    assert (first[2], again[2], other[2]) == ("afresh", "same", "followed")
    assert np.array_equal(first[0], again[0]) and not np.array_equal(first[0], other[0])


def test_each_date_of_a_chain_measures_as_a_plain_reference(tmp_path) -> None:
    """Held ground drawn inland (far from any coast or border, so nothing is reconciled),
    changing from date to date: each date's km² in each unit, as the chain finds it from
    the date before's, against shapely's cut and pyproj's geodesic area, written here."""
    from pyproj import Geod

    from territory.chain import chained

    south = shapely.box(37.2, 47.9, 37.8, 48.4)  # Donetsk
    east = shapely.box(38.6, 48.6, 39.2, 49.0)  # across Donetsk's edge with Luhansk
    hole = shapely.box(37.4, 48.1, 37.5, 48.2)  # about 80 km², Ukrainian-held
    maps = [
        [south],
        [south, east],
        [south, east],  # the same map again
        [shapely.difference(south, hole), east],
        [shapely.affinity.translate(south, 0.05, 0.02), east],  # moved all over
    ]
    days = [dt.date(2025, 3, 1) + dt.timedelta(days=i) for i in range(len(maps))]
    features = [
        {"type": "Feature", "properties": {"date": d.isoformat()}, "geometry": mapping(g)}
        for d, polygons in zip(days, maps, strict=True)
        for g in polygons
    ]
    path = tmp_path / "archive.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    found = chained(territory.read_history(path), days)

    geod = Geod(ellps="WGS84")
    units = territory.regions().geometry.to_numpy()

    def km2(geometry: shapely.Geometry) -> float:
        oriented = shapely.orient_polygons(geometry)  # shells anticlockwise, holes clockwise
        parts = shapely.get_parts(oriented)
        return sum(geod.geometry_area_perimeter(part)[0] for part in parts) / 1e6

    for day, polygons, (russia, contested, _) in zip(days, maps, found, strict=True):
        held = shapely.union_all(polygons)
        expected = [km2(shapely.intersection(unit, held)) for unit in units]
        assert russia == pytest.approx(expected, abs=1e-6), day
        assert not contested.any()
    assert (np.array([f[0] for f in found]) > 0).sum(axis=1).tolist() == [1, 2, 2, 2, 2]


def test_workers_get_as_many_maps_to_compute() -> None:
    """Runs of consecutive dates cut where each holds as many maps to compute: a map that
    repeats the date before's costs nothing."""
    import geopandas as gpd

    from territory.chain import _even_runs

    def frame(east: float) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(geometry=[shapely.box(37.6, 47.9, east, 48.3)], crs=4326)

    maps = [frame(38.0), frame(38.1), frame(38.2)]
    maps += [frame(38.2) for _ in range(5)]  # five repeats: nothing to compute
    maps += [frame(38.3 + 0.01 * i) for i in range(3)]
    bounds = _even_runs(maps, 2)
    assert bounds == [0, 3, 11]  # three maps to compute in each run, not 5.5 dates
    assert _even_runs(maps[:1] + [maps[0]] * 7, 3) == [0, 1, 8]  # no empty run


def test_the_window_around_edits_covers_every_box() -> None:
    """The merged boxes of :func:`territory.chain._cover` hold every box given (the window
    is never smaller than the boxes' union), and are apart from each other (a valid
    multipolygon), on random sets of boxes that overlap, touch or stand apart."""
    from territory.chain import _cover

    rng = np.random.default_rng(11)
    for count in (1, 2, 7, 50, 200):
        xmin, ymin = rng.uniform(0, 10, count), rng.uniform(0, 10, count)
        xmax, ymax = xmin + rng.uniform(0.01, 1, count), ymin + rng.uniform(0.01, 1, count)
        cover = _cover(xmin, ymin, xmax, ymax)
        assert shapely.is_valid(cover)
        assert shapely.covers(cover, shapely.union_all(shapely.box(xmin, ymin, xmax, ymax)))
