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
