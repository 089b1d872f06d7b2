"""The shares date after date (territory.chain): a unit's km² of held ground of many parts,
measured part by part, as the whole."""

from __future__ import annotations

import pytest
import shapely

import territory
from territory.chain import unit_km2 as _unit_km2
from territory.geodesy import areas_km2
from territory.geometry import MANY_PARTS, union_of

from .synthetic import squares


def test_a_unit_is_measured_part_by_part_as_the_whole() -> None:
    held = union_of(squares(3000))
    assert shapely.get_num_geometries(held) >= MANY_PARTS
    units = territory.regions().geometry.to_numpy()
    whole = areas_km2([shapely.intersection(unit, held) for unit in units])
    assert _unit_km2(held) == pytest.approx(whole, abs=1e-6)
    assert (whole > 0).sum() >= 3  # the squares cross several units' edges
