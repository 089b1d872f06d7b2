"""Read front-line files from other sources into snapshots and histories.

Users bring newer data than we ship, in the layouts the public sources use:

- DeepState's raw maps, as its API returns them (``{"id": <unix s>, "map": {...}}``) or as
  a plain FeatureCollection: polygons named by key, label or fill colour (see
  :mod:`territory.labels`), unit markers and arrows (points, ignored), GeometryCollections,
  3-D coordinates, satirical polygons far outside Ukraine (dropped and counted);
- daily merged files of Russian-held territory (one MultiPolygon, no properties);
- multi-date archives (a ``date``, ``datetime`` or unix ``start`` per feature): a
  :class:`~territory.history.History`, never a merge;
- assessed-control polygons exported from ArcGIS as GeoJSON, Esri JSON, KML or KMZ;
- anything else OGR reads (GeoPackage, Shapefile, KML, FlatGeobuf...), optionally with a
  ``control``/``status`` and a ``held_since`` column;
- any of these gzip-compressed, or alone in a zip.

The format is found from the content, not the file name. Every problem a file can have
ends in one :class:`~territory.errors.InputFileError` naming the file and the problem.
Each foreign line is reconciled with our outlines (:mod:`territory.reconcile`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj.exceptions
import shapely

from territory._regions import ukraine
from territory._snapshots import Snapshot, shipped_snapshot
from territory.cores import cores, in_threads
from territory.dated import PARSED, Pick
from territory.errors import InputFileError, TerritoryError
from territory.fetch import CREDITS, fetch
from territory.geodesy import areas_km2
from territory.geometry import polygonal
from territory.history import History, date_of_unix, row_dates
from territory.labels import NAME_KEYS, label_rows, name_key
from territory.limits import MAX_VERTICES
from territory.progress import Progress, step
from territory.reading import read_frame
from territory.reference import LineRef

#: The steps :func:`read_history` reports in all: parsing the file, then checking it.
READ_STEPS = 100

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_UNIX_NAME = re.compile(r"^1[5-9]\d{8}$")  # DeepState names maps by id: unix seconds

__all__ = [
    "NAME_KEYS",
    "READ_STEPS",
    "date_from_file_name",
    "name_key",
    "read_area",
    "read_histories",
    "read_history",
    "read_snapshot",
    "snapshot",
]


def read_snapshot(
    path: str | Path | LineRef,
    *,
    date: dt.date | str | None = None,
    name: str | None = None,
    tag_2014_from: Snapshot | None = None,
    layer: str | None = None,
    reconcile_outlines: bool = True,
    offline: bool | None = None,
    progress: Progress | None = None,
) -> Snapshot:
    """Read a file of Russian-held (and contested) territory as a normalised snapshot.

    The layout is recognised from the content (see the module's notes and
    :mod:`territory.labels`). Points and lines are ignored. A declared CRS is honoured;
    without one, coordinates are taken as lon/lat (EPSG:4326). Invalid polygons are
    repaired, with a warning; polygons wholly outside Ukraine are dropped and counted in
    ``report``; the rest is clipped to Ukraine, merged and reconciled with our outlines by
    :func:`~territory.make_snapshot`.

    Parameters
    ----------
    path : str or Path
        GeoJSON (plain, DeepState's API wrapper, Esri JSON, one feature per line), KML,
        KMZ, GeoPackage, Shapefile, FlatGeobuf or anything else OGR reads; gzip-compressed
        or alone in a zip. Or a reference to fetch: ``deepstate:latest``,
        ``deepstate:YYYY-MM-DD``, ``archive``, ``archive:YYYY-MM-DD`` (see
        :mod:`territory.fetch`).
    date : datetime.date or str, optional
        For a file of several dates, the date to take (``YYYY-MM-DD``); by default the
        newest. For a file of one map, the date it describes; by default the date the file
        gives (DeepState's map id, a ``date`` column) or the first in its name
        (``..._20250808.geojson``), else None.
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
    offline : bool, optional
        For a reference: never touch the network (see :func:`~territory.fetch.fetch`).
    progress : callable, optional
        Told of the file read, as :func:`read_history` tells it.

    Returns
    -------
    Snapshot

    Raises
    ------
    InputFileError
        The file is missing, is not geodata, holds no features or no polygons, has
        coordinates that are not lon/lat, or holds nothing inside Ukraine.
    TerritoryError
        ``date`` is not a date the file holds.

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
    line = LineRef.readable(path, date=date)
    wanted = line.date
    history = read_history(
        line,
        name=name,
        tag_2014_from=tag_2014_from,
        layer=layer,
        reconcile_outlines=reconcile_outlines,
        offline=offline,
        pick=None if wanted is None else lambda held: [d for d in held if d == wanted],
        progress=progress,
    )
    if wanted is None and len(history.dates) > 1:
        warnings.warn(
            f"{line.name} holds {len(history.dates)} dates, {history.dates[0]} to "
            f"{history.newest}; using the newest, {history.newest} (pick one by its date: "
            "--date, or date=)",
            stacklevel=2,
        )
    snap = history.snapshot(wanted)
    if snap.areas.empty:
        raise InputFileError(line.name, "no polygon lies inside Ukraine")
    return snap


def snapshot(
    ref: str | Path | LineRef | Snapshot | None = None,
    *,
    date: dt.date | str | None = None,
    offline: bool | None = None,
    progress: Progress | None = None,
) -> Snapshot:
    """A snapshot by date (shipped), by file path (imported), fetched, or the newest shipped one.

    ``ref`` is parsed by :meth:`~territory.reference.LineRef.parse`, the one place that
    decides what a front-line reference is, for Python, scenario files and the command
    line's ``--line`` alike. ``"current"``, ``"latest"`` and ``None`` all mean the newest
    shipped snapshot. A date that falls between shipped snapshots is an error: the tool never
    guesses a line. For a file, ``date`` picks one of the dates it holds (by default the
    newest, with a warning when it holds several; see :func:`read_snapshot`), and only that
    date is parsed. A reference such as ``deepstate:latest`` or ``archive:2025-08-08``
    fetches the line (see :mod:`territory.fetch`; ``offline`` keeps to the cache). A
    finished ``Snapshot`` is returned as it is. ``progress`` is told of a file or a source
    read (see :func:`read_history`); a shipped line is not read.

    Examples
    --------
    >>> snapshot().name
    '2025-08-08'
    >>> snapshot("2022-02-23").date
    datetime.date(2022, 2, 23)
    """
    if isinstance(ref, Snapshot):
        return ref
    line = LineRef.parse(ref, date=date)
    if line.kind == "shipped":
        return shipped_snapshot(line.name)
    return read_snapshot(line, offline=offline, progress=progress)


def read_history(
    path: str | Path | LineRef,
    *,
    name: str | None = None,
    tag_2014_from: Snapshot | None = None,
    layer: str | None = None,
    reconcile_outlines: bool = True,
    offline: bool | None = None,
    pick: Pick | None = None,
    progress: Progress | None = None,
) -> History:
    """Read a front-line file as a history: one entry per date it holds, oldest first.

    A file of one map gives a history of one entry. A file whose features carry a ``date``
    (``"YYYY-MM-DD"`` or ISO time), a ``datetime`` or a unix ``start`` (see
    :data:`~territory.history.DATE_COLUMNS`) gives one entry per date, each built into a
    snapshot when it is first used. Features of several dates that no such column tells
    apart are an error, never a merge. The parameters are those of :func:`read_snapshot`,
    and ``pick``: given every date of a one-file archive, the dates to read (only those
    are parsed; see :mod:`territory.dated`). ``progress`` is told of :data:`READ_STEPS`
    steps in all as the file is read and checked (see :mod:`territory.progress`).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> def day(date, east):
    ...     ring = [[37.8, 47.8], [east, 47.8], [east, 48.2], [37.8, 48.2], [37.8, 47.8]]
    ...     geometry = {"type": "Polygon", "coordinates": [ring]}
    ...     return {"type": "Feature", "properties": {"date": date}, "geometry": geometry}
    >>> days = [day("2024-07-09", 38.3), day("2024-07-08", 38.2)]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "archive.geojson"
    ...     _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": days}))
    ...     history = read_history(path)
    >>> history.dates
    [datetime.date(2024, 7, 8), datetime.date(2024, 7, 9)]
    >>> history.snapshot().date
    datetime.date(2024, 7, 9)
    """
    line, credit = LineRef.readable(path), ""
    file = Path(line.name)
    if line.kind == "source":
        fetched = fetch(line.name, offline=offline)
        name = name if name is not None else line.name
        file, credit = fetched.path, fetched.credit
    frame, driver, given_date = read_frame(file, layer, pick, progress)
    polygons = _repaired(_in_lon_lat(_polygon_rows(frame, file), file), file)
    labels, layout, unknown = label_rows(polygons)
    if not credit and (layout.startswith("DeepState map") or given_date is not None):
        credit = CREDITS["deepstate"]  # its keys, labels or API wrapper: whatever the name
    try:
        date_column, dates = row_dates(polygons)
    except TerritoryError as problem:
        raise InputFileError(file, str(problem)) from None
    labelled = gpd.GeoDataFrame(
        labels.assign(date=dates, geometry=polygons.geometry.to_numpy()),
        geometry="geometry",
        crs=4326,
    ).reset_index(drop=True)
    _warn_unknown(labelled, unknown, file)
    kept = labelled[labelled["control"].notna()]
    if kept.empty:
        raise InputFileError(file, "no polygon marks Russian-held or contested ground")
    inside, outside = _split_at_border(kept, file)
    if date_column is None:
        _refuse_unlabelled_dates(inside, polygons, file)
    frames = _by_date(inside, date_column, given_date or _file_date(file), file)
    _check_vertices(frames, file)
    step(progress, READ_STEPS - PARSED)
    report = {
        "format": driver,
        "layout": layout,
        "date_column": date_column,
        "features": len(frame),
        "polygons": _polygon_counts(labelled),
        "outside_polygons": len(outside),
        "outside_km2": round(float(areas_km2(outside.geometry).sum()), 2),
    }
    return History(
        name=name if name is not None else file.name,
        source=f"{file.name} ({driver}; {layout})",
        frames=frames,
        tag_2014_from=tag_2014_from,
        reconcile_outlines=reconcile_outlines,
        report=report,
        credit=credit,
    )


def read_histories(
    paths: list[str | Path | LineRef] | tuple[str | Path | LineRef, ...],
    *,
    offline: bool | None = None,
    pick: Pick | None = None,
    progress: Progress | None = None,
) -> History:
    """One history from several files (or sources): the dates of all of them, oldest first.

    Each file gives its dates (a file of one map, the date of its name or content). Two files
    that hold the same date are an error: the tool never picks one line over another.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> ring = [[37.8, 47.8], [38.2, 47.8], [38.2, 48.2], [37.8, 48.2], [37.8, 47.8]]
    >>> feature = {"type": "Feature", "properties": {},
    ...            "geometry": {"type": "Polygon", "coordinates": [ring]}}
    >>> folder = Path(tempfile.mkdtemp())
    >>> for day in ("2025-08-01", "2025-08-08"):
    ...     _ = (folder / f"front_{day}.geojson").write_text(
    ...         json.dumps({"type": "FeatureCollection", "features": [feature]}))
    >>> read_histories(sorted(folder.glob("*.geojson"))).dates
    [datetime.date(2025, 8, 1), datetime.date(2025, 8, 8)]
    """
    lines = [LineRef.readable(path) for path in paths]
    if len(lines) == 1:
        return read_history(lines[0], offline=offline, pick=pick, progress=progress)
    frames: dict[dt.date | None, gpd.GeoDataFrame] = {}
    origin: dict[dt.date, str] = {}
    credits = []
    for index, line in enumerate(lines):
        history = read_history(line, offline=offline)
        # Of READ_STEPS in all, as many as this file's share of the files.
        step(progress, READ_STEPS * (index + 1) // len(lines) - READ_STEPS * index // len(lines))
        for day, frame in history.frames.items():
            if day is None:
                raise InputFileError(line, "no date in its content or name: pass one file alone")
            if day in origin:
                raise InputFileError(line, f"holds {day}, as {origin[day]} does: which one?")
            frames[day], origin[day] = frame, str(line)
        if history.credit and history.credit not in credits:
            credits.append(history.credit)
    ordered = dict(sorted(frames.items(), key=lambda item: item[0] or dt.date.min))
    return History(
        name=f"{len(paths)} files",
        # names, not the folders they sit in
        source=", ".join(Path(line.name).name for line in lines),
        frames=ordered,
        credit="; ".join(credits),
    )


def read_area(path: str | Path, feature: str | None = None) -> shapely.Geometry:
    """The union of the polygons of a file, in lon/lat: a sub-area of a scenario rule
    (with ``feature``: of those whose ``name`` property is ``feature`` only).

    Read like a front-line file (any format OGR reads, KMZ, gzip, a zip of one file), with
    the same checks: coordinates must be lon/lat or carry their CRS, and be numbers.

    Raises
    ------
    InputFileError
        The file cannot be read as geodata, or holds no polygon.
    """
    path = Path(path)
    frame, _, _ = read_frame(path, None)
    polygons = _repaired(_in_lon_lat(_polygon_rows(frame, path), path), path)
    if feature is not None:
        names = polygons.get("name")
        if names is None or not (names == feature).any():
            raise InputFileError(path, f"no polygon feature named {feature!r}")
        polygons = polygons[names == feature]
    union = polygonal(shapely.make_valid(shapely.union_all(polygons.geometry.values)))
    if union.is_empty:
        raise InputFileError(path, "holds no polygon")
    return union


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


def _file_date(path: Path) -> dt.date | None:
    """The date in a file's name: year-month-day, or a DeepState map id (unix seconds)."""
    found = date_from_file_name(path.name)
    if found is None:
        stem = path.name.split(".")[0]
        if _UNIX_NAME.match(stem):
            found = date_of_unix(int(stem))
    return found


# --- geometry checks -----------------------------------------------------------------------


def _polygon_rows(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """One 2-D polygon per row; points, lines and empty geometries dropped."""
    if frame.empty:
        raise InputFileError(path, "no features")
    geometries = frame.geometry.to_numpy()
    present = frame[~shapely.is_missing(geometries) & ~shapely.is_empty(geometries)]
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
    coordinates = shapely.get_coordinates(frame.geometry.to_numpy())
    if not np.isfinite(coordinates).all():
        problem = "coordinates that are not numbers (NaN or infinite)"
        raise InputFileError(path, problem)
    xmin, ymin, xmax, ymax = frame.total_bounds
    inside = -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90
    if not (np.isfinite([xmin, ymin, xmax, ymax]).all() and inside):
        problem = "coordinates outside lon/lat range; projected data without a CRS?"
        raise InputFileError(path, problem)
    return frame


def _repaired(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """The frame with invalid polygons (self-intersections...) made valid, with a warning."""
    geometries = frame.geometry.to_numpy()
    invalid = ~_valid(geometries)
    if not invalid.any():
        return frame
    warnings.warn(f"{path}: repaired {int(invalid.sum())} invalid polygon(s)", stacklevel=3)
    fixed = geometries.copy()
    fixed[invalid] = shapely.make_valid(geometries[invalid])
    return frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))


def _valid(geometries: np.ndarray) -> np.ndarray:
    """``shapely.is_valid``, on all the cores for many geometries (an archive's hundreds of
    maps)."""
    if len(geometries) < 64:
        return shapely.is_valid(geometries)
    return np.concatenate(in_threads(shapely.is_valid, np.array_split(geometries, cores())))


def _check_vertices(frames: dict[dt.date | None, gpd.GeoDataFrame], path: Path) -> None:
    """Refuse a map with more vertices than the limit: the work (and memory) of a snapshot
    grows with them. An archive's dates are counted one by one."""
    for day, rows in frames.items():
        vertices = int(shapely.get_num_coordinates(rows.geometry.to_numpy()).sum())
        what = f"vertices in the map of {day}" if day is not None else "vertices in the map"
        too_many = MAX_VERTICES.problem(vertices, what)
        if too_many is not None:
            raise InputFileError(path, too_many)


def _split_at_border(
    frame: gpd.GeoDataFrame, path: Path
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Polygons that reach into Ukraine, and those wholly outside it (dropped, counted)."""
    border = ukraine()
    shapely.prepare(border)
    geometries = frame.geometry.to_numpy()
    touching = shapely.intersects(border, geometries)
    if not touching.any():
        swapped = shapely.transform(geometries, lambda xy: xy[:, ::-1])
        if shapely.intersects(swapped, border).any():
            raise InputFileError(path, "lat/lon appear swapped (x looks like latitude)")
        raise InputFileError(path, "no polygon lies inside Ukraine")
    return frame[touching], frame[~touching]


def _warn_unknown(labelled: gpd.GeoDataFrame, unknown: list[str], path: Path) -> None:
    """Warn once about polygons of unknown meaning inside Ukraine; those outside need no word."""
    rows = [i for i, name in enumerate(unknown) if name]
    if not rows:
        return
    inside = shapely.intersects(labelled.geometry.to_numpy()[rows], ukraine())
    found = [unknown[i] for i, hit in zip(rows, inside, strict=True) if hit]
    names = sorted({name_key(name) if "///" in name else name for name in found})
    if names:
        listed = ", ".join(repr(n) for n in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        warnings.warn(f"{path}: skipped polygons of unknown meaning: {listed}{more}", stacklevel=4)


def _polygon_counts(labelled: gpd.GeoDataFrame) -> dict[str, int]:
    control = labelled["control"].fillna("left out").astype(str)
    return {str(k): int(v) for k, v in control.value_counts().sort_index().items()}


def _refuse_unlabelled_dates(
    kept: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, path: Path
) -> None:
    """Features of several dates that no date column tells apart must not be merged.

    The sign of such a file: features that cover the same ground many times over, and a
    column of several dates beside them. (An ``EditDate`` on features side by side, as ISW
    exports carry, is not that: those features do not overlap.)
    """
    if len(kept) < 2:
        return
    dated = [
        str(column)
        for column in polygons.columns
        if column != polygons.geometry.name
        and _looks_dated(str(column))
        and polygons[column].dropna().astype(str).nunique() > 1
    ]
    if not dated:
        return
    geometries = kept.geometry.to_numpy()
    union = shapely.union_all(geometries)  # costly on big files: only when dates are in view
    if float(shapely.area(geometries).sum()) < 1.5 * float(shapely.area(union)):
        return
    values = polygons[dated[0]].dropna().astype(str).nunique()
    raise InputFileError(
        path,
        f"features overlap and carry {values} different values in column {dated[0]!r}: "
        "several dates in one file? Name the date column 'date' (YYYY-MM-DD) to read it "
        "as a history",
    )


def _looks_dated(column: str) -> bool:
    lowered = column.lower()
    return any(word in lowered for word in ("date", "time", "day", "when"))


def _by_date(
    frame: gpd.GeoDataFrame,
    date_column: str | None,
    fallback: dt.date | None,
    path: Path,
) -> dict[dt.date | None, gpd.GeoDataFrame]:
    columns = ["control", "held_since", "geometry"]
    if date_column is None:
        return {fallback: frame[columns].reset_index(drop=True)}
    undated = frame["date"].isna()
    if undated.any():
        problem = f"{int(undated.sum())} polygon(s) have no {date_column!r} while others do"
        raise InputFileError(path, problem)
    # Sorted once by date, then each date a slice: an archive has hundreds of dates.
    days = frame["date"].to_numpy()
    order = np.argsort(days, kind="stable")
    rows, days = frame[columns].take(order), days[order]
    starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]]).tolist()
    frames = {}
    for start, end in itertools.pairwise([*starts, len(days)]):
        part = rows.iloc[start:end]
        part.index = pd.RangeIndex(end - start)
        frames[days[start]] = part
    return frames
