"""Read front-line files from other sources into :class:`~territory.snapshots.Snapshot` s.

Users bring newer data than we ship, in the layouts the public sources use:

- daily merged files of Russian-held territory (one MultiPolygon, no properties);
- raw map exports of KML origin, as GeoJSON: unit markers (points, ignored) and
  polygons whose ``name`` ends in a key such as ``status.occupied`` (see :data:`NAME_KEYS`);
- assessed-control polygons exported from ArcGIS as GeoJSON, KML or KMZ;
- anything else OGR reads (GeoPackage, Shapefile, KML, FlatGeobuf...), optionally with a
  ``control``/``status`` and a ``held_since`` column.

The format is found from the content, not the file name. Every problem a file can have
ends in one :class:`~territory.errors.InputFileError` naming the file and the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pyproj.exceptions
import shapely

from territory.errors import InputFileError, TerritoryError
from territory.regions import ukraine
from territory.snapshots import Snapshot, make_snapshot

__all__ = ["NAME_KEYS", "date_from_file_name", "name_key", "read_snapshot"]

#: What a key at the end of a feature's ``name`` means: ``(control, held_since)``, or
#: None for polygons to leave out (``status.dismissed`` marks ground Ukraine took back).
#: An empty ``held_since`` is decided later from the pre-invasion snapshot.
NAME_KEYS: dict[str, tuple[str, str] | None] = {
    "status.occupied": ("russia", ""),
    "status.unknown": ("contested", ""),
    "status.dismissed": None,
    "territories.ordlo": ("russia", "2014"),
    "territories.crimea": ("russia", "2014"),
    "territories.tuzla": ("russia", "2014"),
}

# Values of a ``control`` or ``status`` column, compared after casefolding and trimming.
_CONTESTED_VALUES = frozenset(
    (
        "contested",
        "grey",
        "gray",
        "grey zone",
        "gray zone",
        "greyzone",
        "grayzone",
        "grey_zone",
        "gray_zone",
        "status.unknown",
    )
)
_UKRAINIAN_VALUES = frozenset(
    ("ukraine", "ukrainian", "liberated", "dismissed", "status.dismissed")
)
_CONTROL_COLUMNS = ("control", "status")

_OGR_ERRORS = (
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
# In a zip, a KML file is the map (KMZ); otherwise the first member OGR reads by extension.
_ZIP_MEMBER_SUFFIXES = (".kml", ".shp", ".gpkg", ".geojson", ".json", ".fgb", ".gml")
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_SNIFF_BYTES = 4096


def read_snapshot(
    path: str | Path,
    *,
    date: dt.date | str | None = None,
    name: str | None = None,
    tag_2014_from: Snapshot | None = None,
    layer: str | None = None,
    reconcile_outlines: bool = True,
) -> Snapshot:
    """Read a file of Russian-held (and contested) territory as a normalised snapshot.

    The layout is recognised from the content: a feature ``name`` ending in a key of
    :data:`NAME_KEYS` decides each polygon's status; otherwise a ``control`` or
    ``status`` column may mark polygons ``contested`` (or ``ukraine``/``liberated``, left
    out); every other polygon is Russian-held. A ``held_since`` column is honoured (a year
    before 2022 counts as ``2014``). Points and lines are ignored. A declared CRS is
    honoured; without one, coordinates are taken as lon/lat (EPSG:4326). Invalid polygons
    are repaired, with a warning, before the polygons are clipped to Ukraine and merged
    by :func:`~territory.snapshots.make_snapshot`.

    Parameters
    ----------
    path : str or Path
        GeoJSON, KML, KMZ, GeoPackage, Shapefile, FlatGeobuf or anything else OGR reads.
    date : datetime.date or str, optional
        The date the data describes (``YYYY-MM-DD``). By default the first date found in
        the file name (``..._20250808.geojson``, ``2025-08-08.kmz``), else None.
    name : str, optional
        The snapshot's name; by default the file name.
    tag_2014_from : Snapshot, optional
        Where Russian-held parts without a ``held_since`` take their ``2014`` tag from;
        by default the shipped pre-invasion snapshot.
    layer : str, optional
        The one layer to read. By default KML reads all its folders, other formats their
        first layer that holds polygons (with a warning when there are several).
    reconcile_outlines : bool
        Give the artefacts of the source's own coast and border to the side around them
        (see :mod:`territory.reconcile`). On by default; off only to inspect a raw file.

    Returns
    -------
    Snapshot

    Raises
    ------
    InputFileError
        The file is missing, is not geodata, holds no features or no polygons, has
        coordinates that are not lon/lat, or holds nothing inside Ukraine.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from territory.geodesy import area_km2
    >>> ring = [[37.8, 47.8], [38.2, 47.8], [38.2, 48.2], [37.8, 48.2], [37.8, 47.8]]
    >>> feature = {
    ...     "type": "Feature",
    ...     "properties": {"held_since": "2022"},
    ...     "geometry": {"type": "Polygon", "coordinates": [ring]},
    ... }
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "front_2025-08-08.geojson"
    ...     _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    ...     snap = read_snapshot(path)
    >>> snap.name, snap.date
    ('front_2025-08-08.geojson', datetime.date(2025, 8, 8))
    >>> snap.areas[["control", "held_since"]].values.tolist()
    [['russia', '2022']]
    >>> round(area_km2(snap.russia))
    1328
    """
    path = Path(path)
    when = _snapshot_date(date, path)
    frame, driver = _read_frame(path, layer)
    polygons = _repaired(_in_lon_lat(_polygon_rows(frame, path), path), path)
    labelled, layout = _labelled(polygons, path)
    _check_inside_ukraine(labelled, path)
    snap = make_snapshot(
        labelled,
        date=when,
        name=name if name is not None else path.name,
        source=f"{path.name} ({driver}; {layout})",
        tag_2014_from=tag_2014_from,
        reconcile_outlines=reconcile_outlines,
    )
    if snap.areas.empty:
        raise InputFileError(path, "no polygon lies inside Ukraine")
    return snap


def date_from_file_name(file_name: str) -> dt.date | None:
    """The first year-month-day date in a file name, or None.

    Year first only, with ``-``, ``_``, ``.`` or nothing between the parts: a day-first
    date is ambiguous, and the tool never guesses which line a file shows.

    Examples
    --------
    >>> date_from_file_name("deepstatemap_data_20250808.geojson")
    datetime.date(2025, 8, 8)
    >>> date_from_file_name("front 2024-11-30 v2.kmz")
    datetime.date(2024, 11, 30)
    >>> date_from_file_name("export_123456789.geojson") is None
    True
    """
    for match in _DATE_IN_NAME.finditer(file_name):
        year, _, month, day = match.groups()
        try:
            found = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        if 1991 <= found.year <= 2100:
            return found
    return None


def _snapshot_date(date: dt.date | str | None, path: Path) -> dt.date | None:
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    if date is None:
        return date_from_file_name(path.name)
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise TerritoryError(f"invalid date {date!r}: expected YYYY-MM-DD") from None


# --- reading ---------------------------------------------------------------------------


def _read_frame(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, str]:
    """All features of the file (or of the layers to read), and the OGR driver's name."""
    if not path.exists():
        raise InputFileError(path, "file not found")
    head = _head(path)
    source = str(path)
    if head.startswith(b"PK\x03\x04"):
        source = _zip_member_source(path)
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        _check_json_is_geodata(path)
    try:
        return _read_layers(source, path, layer)
    except _OGR_ERRORS as error:
        problem = f"not a geodata file OGR can read ({_one_line(error)})"
        raise InputFileError(path, problem) from None


