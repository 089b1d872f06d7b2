"""Opening a user's input file safely, before any reader looks inside it.

- Special files (FIFOs, devices, sockets, or a link to one) are refused before they are
  opened: reading a FIFO would wait forever for a writer.
- A plain file larger than the input limit (:data:`territory.limits.MAX_INPUT_MB`) is
  refused from its size.
- A gzip file, or a zip archive (KMZ, a zipped shapefile...), is unpacked into a temporary
  folder, its bytes counted as they are decompressed: the sizes written in a gzip trailer or
  a zip directory are never trusted (they can be forged), every member of a multi-member
  gzip counts, and a truncated or damaged file is called damaged. The format is found from
  the content, whatever the file's name.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from territory.errors import InputFileError
from territory.limits import MAX_INPUT_MB

__all__ = ["GZIP_MAGIC", "ZIP_MAGIC", "check_input", "max_input_bytes", "unpacked"]

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
# In a zip, a KML file is the map (KMZ); otherwise the first member OGR reads by extension.
_MEMBER_SUFFIXES = (".kml", ".shp", ".gpkg", ".geojson", ".json", ".fgb", ".gml")
_CHUNK = 2**20
# A KMZ holds a KML and a few images, a zipped shapefile four to eight files.
_MAX_MEMBERS = 1000
_SPECIAL = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def max_input_bytes() -> int:
    """The input limit in bytes (``TERRITORY_MAX_INPUT_MB``)."""
    return int(MAX_INPUT_MB.value() * 2**20)


def check_input(path: Path) -> None:
    """Refuse a missing path or a special file, without opening it.

    Examples
    --------
    >>> check_input(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    territory.errors.InputFileError: /dev/null: not a regular file (a character device)
    """
    try:
        mode = path.stat().st_mode  # follows links: a link to a FIFO is a FIFO
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except OSError as problem:
        raise InputFileError(path, f"cannot be read ({problem.strerror or problem})") from None
    kind = _SPECIAL.get(stat.S_IFMT(mode))
    if kind is not None:
        raise InputFileError(path, f"not a regular file ({kind})")


@contextlib.contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """The file to read: ``path`` itself, or what its gzip or zip holds, in a temporary
    folder removed afterwards. Errors name ``path``.

    Raises
    ------
    InputFileError
        The input is larger than the limit, uncompressed, or the archive is damaged.
    """
    check_input(path)
    if path.is_dir():  # a File Geodatabase or a folder of shapefiles: OGR reads it
        yield path
        return
    limit = max_input_bytes()
    head = _head(path)
    if not head.startswith((GZIP_MAGIC, ZIP_MAGIC)):
        if path.stat().st_size > limit:
            raise _too_large(path, path.stat().st_size, limit)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="territory-") as folder:
        plain = Path(folder) / _plain_name(path)
        if head.startswith(GZIP_MAGIC):
            _gunzip(path, plain, limit)
            if _head(plain).startswith(ZIP_MAGIC):  # a zip inside a gzip
                zipped = plain.rename(plain.with_name("inner.zip"))
                plain = _unzip(path, zipped, Path(folder) / "members", limit)
        else:
            plain = _unzip(path, path, Path(folder) / "members", limit)
        yield plain


def _head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(4)


def _plain_name(path: Path) -> str:
    """The name the unpacked file takes: the archive's, less ``.gz`` (OGR may read the
    format from the extension)."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return name[-200:] or "input"


def _too_large(path: Path, size: int | None, limit: int) -> InputFileError:
    """The refusal of an input over the limit: its size when known, else that it passed."""
    mb = f"{limit / 2**20:,.0f} MB"
    if size is None:
        amount = f"more than the limit of {mb} once uncompressed"
    else:
        amount = f"{size / 2**20:,.0f} MB, more than the limit of {mb}"
    return InputFileError(path, f"{amount} (raise it with {MAX_INPUT_MB.variable})")


def _copy_counted(
    source: IO[bytes] | gzip.GzipFile, target: IO[bytes], budget: int, path: Path, limit: int
) -> int:
    """Copy until the end, or fail once more than ``budget`` bytes came out."""
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > budget:
            raise _too_large(path, None, limit)
        target.write(chunk)
    return written


def _gunzip(path: Path, target: Path, limit: int) -> None:
    try:
        with gzip.open(path, "rb") as source, target.open("wb") as out:
            _copy_counted(source, out, limit, path, limit)
    except EOFError:
        raise InputFileError(path, "damaged gzip file (it ends early: truncated?)") from None
    except (gzip.BadGzipFile, zlib.error) as problem:
        raise InputFileError(path, f"damaged gzip file ({problem})") from None
    except OSError as problem:  # the temporary folder: a full disk, say
        raise InputFileError(path, f"cannot unpack ({problem.strerror or problem})") from None


def _unzip(path: Path, archive_path: Path, folder: Path, limit: int) -> Path:
    """Each member of the zip, by its base name, into ``folder``; the one to read."""
    folder.mkdir()
    budget = limit
    chosen: dict[str, Path] = {}
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS:
                raise InputFileError(path, f"zip archive of {len(members):,} files: not a map")
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/")).name
                if member.is_dir() or not name or name in (".", "..") or (folder / name).exists():
                    continue
                with archive.open(member) as source, (folder / name).open("wb") as out:
                    budget -= _copy_counted(source, out, budget, path, limit)
                chosen.setdefault(os.path.splitext(name)[1].lower(), folder / name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise InputFileError(path, "damaged zip archive") from None
    except RuntimeError:  # zipfile's word for a member that needs a password
        raise InputFileError(path, "encrypted zip archive") from None
    except OSError as problem:
        raise InputFileError(path, f"cannot unpack ({problem.strerror or problem})") from None
    with contextlib.suppress(FileNotFoundError):
        if archive_path != path:
            archive_path.unlink()
    for suffix in _MEMBER_SUFFIXES:
        if suffix in chosen:
            return chosen[suffix]
    shutil.rmtree(folder, ignore_errors=True)
    raise InputFileError(path, "zip archive holds no KML or other geodata file")
