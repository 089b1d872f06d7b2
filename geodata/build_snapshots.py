"""Build the control snapshots shipped in ``geodata/snapshots/`` from their recipe.

Run from the repository root::

    python geodata/build_snapshots.py

Reads ``geodata/recipes/front_lines.toml`` and writes one GeoJSON FeatureCollection per
snapshot date (``geodata/snapshots/<date>.geojson``). Each part of a recipe is one of:

- ``regions``: whole first-level units (Crimea, Sevastopol);
- ``line`` plus ``close``: a line of contact drawn from outside Ukraine across it and out
  again, closed through points far away in Russia or at sea; the polygon it bounds is the
  held area;
- ``polygon``: a small closed ring (border strips);
- ``same_as``: the parts of an earlier snapshot with the same ``held_since``.

``within`` keeps a part inside the listed units. The parts are rounded to five decimals,
then clipped to Ukraine and reconciled with its outline (``territory.reconcile``); the 2022
parts lose whatever the 2014 parts already cover. See ``geodata/SNAPSHOTS.md`` for the method
and its accuracy.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import geopandas as gpd
import shapely

from territory import Snapshot, make_snapshot, regions

HERE = Path(__file__).resolve().parent
RECIPE = HERE / "recipes" / "front_lines.toml"
OUTPUT = HERE / "snapshots"
#: The source as readers see it on pages and figures (the method is in SNAPSHOTS.md).
SOURCE = "territory, drawn from public reports of which towns each side held"
SOURCE_UK = "territory, за публічними повідомленнями про те, які міста утримувала кожна сторона"
GRID = 1e-5  # five decimals, about a metre


def _units(codes: list[str]) -> shapely.Geometry:
    frame = regions()
    return shapely.union_all(frame[frame["region"].isin(codes)].geometry.values)


def _ring(points: list[list[float]]) -> shapely.Geometry:
    return shapely.make_valid(shapely.Polygon([tuple(p) for p in points]))


def part_geometry(part: dict, built: dict[str, Snapshot]) -> shapely.Geometry:
    """The area one recipe part describes, before clipping to Ukraine."""
    if "regions" in part:
        shape = _units(part["regions"])
    elif "line" in part:
        shape = _ring(part["line"] + part["close"])
    elif "polygon" in part:
        shape = _ring(part["polygon"])
    elif "same_as" in part:
        areas = built[part["same_as"]].areas
        shape = shapely.union_all(areas[areas["held_since"] == part["held_since"]].geometry)
    else:
        raise ValueError(f"recipe part {part.get('name')!r} has no geometry")
    if "within" in part:
        shape = shapely.intersection(shape, _units(part["within"]))
    return shape


def build(entry: dict, built: dict[str, Snapshot]) -> Snapshot:
    """One snapshot from its recipe entry; ``built`` holds the snapshots built before it.

    The recipe's parts are put on the five-decimal grid before they are clipped and
    reconciled, not after: rounding the clipped result would lift the points where the
    line crosses the border off the border, and leave hairline "Ukrainian" slivers there.
    """
    parts = entry["part"]
    shapes = [part_geometry(p, built) for p in parts]
    frame = gpd.GeoDataFrame(
        {
            "control": ["russia"] * len(parts),
            "held_since": [p["held_since"] for p in parts],
        },
        geometry=shapely.make_valid(shapely.set_precision(shapes, GRID)),
        crs=4326,
    )
    return make_snapshot(frame, date=entry["date"], name=entry["date"], source=SOURCE)


def to_geojson(snap: Snapshot, entry: dict) -> str:
    """The snapshot as a FeatureCollection with a top-level ``snapshot`` member."""
    collection = json.loads(snap.areas.to_json(drop_id=True))
    collection.pop("bbox", None)
    for feature in collection["features"]:
        feature.pop("bbox", None)
    meta = {
        "date": entry["date"],
        "source": SOURCE,
        "method": " ".join(entry["method"].split()),
        "accuracy": " ".join(entry["accuracy"].split()),
        "uk": {"source": SOURCE_UK, "accuracy": " ".join(entry["accuracy_uk"].split())},
        "reconciled_km2": snap.reconciled_km2,
    }
    ordered = {"type": "FeatureCollection", "snapshot": meta, "features": collection["features"]}
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    recipe = tomllib.loads(RECIPE.read_text(encoding="utf-8"))
    OUTPUT.mkdir(exist_ok=True)
    built: dict[str, Snapshot] = {}
    for entry in recipe["snapshot"]:
        snap = build(entry, built)
        built[entry["date"]] = snap
        path = OUTPUT / f"{entry['date']}.geojson"
        path.write_text(to_geojson(snap, entry), encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
