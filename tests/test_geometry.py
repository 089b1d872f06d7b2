"""Geometry helpers (territory.geometry): the union of thousands of polygons takes its own,
quicker path to the same ground as the plain union."""

from __future__ import annotations

import shapely

from territory.geometry import union_of

from .synthetic import squares


def test_union_of_many_is_the_plain_union() -> None:
    boxes = squares(3000)
    merged, plain = union_of(boxes), shapely.union_all(boxes)
    assert shapely.is_valid(merged)
    assert shapely.symmetric_difference(merged, plain).area < 1e-12
    assert shapely.get_num_geometries(merged) == shapely.get_num_geometries(plain) > 1000
