"""Fetch front lines from public sources, for the user, into a local cache.

Two sources, each with a base URL that an environment variable overrides (for mirrors,
proxies and tests):

- ``deepstate``: DeepStateMap's public API (``TERRITORY_DEEPSTATE_URL``, by default
  ``https://deepstatemap.live/api/history``): ``/last`` is the newest map (the raw map
  wrapped under ``map``), ``/public`` the list of published maps (``id``, ``createdAt``,
  ...), ``/{id}/geojson`` one map.
- ``archive``: the community archive of DeepState's daily merged maps
  (``TERRITORY_ARCHIVE_URL``, by default the ``cyterat/deepstate-map-data`` repository):
  ``deepstate-map-data.geojson.gz`` holds every date since July 2024 in one file,
  ``data/deepstatemap_data_YYYYMMDD.geojson`` one date.

A reference names the source and what to take: ``deepstate:latest``,
``deepstate:2026-08-22``, ``archive`` (every date), ``archive:2025-08-08``. Downloads go
through pooch (time-outs, retries, a file written whole or not at all) into the user's
cache folder (platformdirs; ``TERRITORY_CACHE`` overrides it), with the SHA-256 of each file
kept beside it and checked whenever the file is used again, so that a second run works
offline. ``offline=True`` (or ``TERRITORY_OFFLINE=1``) never touches the network.

The data stays its source's: it is fetched for the user, credited on every map and figure
made from it (:data:`CREDITS`), and never shipped with this package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

from territory.errors import TerritoryError

__all__ = ["CREDITS", "FetchError", "Fetched", "cache_folder", "fetch", "is_reference"]

#: How maps and figures credit each source.
CREDITS = {
    "deepstate": "Front line: DeepStateMap (deepstatemap.live)",
    "archive": "Front line: DeepStateMap (deepstatemap.live), via the deepstate-map-data archive",
}
_BASES = {
    "deepstate": ("TERRITORY_DEEPSTATE_URL", "https://deepstatemap.live/api/history"),
    "archive": (
        "TERRITORY_ARCHIVE_URL",
        "https://raw.githubusercontent.com/cyterat/deepstate-map-data/main",
    ),
}
_REFERENCE = re.compile(r"^(deepstate|archive)(?::(latest|all|\d{4}-\d{2}-\d{2}))?$")
_TIMEOUT_S = 60
_RETRIES = 2
_INDEX = "sha256.json"
_ARCHIVE_MAX_AGE_S = 6 * 3600


class FetchError(TerritoryError):
    """A download that failed, or a cache that cannot answer offline."""


@dataclasses.dataclass(frozen=True)
class Fetched:
    """A fetched file in the cache, and what to say about it."""

    path: Path
    source: str  # deepstate | archive
    date: dt.date | None  # the map's date; None for the whole archive
    credit: str  # the source, as maps and figures credit it


def is_reference(text: str) -> bool:
    """True for ``deepstate:...`` and ``archive...`` references.

    Examples
    --------
    >>> is_reference("deepstate:latest"), is_reference("archive"), is_reference("front.geojson")
    (True, True, False)
    """
    return bool(_REFERENCE.match(text.strip().lower()))


def cache_folder() -> Path:
    """Where fetched files are kept: ``TERRITORY_CACHE``, or the user's cache folder."""
    override = os.environ.get("TERRITORY_CACHE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("territory", appauthor=False))


def _offline(offline: bool | None) -> bool:
    if offline is not None:
        return offline
    return os.environ.get("TERRITORY_OFFLINE", "").strip().lower() in ("1", "true", "yes")


def _base(source: str) -> str:
    variable, default = _BASES[source]
    return os.environ.get(variable, default).rstrip("/")


def fetch(reference: str, *, offline: bool | None = None) -> Fetched:
    """Download (or find in the cache) the front line a reference names.

    Parameters
    ----------
    reference : str
        ``deepstate:latest``, ``deepstate:YYYY-MM-DD``, ``archive`` or ``archive:YYYY-MM-DD``
        (``deepstate`` alone means ``deepstate:latest``).
    offline : bool, optional
        Never touch the network; answer from the cache or fail. By default,
        ``TERRITORY_OFFLINE``.

    Raises
    ------
    FetchError
        The download failed (network, HTTP error, an answer that is not the JSON expected),
        or offline and not cached. The cache is left as it was.
    """
    match = _REFERENCE.match(reference.strip().lower())
    if not match:
        raise FetchError(
            f"unknown source {reference!r}: use deepstate:latest, deepstate:YYYY-MM-DD, "
            "archive or archive:YYYY-MM-DD"
        )
    source, what = match.group(1), match.group(2)
    folder = cache_folder() / source
    is_offline = _offline(offline)
    if source == "deepstate":
        if what in (None, "latest", "all"):
            return _deepstate_latest(folder, is_offline)
        return _deepstate_on(_day(what), folder, is_offline)
    if what in (None, "all", "latest"):
        # The archive grows every day: a copy older than a few hours is fetched again.
        name = "deepstate-map-data.geojson.gz"
        url = f"{_base(source)}/{name}"
        fresh = not is_offline and not _recent(folder / name, _ARCHIVE_MAX_AGE_S)
        path = _cached_or_download(folder, name, url, is_offline, fresh=fresh)
        return Fetched(path, source, None, CREDITS[source])
    day = _day(what)
    name = f"deepstatemap_data_{day:%Y%m%d}.geojson"
    path = _cached_or_download(folder, name, f"{_base(source)}/data/{name}", is_offline)
    return Fetched(path, source, day, CREDITS[source])


# --- DeepState's API ----------------------------------------------------------------------


def _deepstate_latest(folder: Path, offline: bool) -> Fetched:
    """The newest map: downloaded afresh when online, else the newest one cached."""
    if offline:
        cached = sorted(folder.glob("last-*.json"))
        if not cached or not _verified(folder, cached[-1].name):
            raise FetchError("offline, and no DeepState map is cached: run once online first")
        path = cached[-1]
    else:
        try:
            data = _json(_download(folder, "last.json", f"{_base('deepstate')}/last", fresh=True))
        except FetchError as problem:
            path = _newest_cached(folder, "last-*.json", problem)
        else:
            stamp = data.get("id") if isinstance(data, dict) else None
            if not isinstance(stamp, int) or not isinstance(data.get("map"), dict):
                _forget(folder, "last.json")
                raise FetchError("DeepState answered without a map (no 'id' and 'map')")
            path = _keep_as(folder, "last.json", f"last-{stamp}.json")
    stamp = int(path.stem.split("-", 1)[1])
    day = _kyiv_date(stamp)
    return Fetched(path, "deepstate", day, CREDITS["deepstate"])


def _deepstate_on(day: dt.date, folder: Path, offline: bool) -> Fetched:
    """The last map DeepState published on a day (Kyiv time)."""
    listing = _cached_or_download(
        folder, "public.json", f"{_base('deepstate')}/public", offline, fresh=not offline
    )
    entries = _json(listing)
    if not isinstance(entries, list):
        raise FetchError("DeepState's list of maps is not a list")
    stamps = sorted(
        e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), int)
    )
    same_day = [s for s in stamps if _kyiv_date(s) == day]
    if not same_day:
        days = sorted({_kyiv_date(s) for s in stamps})
        nearest = sorted(days, key=lambda d: abs((d - day).days))[:2]
        hint = f"; nearest: {', '.join(str(d) for d in sorted(nearest))}" if nearest else ""
        raise FetchError(f"DeepState published no map on {day}{hint}")
    stamp = same_day[-1]
    name = f"{stamp}.geojson"
    path = _cached_or_download(folder, name, f"{_base('deepstate')}/{stamp}/geojson", offline)
    return Fetched(path, "deepstate", day, CREDITS["deepstate"])


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FetchError(f"invalid date {text!r}: expected YYYY-MM-DD") from None


