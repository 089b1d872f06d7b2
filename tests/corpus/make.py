"""Write the test corpus: one small file for each kind of input ``territory`` reads.

    python tests/corpus/make.py            # rewrites the files beside this script
    python tests/corpus/make.py OUTDIR     # writes them elsewhere (the tests compare)

Every file is synthetic: boxes and rings drawn here, in the exact shapes that real sources
use (see ../../README.md, "Bringing your own front line"). No third-party data is copied.
The output is deterministic (sorted keys where order is free, gzip and zip without
timestamps), so the committed files can be checked against a fresh run.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

# Boxes (lon/lat) inside the occupied south-east, each a few hundred km².
DONETSK = (37.60, 47.90, 38.00, 48.30)
ZAPORIZHZHIA = (35.20, 46.60, 35.60, 46.90)
GREY = (38.00, 48.00, 38.10, 48.30)
OUTSIDE = (60.0, 15.0, 61.0, 16.0)  # the Arabian Sea: dropped and counted
NBSP = "\u00a0"


def ring(box: tuple[float, float, float, float], height: bool = False) -> list[list[float]]:
    x0, y0, x1, y1 = box
    points = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return [p + [0] for p in points] if height else points


def polygon(box: tuple[float, float, float, float], **properties: Any) -> dict[str, Any]:
    """A feature as KML-born maps give it: 3-D coordinates, a zero height."""
    geometry = {"type": "Polygon", "coordinates": [ring(box, height=True)]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def api_last() -> bytes:
    """``GET /api/history/last``: the raw map under ``map``, the id in unix seconds."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": "Напрямок", "description": "{icon=arrow_5}"},
            "geometry": {"type": "Point", "coordinates": [37.7, 48.1, 0]},
        },
        polygon(
            DONETSK, name=f"Окупована територія /// Occupied{NBSP}/// geoJSON.status.occupied\n"
        ),
        polygon(
            GREY, name=f"Статус невідомий /// Unknown status{NBSP}/// geoJSON.status.unknown\n"
        ),
        {
            "type": "Feature",
            "properties": {"name": "Окуповано /// Occupied /// geoJSON.status.occupied"},
            "geometry": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "coordinates": [ring(ZAPORIZHZHIA, height=True)]},
                    {"type": "Point", "coordinates": [35.4, 46.8, 0]},
                ],
            },
        },
        polygon(OUTSIDE, name="Окуповано /// Occupied /// geoJSON.status.occupied"),
    ]
    wrapper = {"id": 1754682420, "map": collection(features), "datetime": "08.08 o 22:47"}
    return _json(wrapper)


def labels_2023() -> bytes:
    """A keyless map of 2023: status read from the English or Ukrainian label alone."""
    return _json(
        collection(
            [
                polygon(DONETSK, name="Окуповано /// Occupied\n"),
                polygon(GREY, name="Статус невідомий\n///\nUnknown status"),
            ]
        )
    )


def archive() -> bytes:
    """The community archive of daily merged maps: string ids, a ``date``, gzip."""
    days = ["2025-08-06", "2025-08-07", "2025-08-08"]
    features = []
    for i, day in enumerate(days):
        x0, y0, x1, y1 = DONETSK
        grown = (x0, y0, x1 + 0.05 * i, y1)
        geometry = {"type": "MultiPolygon", "coordinates": [[ring(grown)]]}
        features.append(
            {"id": str(i), "type": "Feature", "properties": {"date": day}, "geometry": geometry}
        )
    return _gzip(_json(collection(features)))


def edit_dates() -> bytes:
    """An ArcGIS-style export: each polygon with the date it was last edited (one map)."""
    return _json(
        collection(
            [
                polygon(DONETSK, OBJECTID=1, EditDate="2025-08-01"),
                polygon(ZAPORIZHZHIA, OBJECTID=2, EditDate="2025-08-06"),
            ]
        )
    )


def kml() -> bytes:
    placemarks = "".join(
        f"<Placemark><name>{name}</name><styleUrl>#poly-A52714-1200-87-nodesc</styleUrl>"
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y},0" for x, y in ring(box))
        + "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        for name, box in [("Occupied", DONETSK), ("Occupied", ZAPORIZHZHIA)]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>front</name>'
        f"{placemarks}</Document></kml>\n"
    ).encode()


def kmz() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("doc.kml", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, kml())
    return buffer.getvalue()


def scenario() -> bytes:
    """A user's scenario file, with a sub-area read from the file beside it."""
    return (
        b"# A synthetic plan: Russia withdraws from a box around Enerhodar.\n"
        b"[source]\n"
        b'outlet = "Test corpus"\n'
        b'date = "2025-08-08"\n'
        b'title = "A plan drawn for the tests"\n\n'
        b"[[scenario]]\n"
        b'id = "corpus-plan"\n'
        b'title = "Withdrawal from the plant"\n'
        b'summary = "Russia leaves a box around the plant; elsewhere the line holds."\n\n'
        b"[[scenario.rule]]\n"
        b'regions = "Zaporizhzhia"\n'
        b'control = "ukraine"\n'
        b'area = { file = "subarea.geojson" }\n'
        b'label = "Plant zone"\n\n'
        b"[[scenario.rule]]\n"
        b'regions = "*"\n'
        b'control = "keep"\n'
    )


def subarea() -> bytes:
    return _json(collection([polygon((34.50, 47.40, 34.75, 47.60), name="plant zone")]))


def bad_deep() -> bytes:
    """JSON nested 20,000 deep: must not break the reader's recursion."""
    return b"[" * 20_000 + b"]" * 20_000


def bad_nan() -> bytes:
    return (
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        b'"geometry": {"type": "Polygon", "coordinates": '
        b"[[[37.8, 47.8], [38.2, 47.8], [NaN, 48.2], [37.8, 47.8]]]}}]}\n"
    )


def bad_not_geodata() -> bytes:
    return _json({"name": "a list of towns", "towns": ["Kramatorsk", "Sloviansk"]})


def bad_scenario() -> bytes:
    return (
        b'[source]\noutlet = "Test corpus"\n\n[[scenario]]\nid = "corpus-bad"\ntitle = "t"\n'
        b'summary = "s"\n\n[[scenario.rule]]\nregions = "Atlantis"\ncontrol = "russia"\n'
    )


FILES = {
    "api-last.json": api_last,
    "map_2023-05-19.geojson": labels_2023,
    "archive-3-dates.geojson.gz": archive,
    "arcgis_20250808.geojson": edit_dates,
    "front.kml": kml,
    "front.kmz": kmz,
    "scenario.toml": scenario,
    "subarea.geojson": subarea,
    "bad-deep.json": bad_deep,
    "bad-nan.geojson": bad_nan,
    "bad-not-geodata.json": bad_not_geodata,
    "bad-scenario.toml": bad_scenario,
}


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode()


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
