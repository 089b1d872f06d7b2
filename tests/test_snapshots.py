"""territory._snapshots: a snapshot cut by Ukraine's units, without the specks of the cut."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

import territory
from territory._snapshots import SPECK_KM2, _ukrainian
from territory.geodesy import WGS84, area_km2
from territory.geometry import Repeats

from .synthetic import pushed_in_donetsk


def test_hairlines_along_held_ground_go_and_islands_stay() -> None:
    island = shapely.box(31.5, 48.0, 31.502, 48.002)  # about 0.03 km², apart from held ground
    unit = shapely.MultiPolygon([shapely.box(30, 48, 31, 49), island])
    held = shapely.box(30, 48.000001, 31, 48.5)  # leaves a strip 0.1 m wide along the edge
    strip = shapely.box(30, 48, 31, 48.000001)
    assert area_km2(strip) < SPECK_KM2 and area_km2(island) < SPECK_KM2
    rest = _ukrainian(unit, held)
    parts = sorted(shapely.get_parts(rest), key=area_km2)
    assert len(parts) == 2
    assert shapely.equals(parts[0], island)
    assert shapely.equals(parts[1], shapely.box(30, 48.5, 31, 49))


def _own_coast(held: shapely.Geometry) -> shapely.Geometry:
    """Held ground drawn on a source's own coast and border, as real maps are: vertices
    every 1.5 km or so, each moved by up to about 50 m."""

    def wobble(xy: np.ndarray) -> np.ndarray:
        shift = np.column_stack([np.sin(xy[:, 1] * 90), np.cos(xy[:, 0] * 90)])
        return xy + 0.0005 * shift

    return shapely.make_valid(shapely.transform(shapely.segmentize(held, 0.014), wobble))


def test_the_zones_meet_along_the_line_of_contact_and_nowhere_else() -> None:
    """On a map drawn on its own coast and border, no Ukrainian-held piece under 0.1 km²
    is left by the cut into units, and the edge between the two sides' zones is the line
    of contact (within 3%), not the line and hairlines along the coast."""
    drawn = _own_coast(territory.snapshot("2025-08-08").russia)
    frame = gpd.GeoDataFrame(geometry=[drawn], crs=4326)
    snap = territory.make_snapshot(frame, date="2025-08-08", name="drawn", source="a test")
    pieces = snap.by_region
    ukrainian = pieces[pieces["control"] == "ukraine"]
    small = [p for g in ukrainian.geometry for p in shapely.get_parts(g) if area_km2(p) < 0.1]
    assert small == []
    zones = territory.resolve("status-quo", snap)
    sides = [
        shapely.union_all(zones[mask].geometry.to_numpy())
        for mask in (zones["control_after"] == "ukraine", zones["control_after"] != "ukraine")
    ]

    def length(geometry: shapely.Geometry) -> float:
        return WGS84.geometry_length(shapely.boundary(geometry)) / 1000

    edge = (length(sides[0]) + length(sides[1]) - length(shapely.union(*sides))) / 2
    line = float(territory.line_of_contact(snap)["length_km"].iloc[0])
    assert abs(edge - line) < 0.03 * line


def test_pieces_by_region_are_those_of_the_date_alone_after_another_date(monkeypatch) -> None:
    """Overlays kept from the date before are taken only where the ground is the same,
    vertex for vertex: a date's pieces by region are those it gives on its own."""
    from territory import _snapshots

    later, first, second = pushed_in_donetsk()
    before = first.by_region
    after_first = second.by_region
    monkeypatch.setattr(_snapshots, "_REPEATS", Repeats())  # nothing kept: the date alone
    alone = second.without_pieces().by_region
    assert after_first.to_wkb().equals(alone.to_wkb())
    again = territory.make_snapshot(later, date="2025-08-15", name="b", source="test")
    assert again.reconciled_km2 == second.reconciled_km2  # what reconciling gave away, too
    assert again.areas.to_wkb().equals(second.areas.to_wkb())
    donetsk = alone[alone["region"] == "UA-14"]
    assert not donetsk.to_wkb().equals(before[before["region"] == "UA-14"].to_wkb())