def _head(path: Path) -> bytes:
    if path.is_dir():  # a File Geodatabase or a folder of shapefiles: OGR decides
        return b""
    with path.open("rb") as stream:
        return stream.read(_SNIFF_BYTES)


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 160 else text[:157] + "..."


def _zip_member_source(path: Path) -> str:
    """A /vsizip/ path to the map inside a zip (KMZ, or a zipped shapefile and the like)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if not m.endswith("/")]
    except zipfile.BadZipFile:
        raise InputFileError(path, "damaged zip archive") from None
    for suffix in _ZIP_MEMBER_SUFFIXES:
        chosen = [m for m in members if m.lower().endswith(suffix)]
        if chosen:
            return f"/vsizip/{path.resolve()}/{chosen[0]}"
    raise InputFileError(path, "zip archive holds no KML or other geodata file")


def _check_json_is_geodata(path: Path) -> None:
    """Fail early, with a clear message, on JSON files that are not geodata."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text, as GeoJSON must be") from None
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # one feature per line (GeoJSONSeq): OGR reads it
            return
        raise InputFileError(path, f"not valid JSON ({error})") from None
    if not _is_geodata_json(data):
        raise InputFileError(path, "JSON but not GeoJSON (no FeatureCollection or geometry)")


def _is_geodata_json(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if data.get("type") in _GEOJSON_TYPES or data.get("type") == "Topology":
        return True
    # Esri JSON (ArcGIS REST "f=json"): OGR reads it.
    return "features" in data and ("geometryType" in data or "spatialReference" in data)


def _read_layers(source: str, path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, str]:
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


def _read_layer(source: str, layer: str) -> gpd.GeoDataFrame:
    # Rings too short to be polygons become empty rows (with a warning), not an exception.
    frame = gpd.read_file(source, layer=layer, engine="pyogrio", on_invalid="warn")
    return frame if frame.crs is not None else frame.set_crs(4326)


def _has_polygons(frame: gpd.GeoDataFrame) -> bool:
    kinds = frame.geometry.geom_type.dropna()
    return bool(kinds.isin(["Polygon", "MultiPolygon", "GeometryCollection"]).any())


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    if len(frames) == 1:
        return frames[0]
    same_crs = [f.to_crs(frames[0].crs) for f in frames]
    return gpd.GeoDataFrame(pd.concat(same_crs, ignore_index=True), crs=frames[0].crs)


# --- geometry checks -----------------------------------------------------------------------


def _polygon_rows(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """One 2-D polygon per row; points, lines and empty geometries dropped."""
    if frame.empty:
        raise InputFileError(path, "no features")
    present = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    parts = present.explode(index_parts=False)
    polygons = parts[parts.geom_type == "Polygon"]
    if polygons.empty:
        found = sorted(set(parts.geom_type.dropna())) or ["no geometry"]
        raise InputFileError(path, f"no polygons (found {', '.join(found)})")
    flat = shapely.force_2d(polygons.geometry.to_numpy())
    return polygons.set_geometry(gpd.GeoSeries(flat, index=polygons.index, crs=polygons.crs))


def _in_lon_lat(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326, refusing coordinates that cannot be lon/lat."""
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        try:
            frame = frame.to_crs(4326)
        except pyproj.exceptions.ProjError as error:
            raise InputFileError(path, f"cannot reproject to lon/lat ({error})") from None
    xmin, ymin, xmax, ymax = frame.total_bounds
    inside = -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90
    if not (np.isfinite([xmin, ymin, xmax, ymax]).all() and inside):
        problem = "coordinates outside lon/lat range; projected data without a CRS?"
        raise InputFileError(path, problem)
    return frame


def _repaired(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """The frame with invalid polygons (self-intersections...) made valid, with a warning."""
    geometries = frame.geometry.to_numpy()
    invalid = ~shapely.is_valid(geometries)
    if not invalid.any():
        return frame
    warnings.warn(f"{path}: repaired {int(invalid.sum())} invalid polygon(s)", stacklevel=3)
    fixed = geometries.copy()
    fixed[invalid] = shapely.make_valid(geometries[invalid])
    return frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))


def _check_inside_ukraine(frame: gpd.GeoDataFrame, path: Path) -> None:
    geometries = frame.geometry.to_numpy()
    border = ukraine()
    if shapely.intersects(geometries, border).any():
        return
    swapped = shapely.transform(geometries, lambda xy: xy[:, ::-1])
    if shapely.intersects(swapped, border).any():
        raise InputFileError(path, "lat/lon appear swapped (x looks like latitude)")
    raise InputFileError(path, "no polygon lies inside Ukraine")


# --- what each polygon means -----------------------------------------------------------------


def _labelled(frame: gpd.GeoDataFrame, path: Path) -> tuple[gpd.GeoDataFrame, str]:
    """``control``, ``held_since`` and geometry of the polygons to keep, and the layout used."""
    names = _name_column(frame)
    if names is not None and names.astype(str).str.contains("///", regex=False).any():
        labels = _labels_from_name_keys(names, frame.geometry, path)
        layout = "status from name keys"
    else:
        labels = _labels_from_columns(frame)
        layout = _column_layout(frame)
    labelled = gpd.GeoDataFrame(
        labels.assign(geometry=frame.geometry.to_numpy()), geometry="geometry", crs=4326
    )
    kept = labelled[labelled["control"].notna()]
    if kept.empty:
        raise InputFileError(path, "no polygon marks Russian-held or contested ground")
    return kept.reset_index(drop=True), layout


def _name_column(frame: gpd.GeoDataFrame) -> pd.Series | None:
    for column in frame.columns:
        if str(column).lower() == "name" and column != frame.geometry.name:
            return frame[column].fillna("")
    return None


def name_key(name: str) -> str:
    """The key at the end of a ``"<Ukrainian> /// <English> /// <key>"`` name, normalised.

    Spaces of any kind (non-breaking, thin, zero-width), newlines and case are ignored.

    Examples
    --------
    >>> name_key("Окупована територія /// Occupied\\u00a0territory ///\\n status.occupied ")
    'status.occupied'
    >>> name_key("ОРДЛО///ORDLO///Territories. ORDLO")
    'territories.ordlo'
    """
    tail = unicodedata.normalize("NFKC", name).rsplit("///", 1)[-1]
    visible = "".join(c for c in tail if not c.isspace() and unicodedata.category(c) != "Cf")
    return visible.casefold()


def _labels_from_name_keys(names: pd.Series, geometries: gpd.GeoSeries, path: Path) -> pd.DataFrame:
    keys = names.astype(str).map(name_key)
    meanings = keys.map(lambda key: NAME_KEYS.get(key))
    known = keys.isin(list(NAME_KEYS))
    _warn_unknown_keys(keys[~known], geometries[~known], path)
    return pd.DataFrame(
        {
            "control": [m[0] if m else None for m in meanings],
            "held_since": [m[1] if m else "" for m in meanings],
        },
        index=names.index,
    )


def _warn_unknown_keys(keys: pd.Series, geometries: gpd.GeoSeries, path: Path) -> None:
    """Warn once about unknown keys on polygons inside Ukraine; those outside need no word."""
    touching = shapely.intersects(geometries.to_numpy(), ukraine())
    unknown = sorted(set(keys[touching]))
    if unknown:
        listed = ", ".join(repr(k) for k in unknown)
        warnings.warn(f"{path}: skipped polygons with unknown key(s) {listed}", stacklevel=5)


def _labels_from_columns(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    column = _control_column(frame)
    statuses = frame[column] if column else pd.Series(None, index=frame.index, dtype=object)
    held = _column(frame, "held_since")
    return pd.DataFrame(
        {
            "control": statuses.map(_control_from_value),
            "held_since": held.map(_held_since_tag) if held is not None else "",
        },
        index=frame.index,
    )


def _column(frame: gpd.GeoDataFrame, wanted: str) -> pd.Series | None:
    for column in frame.columns:
        if str(column).lower() == wanted and column != frame.geometry.name:
            return frame[column]
    return None


def _control_column(frame: gpd.GeoDataFrame) -> str | None:
    for wanted in _CONTROL_COLUMNS:
        column = _column(frame, wanted)
        if column is not None:
            return str(column.name)
    return None


def _column_layout(frame: gpd.GeoDataFrame) -> str:
    column = _control_column(frame)
    return f"status from column {column!r}" if column else "every polygon Russian-held"


def _control_from_value(value: object) -> str | None:
    """``russia`` unless the value says contested (or Ukrainian: None, left out)."""
    text = "" if value is None or pd.isna(value) else str(value).strip().casefold()
    if text in _CONTESTED_VALUES:
        return "contested"
    if text in _UKRAINIAN_VALUES:
        return None
    return "russia"


def _held_since_tag(value: object) -> str:
    """``2014`` for any year before 2022, ``2022`` from then on, empty when there is no year."""
    if value is None or pd.isna(value):
        return ""
    match = re.match(r"\s*(\d{4})", str(value))
    if not match:
        return ""
    return "2014" if int(match.group(1)) < 2022 else "2022"
