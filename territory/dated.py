"""Reading only the dates asked of a one-file archive.

The community archive of DeepState's daily maps is one GeoJSON FeatureCollection of some 55
MB, a feature a date: ``{"id": "0", "type": "Feature", "properties": {"date":
"2024-07-08"}, "geometry": {...}}``. OGR parses all of it (about 2.5 s) even when one date
is wanted. Here the file is mapped into memory, not read, the features found by their heads
alone (a regular expression over the bytes, well under a second), the dates picked from
that index, and only the picked features parsed by GEOS (all 769 dates in about 1.7 s on
one core, 1.2-1.5 s on two).

Anything not in exactly that layout (other properties, features in another order, a
single date, a date that is not a date, a geometry GEOS cannot read) gives None, and so does
a pick of no date: the caller reads the file with OGR, as before, and reports what is wrong
with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import mmap
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from territory.cores import cores, held, processes_holding
from territory.progress import Progress, step

__all__ = ["PARSED", "PARSE_IN_PARALLEL", "Pick", "read_picked"]

#: Given every date a file holds (oldest first), the dates to read.
Pick = Callable[[list[dt.date]], list[dt.date]]

_HEAD = re.compile(
    rb'\{\s*(?:"id"\s*:\s*(?:"[^"\\]*"|\d+)\s*,\s*)?"type"\s*:\s*"Feature"\s*,\s*'
    rb'"properties"\s*:\s*\{\s*"date"\s*:\s*"(\d{4}-\d{2}-\d{2})"\s*\}\s*,\s*"geometry"\s*:'
)
_FEATURE = re.compile(rb'"Feature"')
_COLLECTION = re.compile(rb'^\s*\{\s*"type"\s*:\s*"FeatureCollection"\s*,\s*"features"\s*:\s*\[')


def read_picked(
    path: Path, pick: Pick, progress: Progress | None = None
) -> gpd.GeoDataFrame | None:
    """The features of the dates ``pick`` keeps, as a frame (``date``, geometry), or None
    when the file is not a one-file archive of several dates in the community layout.
    ``progress`` is told of the features parsed, as :data:`PARSED` steps in all.

    Examples
    --------
    >>> import json, tempfile
    >>> def day(date):
    ...     square = [[[37.8, 47.8], [38.2, 47.8], [38.2, 48.2], [37.8, 47.8]]]
    ...     return {"id": date[-1], "type": "Feature", "properties": {"date": date},
    ...             "geometry": {"type": "Polygon", "coordinates": square}}
    >>> path = Path(tempfile.mkdtemp()) / "archive.geojson"
    >>> days = [day("2024-07-08"), day("2024-07-09"), day("2024-07-10")]
    >>> _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": days}))
    >>> read_picked(path, lambda held: held[-1:])["date"].tolist()
    ['2024-07-10']
    >>> len(read_picked(path, lambda held: held))
    3
    >>> read_picked(path, lambda held: []) is None  # nothing picked: OGR reads the file
    True
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _picked(data, pick, progress)


def _picked(data: mmap.mmap, pick: Pick, progress: Progress | None) -> gpd.GeoDataFrame | None:
    if not _COLLECTION.match(data[:256]):
        return None
    # Where each head starts and ends, and its date (bytes copied out of the mapping).
    heads = [(head.start(), head.end(), head.group(1)) for head in _HEAD.finditer(data)]
    if len(heads) < 2 or len(heads) != sum(1 for _ in _FEATURE.finditer(data)):
        return None
    try:
        days = [dt.date.fromisoformat(date.decode()) for _, _, date in heads]
    except ValueError:
        return None
    wanted = set(pick(sorted(set(days))))
    if not wanted:
        return None
    ends = [start for start, _, _ in heads[1:]] + [len(data)]
    kept = [i for i, day in enumerate(days) if day in wanted]
    found = [_geometry(data[heads[i][1] : ends[i]], last=ends[i] == len(data)) for i in kept]
    texts = [text for text in found if text is not None]
    if len(texts) < len(found):
        return None
    try:
        geometries = _parsed(texts, progress)
    except shapely.errors.GEOSException:
        return None
    return gpd.GeoDataFrame(
        {"date": [days[i].isoformat() for i in kept]}, geometry=geometries, crs=4326
    )


#: The steps :func:`read_picked` reports in all, as the features are parsed.
PARSED = 80


#: From how many features the parsing is shared among processes (below, one costs less).
PARSE_IN_PARALLEL = 128


def _parsed(texts: list[bytes], progress: Progress | None) -> np.ndarray:
    """The geometries of GeoJSON texts, a sixteenth at a time: on several cores for many
    (each process parses its share and hands back WKB, which reads ten times faster than
    GeoJSON), telling ``progress`` as each sixteenth is done."""
    size = max(1, -(-len(texts) // 16))
    shares = [texts[start : start + size] for start in range(0, len(texts), size)]
    parsed: list[np.ndarray] = []
    told = done = 0
    with contextlib.ExitStack() as stack:
        if len(texts) < PARSE_IN_PARALLEL or cores() < 2:
            read: Iterator[np.ndarray] = map(shapely.from_geojson, shares)
        else:
            pool = stack.enter_context(processes_holding(cores(), shares))
            read = map(shapely.from_wkb, pool.map(_as_wkb, range(len(shares))))
        for share in read:
            parsed.append(share)
            done += len(share)
            now = PARSED * done // len(texts)
            step(progress, now - told)
            told = now
    return np.concatenate(parsed)


def _as_wkb(share: int) -> np.ndarray:
    """A share of the texts the worker holds, parsed, as WKB."""
    return shapely.to_wkb(shapely.from_geojson(held()[share]))


def _geometry(chunk: bytes, *, last: bool) -> bytes | None:
    """A feature's geometry (JSON) from its stretch of the collection after ``"geometry":``
    up to the next feature's head, or to the end of the file: less the feature's closing
    brace, and the comma or the collection's end after it."""
    text = chunk.rstrip()
    if last:
        if not text.endswith(b"]}"):
            return None
        text = text[:-2].rstrip()
    text = text.rstrip(b", \t\r\n")
    if not text.endswith(b"}"):
        return None
    return text[:-1]
