"""The committed corpus (``tests/corpus``): one small file per kind of input, read end to end.

The files are synthetic, written by ``tests/corpus/make.py`` in the shapes real sources use;
the first test checks that they are what the script writes, so they can always be rebuilt.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import pytest
import shapely

import territory
from territory._regions import ukraine
from territory.geodesy import area_km2

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _maker() -> Any:
    spec = importlib.util.spec_from_file_location("corpus_make", CORPUS / "make.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _maker()
DONETSK, ZAPORIZHZHIA, GREY = (
    shapely.box(*b) for b in (make.DONETSK, make.ZAPORIZHZHIA, make.GREY)
)
SIX_DAYS_GROWTH = shapely.box(
    make.DONETSK[0], make.DONETSK[1], make.DONETSK[2] + 0.1, make.DONETSK[3]
)


def test_the_committed_corpus_is_what_make_py_writes(tmp_path: Path) -> None:
    make.write(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(
        p.name for p in CORPUS.iterdir() if p.name not in {"make.py", "README.md"} and p.is_file()
    )
    assert written == committed
    for name in written:
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


# A box's geodesic area depends a little on how many vertices its edges carry (a long edge
# between two corners is a geodesic; cut into steps it follows the parallel): 0.01% on these
# boxes 0.4 degrees wide, which clipping and tagging cut into steps.
REL = 3e-4


def clipped_km2(boxes: list[shapely.Geometry]) -> float:
    return area_km2(shapely.intersection(shapely.union_all(boxes), ukraine())) if boxes else 0.0


# file, Russian-held, contested, date
LINES = [
    ("api-last.json", [DONETSK, ZAPORIZHZHIA], [GREY], dt.date(2025, 8, 8)),
    ("map_2023-05-19.geojson", [DONETSK], [GREY], dt.date(2023, 5, 19)),
    ("archive-3-dates.geojson.gz", [SIX_DAYS_GROWTH], [], dt.date(2025, 8, 8)),
    ("arcgis_20250808.geojson", [DONETSK, ZAPORIZHZHIA], [], dt.date(2025, 8, 8)),
    ("front.kml", [DONETSK, ZAPORIZHZHIA], [], None),
    ("front.kmz", [DONETSK, ZAPORIZHZHIA], [], None),
]


@pytest.mark.parametrize(("name", "russia", "contested", "date"), LINES)
def test_each_front_line_reads_to_the_ground_it_draws(
    name: str, russia: list, contested: list, date: dt.date | None, run
) -> None:
    snap = territory.read_snapshot(CORPUS / name)
    assert snap.date == date
    assert area_km2(snap.russia) == pytest.approx(clipped_km2(russia), rel=REL)
    assert area_km2(snap.contested) == pytest.approx(clipped_km2(contested), rel=REL, abs=1e-6)
    result = run("validate", str(CORPUS / name))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{CORPUS / name}: ok, front line")


def test_the_scenario_file_reads_its_sub_area_from_beside_it(run) -> None:
    plant_zone = shapely.box(34.50, 47.40, 34.75, 47.60)
    zones = territory.resolve(territory.scenario("corpus-plan", CORPUS / "scenario.toml"))
    returned = zones[zones["control_now"] != zones["control_after"]]
    assert set(returned["region"]) == {"UA-23"}
    held_there = area_km2(shapely.intersection(territory.snapshot().russia, plant_zone))
    assert returned["area_km2"].sum() == pytest.approx(held_there, rel=1e-3)
    result = run("scenarios", "--scenarios", str(CORPUS / "scenario.toml"))
    assert result.exit_code == 0 and "corpus-plan" in result.stdout


@pytest.mark.parametrize(
    ("command", "name", "problem"),
    [
        ("validate", "bad-deep.json", "nested too deeply"),
        ("validate", "bad-nan.geojson", "not numbers (NaN or infinite)"),
        ("validate", "bad-not-geodata.json", "JSON but not GeoJSON"),
        ("scenarios", "bad-scenario.toml", "unknown region 'Atlantis'"),
    ],
)
def test_each_bad_file_is_one_line_and_exit_1(command: str, name: str, problem: str, run) -> None:
    path = CORPUS / name
    args = (
        ("scenarios", "--scenarios", str(path)) if command == "scenarios" else (command, str(path))
    )
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"territory: error: {path}: ")
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1