def _recent(path: Path, max_age_s: float) -> bool:
    import time

    return path.is_file() and time.time() - path.stat().st_mtime < max_age_s


def _kyiv_date(stamp: int) -> dt.date:
    from territory.history import date_of_unix

    return date_of_unix(stamp)


# --- the cache ------------------------------------------------------------------------------


def _cached_or_download(
    folder: Path, name: str, url: str, offline: bool, *, fresh: bool = False
) -> Path:
    if not fresh and _verified(folder, name):
        return folder / name
    if offline:
        if _verified(folder, name):
            return folder / name
        raise FetchError(f"offline, and {name} is not in the cache ({folder})")
    if not fresh:
        return _download(folder, name, url)
    try:
        _download(folder, f"{name}.new", url)
    except FetchError as problem:
        return _newest_cached(folder, name, problem)
    return _keep_as(folder, f"{name}.new", name)


def _newest_cached(folder: Path, pattern: str, problem: FetchError) -> Path:
    """After a failed download of something that changes (the newest map, the list of maps):
    the newest copy in the cache, with a warning; else the failure."""
    cached = [p for p in sorted(folder.glob(pattern)) if _verified(folder, p.name)]
    if not cached:
        raise problem
    warnings.warn(f"{problem}; using the copy cached on {_mtime(cached[-1])}", stacklevel=3)
    return cached[-1]


