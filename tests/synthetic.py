"""Inputs the tests build for themselves, shared by several test files: small squares, and
front-line files in the shapes the public sources really use, written here byte by byte.

The shapes follow public parsers and published samples of each source (DeepState's API
responses and map exports, the daily archive of its merged maps): wrappers, key prefixes and
suffixes, non-breaking spaces, 3-D coordinates, GeometryCollections, points and arrows, stray
polygons, several dates per file. No third-party data is used: every polygon is a box drawn
here.

Imported relatively (``from .synthetic import squares``; ``from ..synthetic import ...``
under tests/e2e/), which pytest's importlib import mode allows. Not a test file: it holds no
tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from territory._regions import ukraine
from territory._snapshots import Snapshot, make_snapshot
from territory.geodesy import area_km2


def squares(count: int, seed: int = 1, side: float = 0.01) -> np.ndarray:
    """Small squares strewn over the east and south, many of them overlapping."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(35.5, 38.5, count), rng.uniform(47.0, 49.0, count)
    return shapely.box(x, y, x + side, y + side)


# --- DeepState's raw maps -------------------------------------------------------------------

# Boxes inside Ukraine, and outside it.
DONETSK = shapely.box(37.6, 47.9, 38.2, 48.3)
ZAPORIZHZHIA = shapely.box(35.2, 46.7, 35.6, 47.0)
GREY = shapely.box(37.3, 47.9, 37.6, 48.2)  # west of DONETSK, touching it
ORDLO = shapely.box(38.4, 47.9, 38.9, 48.3)
LIBERATED = shapely.box(36.5, 49.5, 37.0, 49.8)  # Kharkiv oblast, taken back
CRIMEA = shapely.box(34.0, 45.0, 34.5, 45.3)
ARABIAN_SEA = shapely.box(64.49, 14.64, 64.6, 14.75)  # a stray ring, as seen in real maps
TRANSNISTRIA = shapely.box(29.4, 46.75, 29.6, 46.9)
PRUSSIA = shapely.box(20.5, 54.5, 21.5, 55.0)  # Kaliningrad: a satirical polygon
HELD_SINCE_2014 = shapely.box(38.3, 47.0, 40.5, 48.4)

MAP_ID = 1754682420  # 2025-08-08 22:47 Kyiv time (UTC+3), 19:47 UTC
TOLERANCE = 1e-3


def pre_invasion_line() -> Snapshot:
    """A synthetic pre-invasion line: Russia held HELD_SINCE_2014 since 2014."""
    held = gpd.GeoDataFrame(
        {"control": ["russia"], "held_since": ["2014"]}, geometry=[HELD_SINCE_2014], crs=4326
    )
    return make_snapshot(held, date="2022-02-23", name="synthetic", source="tests")


def clipped_km2(*geometries: shapely.Geometry) -> float:
    return area_km2(shapely.intersection(shapely.union_all(geometries), ukraine()))


def coordinates_3d(geometry: shapely.Geometry) -> Any:
    """GeoJSON coordinates with a 0 height on every point, as KML-born maps carry them."""
    return shapely.geometry.mapping(shapely.force_3d(geometry))["coordinates"]


def polygon_feature(geometry: shapely.Geometry, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": coordinates_3d(geometry)},
    }


def style(fill: str) -> dict[str, Any]:
    """KML style properties as DeepState's exports carry them."""
    return {
        "styleUrl": f"#poly-{fill.upper()}-1200-87-nodesc",
        "styleHash": "-58c4a6e3",
        "styleMapHash": {"normal": "#poly-x-normal", "highlight": "#poly-x-highlight"},
        "stroke": f"#{fill}",
        "stroke-opacity": 1,
        "stroke-width": 1.2,
        "fill": f"#{fill}",
        "fill-opacity": 0.30196078431372547,
    }


def point_feature(x: float, y: float, name: str, description: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "description": description, "icon-scale": 1},
        "geometry": {"type": "Point", "coordinates": [x, y, 0]},
    }


