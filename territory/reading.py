"""Reading any file OGR reads (and DeepState's JSON, KMZ, gzip, a zip of one file) into one
frame of features, with the checks every reader shares: one clear line for what cannot be read."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj.exceptions
import shapely

from territory.dated import PARSED, Pick, read_picked
from territory.errors import InputFileError
from territory.history import date_of_unix
from territory.limits import MAX_POLYGONS
from territory.progress import Progress, step
from territory.unpack import unpacked

__all__ = ["read_frame"]


def _ogr_errors() -> tuple[type[Exception], ...]:
    """What OGR raises on a file it cannot read (pyogrio is imported on first use: reading
    the shipped data does not need it)."""
    import pyogrio.errors

    return (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FeatureError,
        pyogrio.errors.FieldError,
        pyogrio.errors.GeometryError,
        pyogrio.errors.CRSError,
        pyproj.exceptions.CRSError,
    )


_GEOJSON_TYPES = frozenset(
    {"FeatureCollection", "Feature", "Polygon", "MultiPolygon", "GeometryCollection"}
    | {"Point", "MultiPoint", "LineString", "MultiLineString"}
)
_KML_DRIVERS = frozenset({"KML", "LIBKML"})
_NON_POLYGON_LAYER_TYPES = ("Point", "LineString", "MultiPoint", "MultiLineString")
_SNIFF_BYTES = 4096
#: JSON up to this size is looked at in Python (for the API wrapper and clear errors);
#: larger files (archives of many dates) go to OGR's streaming reader as they are.
_PY_JSON_BYTES = 16 * 2**20
# The head of DeepState's API wrapper, ``{"id": <unix s>, "map": ...``: enough to date a
# wrapper too large to parse in Python (OGR finds the features inside it by itself).
_WRAPPER_HEAD = re.compile(rb'^\s*\{\s*"id"\s*:\s*(\d{9,13})\s*,\s*"map"\s*:')


def read_frame(
    path: Path, layer: str | None, pick: Pick | None = None, progress: Progress | None = None
) -> tuple[gpd.GeoDataFrame, str, dt.date | None]:
    """All features of the file (or of the layers to read), OGR's driver, and a date the
    content gives (DeepState's API wrapper carries the map's id, in unix seconds).
    ``progress`` is told of :data:`~territory.dated.PARSED` steps as the file is read.

    Refused when it holds more polygons than the limit (``TERRITORY_MAX_POLYGONS``)."""
    frame, driver, given_date = _read_features(path, layer, pick, progress)
    count = int(shapely.get_num_geometries(frame.geometry.values).sum())
    too_many = MAX_POLYGONS.problem(count, "polygons")
    if too_many is not None:
        raise InputFileError(path, too_many)
    return frame, driver, given_date


def _read_features(
    path: Path, layer: str | None, pick: Pick | None = None, progress: Progress | None = None
) -> tuple[gpd.GeoDataFrame, str, dt.date | None]:
    told = 0

    def tell(steps: int) -> None:
        nonlocal told
        told += steps
        step(progress, steps)

    frame, driver, given_date = _read_any(path, layer, pick, tell if progress else None)
    step(progress, PARSED - told)  # what OGR read, in one go
    return frame, driver, given_date


def _read_any(
    path: Path, layer: str | None, pick: Pick | None, progress: Progress | None
) -> tuple[gpd.GeoDataFrame, str, dt.date | None]:
    with unpacked(path) as plain:
        head = _head(plain)
        source: str | bytes = str(plain)
        given_date = None
        is_json = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))
        if is_json and layer is None:
            # An archive of many dates in the community layout: only the dates asked for.
            picked = read_picked(plain, pick or _every_date, progress)
            if picked is not None:
                return picked, "GeoJSON", None
        if is_json:
            unwrapped, given_date = _checked_json(plain, path)
            source = unwrapped if unwrapped is not None else source
        if isinstance(source, str) and ";" in source and plain.is_file():
            # OGR cuts a path at ";" (it reads "a;b.geojson" as "a"): hand it the bytes instead.
            source = plain.read_bytes()
        try:
            if isinstance(source, bytes) or (is_json and layer is None):
                # JSON holds one layer: no need to list layers (each listing is a pass).
                frame = _read_layer(source, None)
                driver = "Esri JSON" if _is_esri(head) else "GeoJSON"
                return frame, driver, given_date
            frame, driver = _read_layers(source, path, layer)
            return frame, driver, given_date
        except _ogr_errors() as error:
            problem = f"not a geodata file OGR can read ({_one_line(error)})"
            raise InputFileError(path, problem) from None


def _every_date(dates: list[dt.date]) -> list[dt.date]:
    return dates


def _head(path: Path) -> bytes:
    if path.is_dir():  # a File Geodatabase or a folder of shapefiles: OGR decides
        return b""
    with path.open("rb") as stream:
        return stream.read(_SNIFF_BYTES)


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    if len(text) <= 160:
        return text
    return text[:160].rsplit(" ", 1)[0].rstrip(",;:") + " ..."


def _checked_json(plain: Path, path: Path) -> tuple[bytes | None, dt.date | None]:
    """Fail early, with a clear message, on JSON files that are not geodata.

    Returns the map of DeepState's API wrapper (``{"id": ..., "map": {...}}``) as bytes for
    OGR, with the wrapper's date; ``(None, None)`` for any other geodata, which OGR reads
    from the file as it is. Files too large to look at in Python go to OGR unlooked-at.
    ``plain`` is the file to read, ``path`` the name errors give.
    """
    with plain.open("rb") as stream:
        raw = stream.read(_PY_JSON_BYTES + 1)
    if len(raw) > _PY_JSON_BYTES:
        wrapper = _WRAPPER_HEAD.match(raw[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf"))
        return None, _stamp_date(int(wrapper.group(1)), path) if wrapper else None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text, as GeoJSON must be") from None
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # one feature per line (GeoJSONSeq): OGR reads it
            return None, None
        raise InputFileError(path, f"not valid JSON ({error})") from None
    except RecursionError:
        raise InputFileError(path, "JSON nested too deeply to be geodata") from None
    if isinstance(data, dict) and isinstance(data.get("map"), dict):
        wrapped = data["map"]
        if _is_geodata_json(wrapped):
            stamp = data.get("id")
            date = _stamp_date(stamp, path) if isinstance(stamp, int | float) else None
            return json.dumps(wrapped).encode("utf-8"), date
    if not _is_geodata_json(data):
        raise InputFileError(path, "JSON but not GeoJSON (no FeatureCollection or geometry)")
    return None, None


def _stamp_date(stamp: float, path: Path) -> dt.date:
    """The date of a DeepState map id (unix seconds, or milliseconds)."""
    try:
        return date_of_unix(stamp)
    except ValueError as problem:
        raise InputFileError(path, f"map 'id': {problem}") from None


def _is_esri(head: bytes) -> bool:
    return b'"geometryType"' in head or b'"spatialReference"' in head


def _is_geodata_json(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if data.get("type") in _GEOJSON_TYPES or data.get("type") == "Topology":
        return True
    # Esri JSON (ArcGIS REST "f=json"): OGR reads it.
    return "features" in data and ("geometryType" in data or "spatialReference" in data)


def _read_layers(source: str, path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, str]:
    import pyogrio

    listed = pyogrio.list_layers(source)
    names = [str(row[0]) for row in listed]
    if not names:
        raise InputFileError(path, "no layers")
    if layer is not None and layer not in names:
        raise InputFileError(path, f"no layer {layer!r}; layers: {', '.join(names)}")
    driver = str(pyogrio.read_info(source, layer=layer or names[0])["driver"])
    if layer is not None:
        chosen = [layer]
    else:
        chosen = [str(n) for n, kind in listed if not _holds_no_polygons(kind)] or names[:1]
    frames = [f for f in (_read_layer(source, n) for n in chosen) if _has_polygons(f)]
    if not frames:
        return _read_layer(source, chosen[0]), driver
    if driver not in _KML_DRIVERS and len(frames) > 1:
        warnings.warn(
            f"{path}: {len(frames)} layers hold polygons; reading the first. "
            "Pick one with layer=...",
            stacklevel=4,
        )
        frames = frames[:1]
    return _concat(frames), driver


def _holds_no_polygons(layer_type: object) -> bool:
    """True for layers OGR declares as points, lines or no geometry at all."""
    if layer_type is None:
        return True
    base = str(layer_type).replace("3D ", "").split(" ")[0]
    return base in _NON_POLYGON_LAYER_TYPES


def _read_layer(source: str | bytes, layer: str | None) -> gpd.GeoDataFrame:
    # Rings too short to be polygons become empty rows (with a warning), not an exception.
    where = io.BytesIO(source) if isinstance(source, bytes) else source
    with warnings.catch_warnings():
        # NaN coordinates make shapely warn as it reads them; they are refused just after.
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        # Bytes read in memory have no file name, so GDAL misses the .gpkg extension.
        warnings.filterwarnings("ignore", ".*non conformant file extension", RuntimeWarning)
        try:
            frame = gpd.read_file(where, layer=layer, engine="pyogrio", on_invalid="warn")
        except ValueError:  # an impossible date (2025-02-30): read dates as text, to name it
            if isinstance(where, io.BytesIO):
                where.seek(0)
            frame = gpd.read_file(
                where, layer=layer, engine="pyogrio", on_invalid="warn", DATE_AS_STRING=True
            )
    return frame if frame.crs is not None else frame.set_crs(4326)


def _has_polygons(frame: gpd.GeoDataFrame) -> bool:
    kinds = frame.geometry.geom_type.dropna()
    return bool(kinds.isin(["Polygon", "MultiPolygon", "GeometryCollection"]).any())


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    if len(frames) == 1:
        return frames[0]
    same_crs = [f.to_crs(frames[0].crs) for f in frames]
    return gpd.GeoDataFrame(pd.concat(same_crs, ignore_index=True), crs=frames[0].crs)
