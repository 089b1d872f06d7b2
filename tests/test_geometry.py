"""Geometry helpers (territory.geometry): the union of thousands of polygons takes its own,
quicker path to the same ground as the plain union."""

from __future__ import annotations

import numpy as np
import shapely

from territory.geometry import Repeats, union_of

from .synthetic import squares


def test_union_of_many_is_the_plain_union() -> None:
    boxes = squares(3000)
    merged, plain = union_of(boxes), shapely.union_all(boxes)
    assert shapely.is_valid(merged)
    assert shapely.symmetric_difference(merged, plain).area < 1e-12
    assert shapely.get_num_geometries(merged) == shapely.get_num_geometries(plain) > 1000


def test_repeats_gives_a_kept_result_only_for_the_same_vertices() -> None:
    repeats, made = Repeats(), []

    def cut(a: shapely.Geometry, b: shapely.Geometry) -> shapely.Geometry:
        made.append((a, b))
        return shapely.difference(a, b)

    unit, held = shapely.box(0, 0, 2, 1), shapely.box(1, 0, 2, 1)
    first = repeats.of("unit", cut, unit, held)
    assert repeats.of("unit", cut, shapely.box(0, 0, 2, 1), shapely.box(1, 0, 2, 1)) is first
    # The same ground drawn from another vertex, or a vertex moved by one unit in the last
    # place: computed again (GEOS may give other bytes), and kept in its place.
    turned = shapely.Polygon([(1, 0), (2, 0), (2, 1), (1, 1), (1, 0)])
    assert shapely.equals(turned, held) and not shapely.equals_identical(turned, held)
    repeats.of("unit", cut, unit, turned)
    nudged = shapely.box(1, 0, 2, float(np.nextafter(1.0, 2.0)))
    repeats.of("unit", cut, unit, nudged)
    assert len(made) == 3
    assert repeats.of("unit", cut, unit, nudged) is not first and len(made) == 3
    # Another slot keeps its own.
    repeats.of("other", cut, unit, held)
    assert len(made) == 4


def test_repeats_keeps_the_slots_filled_last() -> None:
    repeats, made = Repeats(most=2), []

    def area(a: shapely.Geometry) -> float:
        made.append(a)
        return float(shapely.area(a))

    boxes = [shapely.box(0, 0, k, 1) for k in (1, 2, 3)]
    for slot, box in enumerate(boxes):
        repeats.of(slot, area, box)
    repeats.of(2, area, boxes[2])
    repeats.of(1, area, boxes[1])
    assert len(made) == 3  # slots 1 and 2 kept
    repeats.of(0, area, boxes[0])  # let go: computed again; slot 2, used before 1, goes
    repeats.of(1, area, boxes[1])
    assert len(made) == 4
    repeats.of(2, area, boxes[2])
    assert len(made) == 5