def raw_map_features() -> list[dict[str, Any]]:
    """A DeepState map of mid-2025: keys with the ``geoJSON.`` prefix, odd spacing."""
    nbsp = "\u00a0"
    return [
        point_feature(37.9, 48.0, "Unit", "1 ОМБр<br>///En: 1st brigade<br>{icon=headquarter}"),
        point_feature(37.7, 48.1, "Напрямок", "{icon=arrow_5}"),
        polygon_feature(
            DONETSK,
            name=f"Окупована територія /// Occupied{nbsp}/// geoJSON.status.occupied\n",
            **style("a52714"),
        ),
        polygon_feature(
            GREY,
            name=f"Статус невідомий /// Unknown status{nbsp}/// geoJSON.status.unknown\n",
            **style("bcaaa4"),
        ),
        polygon_feature(
            LIBERATED,
            name=f"Звільнено 25.03 /// Liberated 25.03{nbsp}/// "
            "geoJSON.status.dismissed_at {{at:27.03 - 29.03}}",
            **style("00ff00"),
        ),
        polygon_feature(
            ORDLO, name="ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo", **style("880e4f")
        ),
        polygon_feature(
            CRIMEA, name="Окупований Крим /// Occupied Crimea /// geoJSON.territories.crimea"
        ),
        polygon_feature(
            TRANSNISTRIA, name="ПМР /// Transnistria /// geoJSON.territories.transnistria"
        ),
        polygon_feature(
            PRUSSIA, name="Пруссія /// Prussia /// geoJSON.territories.prussia", **style("ff5252")
        ),
        {
            "type": "Feature",
            "properties": {"name": f"Окуповано /// Occupied{nbsp}/// geoJSON.status.occupied"},
            "geometry": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "coordinates": coordinates_3d(ZAPORIZHZHIA)},
                    {"type": "Point", "coordinates": [35.4, 46.8, 0]},
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"name": "Статус невідомий /// Unknown status"},
            "geometry": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "coordinates": coordinates_3d(ARABIAN_SEA)}],
            },
        },
    ]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **members, "features": features}


# --- several dates in one file --------------------------------------------------------------

DAYS = [dt.date(2024, 7, 8), dt.date(2024, 7, 9), dt.date(2025, 8, 8)]


def held_on(day: dt.date) -> shapely.Geometry:
    """A box that grows eastwards day by day, so that each date has its own area."""
    return shapely.box(37.6, 47.9, 38.0 + 0.05 * DAYS.index(day), 48.3)


def archive_features() -> list[dict[str, Any]]:
    """The daily archive as one file: a string ``id`` per feature, a ``date``, no crs."""
    return [
        {
            "id": str(i),
            "type": "Feature",
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(shapely.MultiPolygon([held_on(day)])),
        }
        for i, day in enumerate(reversed(DAYS))  # any order: sorted on reading
    ]


# --- one occupied square --------------------------------------------------------------------

SQUARE = shapely.box(37.8, 47.8, 38.2, 48.2)


def occupied(geometry: shapely.Geometry = SQUARE, **properties: Any) -> dict:
    """A feature of DeepState's raw maps marking ``geometry`` occupied, with ``properties``."""
    name = "Окупована /// Occupied /// geoJSON.status.occupied"
    return {
        "type": "Feature",
        "properties": {"name": name, **properties},
        "geometry": shapely.geometry.mapping(geometry),
    }


#: A DeepState map of one occupied square (property tests vary its id and its dates).
SQUARE_MAP = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "a /// b /// geoJSON.status.occupied"},
            "geometry": shapely.geometry.mapping(shapely.box(37.5, 47.5, 38.5, 48.5)),
        }
    ],
}


# --- scenario files ---------------------------------------------------------------------


def write_plan(folder: Path, rules: str) -> Path:
    """``plan.toml`` in ``folder``: one scenario, ``plan``, with the rules given (TOML)."""
    path = folder / "plan.toml"
    path.write_text(
        '[[scenario]]\nid = "plan"\ntitle = "A plan"\nsummary = "What it does."\n' + rules,
        encoding="utf-8",
    )
    return path


def many_scenarios(folder: Path, count: int) -> Path:
    """``many.toml`` in ``folder``: ``count`` scenarios that keep the line everywhere."""
    blocks = [
        f'[[scenario]]\nid = "s{i}"\ntitle = "t"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
        for i in range(count)
    ]
    path = folder / "many.toml"
    path.write_text("\n".join(blocks))
    return path


# --- two weeks of a front: the shipped line, then a push in Donetsk -------------------------


def pushed_in_donetsk() -> tuple[gpd.GeoDataFrame, Snapshot, Snapshot]:
    """The second week's map as drawn, and both weeks' snapshots: the shipped line of
    8 August 2025, then the same with a push in Donetsk (every other unit the same)."""
    from territory import snapshot

    base = snapshot("2025-08-08")
    pushed = gpd.GeoDataFrame(
        {"control": ["russia", "russia"], "held_since": ["", ""]},
        geometry=[base.russia, shapely.box(37.4, 48.3, 37.6, 48.45)],
        crs=4326,
    )
    first = make_snapshot(base.areas, date="2025-08-08", name="a", source="test")
    second = make_snapshot(pushed, date="2025-08-15", name="b", source="test")
    return pushed, first, second
