"""Step: sketch a settlement on the page, price it live, export it as a scenario file.

The page draws with Leaflet-Geoman, clips with polygon-clipping and measures with
GeographicLib's JavaScript port (the algorithm of pyproj's ``Geod``), all three inlined from
``static/vendor/`` (see its SOURCES.md). This step gives the page what the price needs, as
shapes of the map's shared table: each unit's outline, and the ground Russia holds and the
ground that is contested in it on the page's line; and every town with its pre-war
population, at the point where :func:`territory.places_within` tests it.

Each drawn shape is a sub-area rule: its control (``russia``, ``ukraine``, ``contested`` or
``keep``), recognition and whether it is demilitarised. A shape over several units becomes
one rule per unit, all naming the shape's feature in one ``sketch.geojson`` file
(``area = { file = "sketch.geojson", feature = "shape-1" }``); later shapes are drawn over
earlier ones, as later sub-area rules are.
"""

from __future__ import annotations

import base64
import functools
import gzip
from typing import Any

import geopandas as gpd
import shapely

from territory._places import anchors, local_name, places
from territory._regions import units
from territory._snapshots import Snapshot
from territory.render.assets import runtime_text
from territory.render.base import TerritoryMap
from territory.render.element import RawHTML, RuntimeCall, guard_script
from territory.render.safe import js_literal
from territory.words import word

__all__ = ["add_sketch", "sketch_assets"]

#: The inlined libraries, in load order: gzip-compressed and base64-encoded in the page
#: (410 KB of JavaScript become 126 KB), unpacked by the browser's DecompressionStream.
_LIBRARIES = (
    "vendor/leaflet-geoman.min.js",
    "vendor/polygon-clipping.min.js",
    "vendor/geographiclib-geodesic.min.js",
)


@functools.cache
def _packed(name: str) -> str:
    data = runtime_text(name).encode("utf-8")
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def sketch_assets() -> RawHTML:
    """The drawing, clipping and measuring libraries (packed) and the sketch runtime.

    Examples
    --------
    >>> text = sketch_assets().render()
    >>> text.count("<script>"), "Territory.sketch = " in text, "H4sI" in text
    (2, True, True)
    """
    packed = js_literal([_packed(name) for name in _LIBRARIES])
    parts = [
        f"<style>{guard_script(runtime_text('vendor/leaflet-geoman.css'))}</style>",
        f"<style>{guard_script(runtime_text('sketch.css'))}</style>",
        f"<script>Territory.kit.packed = {packed};</script>",
        f"<script>{guard_script(runtime_text('sketch.js'))}</script>",
    ]
    return RawHTML("\n".join(parts) + "\n", name="SketchAssets")


def _shape(m: TerritoryMap, geometry: shapely.Geometry) -> int | None:
    return None if geometry is None or geometry.is_empty else m.shapes.add(geometry)


def add_sketch(
    m: TerritoryMap, snap: Snapshot, zones: gpd.GeoDataFrame, *, lang: str = "en"
) -> RuntimeCall:
    """Step: the sketch tools, priced against ``zones`` (the line itself: the status-quo
    scenario resolved on ``snap``).

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> from territory import resolve, snapshot
    >>> step = add_sketch(base_map(), snapshot("2025-08-08"), resolve("status-quo"))
    >>> donetsk = next(r for r in step.payload["regions"] if r["code"] == "UA-14")
    >>> donetsk["not_ukraine"] is not None, len(step.payload["towns"]) > 200
    (True, True)
    """
    table = units()
    regions = []
    for code, name, name_uk, geometry in zip(
        table["iso"], table["name"], table["name_uk"], table.geometry, strict=True
    ):
        mine = zones[zones["region"] == code]
        now = mine["control_now"]
        # What can pass to Russia (all but Russian-held), and what to Ukraine (all but
        # Ukrainian-held), as the zones' change column counts them: one overlay per shape.
        regions.append(
            {
                "code": str(code),
                "name": local_name(name, name_uk, lang),
                "shape": m.shapes.add(geometry),
                "russia": _shape(m, mine[now == "russia"].geometry.union_all()),
                "not_russia": _shape(m, mine[now != "russia"].geometry.union_all()),
                "not_ukraine": _shape(m, mine[now != "ukraine"].geometry.union_all()),
            }
        )
    towns = places(kinds=("town",))
    points = anchors(towns)
    payload: dict[str, Any] = {
        "regions": regions,
        "towns": [
            [
                local_name(row.name, row.name_uk, lang),
                str(row.name),
                str(row.region),
                int(row.population or 0),
                round(float(point.y), 5),
                round(float(point.x), 5),
            ]
            for row, point in zip(towns.itertuples(), points, strict=True)
        ],
        "line": snap.date.isoformat() if snap.date else snap.name,
        "lang": lang,
        "title": word("sketch_title", lang),
    }
    step = RuntimeCall("sketch", payload)
    m.add_child(step)
    return step
