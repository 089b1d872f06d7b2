"""Writing zones and tables to files, atomically: a failed write leaves nothing behind.

Every writer goes through :func:`atomic_path`: the file is written next to its target under
a temporary name and renamed over the target only once it is complete, so a previous good
file is never clobbered by a half-written one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from territory._stats import snapshot_date_of, stats
from territory.errors import TerritoryError

__all__ = ["EXPORT_FORMATS", "OutputError", "atomic_path", "export_zones", "write_text"]

#: File extensions :func:`export_zones` understands, and what each writes.
EXPORT_FORMATS = {
    ".geojson": "zones as GeoJSON (RFC 7946)",
    ".json": "zones as GeoJSON (RFC 7946)",
    ".gpkg": "zones as a GeoPackage 1.3 layer 'zones'",
    ".csv": "statistics per region as CSV",
}


class OutputError(TerritoryError):
    """An output path that cannot be written."""


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name")
    if path.exists() and not path.is_file():
        # A FIFO, a device or a socket: renaming over it would replace it with a file.
        raise OutputError(f"{path}: not a regular file; give a file name")
    if not path.parent.exists():
        raise OutputError(f"{path}: folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"{path}: folder {path.parent} is not writable")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed to ``path`` if the block succeeds.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    _check_target(path)
    # A short temporary name: a target name of up to 255 bytes must still have one that fits.
    suffix = path.suffix if len(path.suffix) <= 16 else ""
    handle, name = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    tmp.unlink()  # some writers (GDAL) refuse to write over an existing file
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are not
        os.replace(tmp, path)
    except OSError as problem:  # disk full, a file-size limit...: name the user's path
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({problem.strerror or problem})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(text: str, path: str | Path) -> Path:
    """Write text to ``path`` atomically (UTF-8)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def export_zones(zones: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write zones to a file chosen by extension (see ``EXPORT_FORMATS``).

    GeoJSON follows RFC 7946 (EPSG:4326, 6 decimals); GeoPackage is written as version 1.3
    so that older GDAL releases read it without warnings; CSV holds :func:`territory.stats`,
    then the row of :func:`territory.totals`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from territory import resolve
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "draft.geojson"
    >>> _ = export_zones(resolve("us-russia-draft"), out)
    >>> import geopandas as gpd
    >>> sorted(gpd.read_file(out)["control_after"].unique())
    ['russia', 'ukraine']
    """
    path = Path(path)
    _check_target(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        known = ", ".join(EXPORT_FORMATS)
        raise OutputError(f"{path}: unknown output format {suffix or '(none)'}; use one of {known}")
    import pyogrio.errors

    try:
        with atomic_path(path) as tmp:
            if suffix == ".csv":
                stats(zones, total=True).to_csv(tmp, index=False)
            elif suffix == ".gpkg":
                with _gpkg_date(zones):
                    _plain(zones).to_file(tmp, driver="GPKG", layer="zones", VERSION="1.3")
            else:
                _plain(zones).to_file(
                    tmp, driver="GeoJSON", RFC7946="YES", COORDINATE_PRECISION=6, WRITE_NAME="NO"
                )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as problem:
        message = " ".join(str(problem).split())[:160]
        raise OutputError(f"{path}: cannot write ({message})") from None
    return path


@contextlib.contextmanager
def _gpkg_date(zones: gpd.GeoDataFrame) -> Iterator[None]:
    """GeoPackage stamps the time of writing in its tables: stamp the data's date instead,
    so that the same zones give the same bytes."""
    import pyogrio

    day = snapshot_date_of(zones) or "2000-01-01"
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{day}T00:00:00.000Z"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})


def _plain(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Zones with plain column types that every OGR driver writes the same way."""
    out = zones.copy()
    for column in out.columns:
        if column != "geometry" and not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype(str)
    out.attrs = {}
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)