def _mtime(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def _download(folder: Path, name: str, url: str, *, fresh: bool = False) -> Path:
    """Download ``url`` to ``folder/name`` (whole or not at all) and record its hash."""
    import pooch
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    if fresh:
        _forget(folder, name)
    pooch.get_logger().setLevel("WARNING")
    fetcher = pooch.create(
        path=folder, base_url="", registry={name: None}, urls={name: url}, retry_if_failed=_RETRIES
    )
    try:
        downloader = pooch.HTTPDownloader(timeout=_TIMEOUT_S, progressbar=False)
        path = Path(fetcher.fetch(name, downloader=downloader))
    except requests.exceptions.HTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        raise FetchError(f"{url}: the server answered HTTP {status}") from None
    except (requests.exceptions.RequestException, OSError) as error:
        raise FetchError(f"{url}: download failed ({_short(error)})") from None
    if name.removesuffix(".new").endswith((".json", ".geojson")):
        try:
            _json(path)
        except FetchError:
            _forget(folder, name)
            raise FetchError(f"{url}: the answer is not JSON") from None
    _record(folder, name, pooch.file_hash(str(path)))
    return path


def _json(path: Path) -> Any:
    try:
        with path.open("rb") as stream:
            return json.load(stream)
    except (ValueError, RecursionError, OSError):
        raise FetchError(f"{path}: not JSON") from None


def _short(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 120 else text[:120].rsplit(" ", 1)[0] + " ..."


def _index(folder: Path) -> dict[str, str]:
    try:
        found = json.loads((folder / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _record(folder: Path, name: str, sha256: str) -> None:
    index = _index(folder)
    index[name] = sha256
    _record_all(folder, index)


def _verified(folder: Path, name: str) -> bool:
    """True when ``name`` is cached and its bytes still have the hash recorded for them."""
    import pooch

    path = folder / name
    expected = _index(folder).get(name)
    if not path.is_file() or not expected:
        return False
    if pooch.file_hash(str(path)) != expected:
        _forget(folder, name)
        return False
    return True


def _forget(folder: Path, name: str) -> None:
    (folder / name).unlink(missing_ok=True)
    index = _index(folder)
    if index.pop(name, None) is not None:
        _record_all(folder, index)


def _record_all(folder: Path, index: dict[str, str]) -> None:
    temporary = folder / f".{_INDEX}.tmp"
    temporary.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(folder / _INDEX)


def _keep_as(folder: Path, name: str, new_name: str) -> Path:
    index = _index(folder)
    (folder / name).replace(folder / new_name)
    index[new_name] = index.pop(name)
    _record_all(folder, index)
    return folder / new_name
