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

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import time
import warnings
from pathlib import Path
from typing import Any

from territory.errors import TerritoryError
from territory.history import date_of_unix
from territory.limits import FETCH_DEADLINE_S, FETCH_READ_TIMEOUT_S, MAX_INPUT_MB
from territory.unpack import max_input_bytes

__all__ = ["CREDITS", "FetchError", "Fetched", "cache_folder", "fetch", "is_reference"]

#: How maps and figures credit each source.
CREDITS = {
    "deepstate": "DeepStateMap (deepstatemap.live)",
    "archive": "DeepStateMap (deepstatemap.live), via the deepstate-map-data archive",
}
_BASES = {
    "deepstate": ("TERRITORY_DEEPSTATE_URL", "https://deepstatemap.live/api/history"),
    "archive": (
        "TERRITORY_ARCHIVE_URL",
        "https://raw.githubusercontent.com/cyterat/deepstate-map-data/main",
    ),
}
_REFERENCE = re.compile(r"^(deepstate|archive)(?::(latest|all|\d{4}-\d{2}-\d{2}))?$")
_RETRIES = 2
_CHUNK = 2**16
#: DeepState's answers read in Python (the newest map, the list of maps) are a few MB.
_MAX_JSON_BYTES = 32 * 2**20
_CACHED_MAP = re.compile(r"^last-(\d{9,13})\.json$")
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
    base = os.environ.get(variable, default).rstrip("/")
    if not re.fullmatch(r"https?://[^\s\x00-\x1f\x7f]+", base):
        raise FetchError(f"{variable}={base[:80]!r}: not an http(s) URL")
    return base


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
        cached = _cached_maps(folder)
        if not cached:
            raise FetchError("offline, and no DeepState map is cached: run once online first")
        path = cached[-1]
    else:
        try:
            data = _json(_download(folder, "last.json", f"{_base('deepstate')}/last", fresh=True))
        except FetchError as problem:
            path = _newest_cached(_cached_maps(folder), problem)
        else:
            stamp = data.get("id") if isinstance(data, dict) else None
            if not isinstance(stamp, int) or not isinstance(data.get("map"), dict):
                _forget(folder, "last.json")
                raise FetchError("DeepState answered without a map (no 'id' and 'map')")
            if _stamp_date(stamp) is None:
                _forget(folder, "last.json")
                raise FetchError(f"DeepState answered with a map id that is not a date: {stamp}")
            path = _keep_as(folder, "last.json", f"last-{stamp}.json")
    stamp = _map_stamp(path)
    assert stamp is not None  # only such names are kept or listed
    return Fetched(path, "deepstate", _stamp_date(stamp), CREDITS["deepstate"])


def _map_stamp(path: Path) -> int | None:
    """The map id of a cached ``last-<id>.json``, when its name holds a valid one."""
    match = _CACHED_MAP.match(path.name)
    if match is None or _stamp_date(int(match.group(1))) is None:
        return None
    return int(match.group(1))


def _cached_maps(folder: Path) -> list[Path]:
    """The newest maps in the cache, verified and named by a valid id, oldest first."""
    named = [(s, p) for p in folder.glob("last-*.json") if (s := _map_stamp(p)) is not None]
    return [p for _, p in sorted(named) if _verified(folder, p.name)]


def _stamp_date(stamp: object) -> dt.date | None:
    """The Kyiv date of a map id (unix seconds), or None when it is not one."""

    if not isinstance(stamp, int) or isinstance(stamp, bool):
        return None
    try:
        return date_of_unix(stamp)
    except ValueError:
        return None


def _deepstate_on(day: dt.date, folder: Path, offline: bool) -> Fetched:
    """The last map DeepState published on a day (Kyiv time)."""
    listing = _cached_or_download(
        folder, "public.json", f"{_base('deepstate')}/public", offline, fresh=not offline
    )
    entries = _json(listing)
    if not isinstance(entries, list):
        raise FetchError("DeepState's list of maps is not a list")
    # Entries whose id is not a map's date are skipped: one bad entry spoils no other.
    dated = sorted(
        (e["id"], found)
        for e in entries
        if isinstance(e, dict) and (found := _stamp_date(e.get("id"))) is not None
    )
    same_day = [s for s, found in dated if found == day]
    if not same_day:
        days = sorted({found for _, found in dated})
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
        return _newest_cached([folder / name] if _verified(folder, name) else [], problem)
    return _keep_as(folder, f"{name}.new", name)


def _newest_cached(cached: list[Path], problem: FetchError) -> Path:
    """After a failed download of something that changes (the newest map, the list of maps):
    the newest of the verified copies in the cache, with a warning; else the failure."""
    if not cached:
        raise problem
    warnings.warn(f"{problem}; using the copy cached on {_mtime(cached[-1])}", stacklevel=3)
    return cached[-1]


