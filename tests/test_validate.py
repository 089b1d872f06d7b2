"""What ``territory validate`` (territory.validate) says a file holds, in a few lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely

import territory
from territory.series import held_km2
from territory.validate import validate

from .synthetic import squares


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