def _mtime(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def _download(folder: Path, name: str, url: str, *, fresh: bool = False) -> Path:
    """Download ``url`` to ``folder/name`` (whole or not at all) and record its hash.

    The bytes are streamed to disk and counted as they arrive (after any decoding the
    server asks for): past the input limit, or past the deadline for the whole download
    (its retries included), it stops, and nothing stays in the cache.
    """
    import pooch
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    if fresh:
        _forget(folder, name)
    pooch.get_logger().setLevel("WARNING")
    fetcher = pooch.create(
        path=folder, base_url="", registry={name: None}, urls={name: url}, retry_if_failed=_RETRIES
    )
    streamed = _Streamed()
    try:
        path = Path(fetcher.fetch(name, downloader=streamed))
    except _Stopped as stopped:
        raise FetchError(f"{url}: {stopped}") from None
    except requests.exceptions.HTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        raise FetchError(f"{url}: the server answered HTTP {status}") from None
    except (requests.exceptions.RequestException, OSError) as error:
        if streamed.past_deadline():
            raise FetchError(f"{url}: {streamed.late()}") from None
        raise FetchError(f"{url}: download failed ({_short(error)})") from None
    if name.removesuffix(".new").endswith((".json", ".geojson")) and not _looks_like_json(path):
        _forget(folder, name)
        raise FetchError(f"{url}: the answer is not JSON")
    _record(folder, name, pooch.file_hash(str(path)))
    return path


class _Stopped(Exception):  # noqa: N818 (not a ValueError: pooch must not retry it)
    """A download stopped on purpose: too large, or too late."""


class _Streamed:
    """A pooch downloader that streams to disk within the limits: a deadline for all the
    attempts of one download, a time-out for each wait on the server, and the input limit
    counted on the bytes received and on the bytes they decode to."""

    def __init__(self) -> None:
        self.allowed_s = float(FETCH_DEADLINE_S.value())
        self.wait_s = float(FETCH_READ_TIMEOUT_S.value())
        self.limit = max_input_bytes()
        self.deadline = time.monotonic() + self.allowed_s

    def past_deadline(self) -> bool:
        return time.monotonic() >= self.deadline

    def late(self) -> str:
        return (
            f"no complete answer within the deadline of {self.allowed_s:g} s "
            f"(raise it with {FETCH_DEADLINE_S.variable})"
        )

    def _wait(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Stopped(self.late())
        return min(self.wait_s, left)

    def _too_large(self) -> _Stopped:
        return _Stopped(
            f"the answer passes the limit of {self.limit / 2**20:,.0f} MB "
            f"(raise it with {MAX_INPUT_MB.variable})"
        )

    def __call__(self, url: str, output_file: Any, pooch: object) -> None:
        import requests
        import urllib3

        wait = self._wait()
        with requests.get(url, stream=True, timeout=(wait, wait)) as response:
            response.raise_for_status()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.limit:
                raise self._too_large()
            with contextlib.ExitStack() as stack:
                out = (
                    output_file
                    if hasattr(output_file, "write")
                    else stack.enter_context(open(output_file, "w+b"))  # noqa: SIM115
                )
                written = 0
                while True:
                    self._shorten_wait(response)
                    try:
                        chunk = response.raw.read1(_CHUNK, decode_content=True)
                    except urllib3.exceptions.HTTPError as error:  # as requests names them
                        raise requests.exceptions.ConnectionError(error) from None
                    if not chunk:
                        break
                    written += len(chunk)
                    if written > self.limit or response.raw.tell() > self.limit:
                        raise self._too_large()
                    out.write(chunk)

    def _shorten_wait(self, response: Any) -> None:
        """Let the next read wait no longer than the deadline leaves."""
        wait = self._wait()
        sock = getattr(getattr(response.raw, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(wait)


def _looks_like_json(path: Path) -> bool:
    """A quick look: JSON starts with an object or an array (the readers check the rest)."""
    with path.open("rb") as stream:
        head = stream.read(_CHUNK).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"{", b"["))


def _json(path: Path) -> Any:
    """A small JSON answer (the newest map, the list of maps), parsed."""
    if path.stat().st_size > _MAX_JSON_BYTES:
        raise FetchError(
            f"{path}: larger than {_MAX_JSON_BYTES // 2**20} MB: not an answer of DeepState's"
        )
    try:
        with path.open("rb") as stream:
            return json.load(stream)
    except (ValueError, RecursionError, OSError):
        _forget(path.parent, path.name)  # not kept, to be answered from the cache later
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
