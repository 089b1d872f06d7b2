"""What a front-line reference names, decided once.

A line is named the same way on the command line (``--line``, ``--date``), in Python
(:func:`territory.snapshot`) and in scenario files (``line = "2022-02-23"``):

- nothing, ``current`` or ``latest``: the newest shipped line;
- a shipped date (``2022-02-23``), found however it is typed;
- a source to fetch: ``deepstate:latest``, ``deepstate:YYYY-MM-DD``, ``archive``,
  ``archive:YYYY-MM-DD`` (see :mod:`territory.fetch`);
- a file, of one map or of many dates (an archive).

With a file or a source, a date picks one of the dates it holds. :class:`LineRef` is the
answer; the readers (:func:`territory.snapshot`, :func:`territory.read_history`) take it as
it is and never decide again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Literal

from territory._snapshots import SHIPPED_SNAPSHOTS
from territory.errors import TerritoryError, UnknownNameError
from territory.fetch import is_reference
from territory.history import parse_date
from territory.lookup import Lookup

__all__ = ["LineRef"]

Kind = Literal["shipped", "file", "source"]
_NEWEST = ("current", "latest")


@dataclasses.dataclass(frozen=True)
class LineRef:
    """A front line named by a shipped date, a file or a source, and the date to take.

    Attributes
    ----------
    kind : {"shipped", "file", "source"}
    name : str
        The shipped date (``"2025-08-08"``), the file's path, or the source
        (``"archive:2025-08-08"``).
    date : datetime.date, optional
        Of a file or source that holds several dates, the one to take; None for the newest
        (a shipped line has its one date).

    Examples
    --------
    >>> LineRef.parse(None)
    LineRef(kind='shipped', name='2025-08-08', date=None)
    >>> LineRef.parse("archive", date="2025-08-08")
    LineRef(kind='source', name='archive', date=datetime.date(2025, 8, 8))
    >>> LineRef.parse("front_2025-08-08.geojson").kind
    'file'
    >>> str(LineRef.parse("Latest"))
    '2025-08-08'
    """

    kind: Kind
    name: str
    date: dt.date | None = None

    @classmethod
    def parse(
        cls,
        text: str | Path | LineRef | None,
        *,
        date: dt.date | str | None = None,
        base: Path | None = None,
    ) -> LineRef:
        """The reference ``text`` names (see the module's notes), with ``date`` to take.

        A ``Path`` is always a file. Text is a shipped date, a source, or a file when it has a
        suffix or exists; anything else must be a shipped date, and the error lists them. A
        relative file path is taken from ``base`` when given (a scenario file's folder).
        Without ``text``, ``date`` alone names a shipped line.

        Raises
        ------
        UnknownNameError
            Neither a file, a source, nor a shipped date.
        TerritoryError
            A date with a shipped line (it has its own), or a date that is not YYYY-MM-DD.
        """
        wanted = parse_date(date)
        if isinstance(text, LineRef):
            return text if wanted is None else text.on(wanted)
        if text is None and wanted is not None:
            return cls("shipped", _shipped_name(wanted.isoformat()))
        if isinstance(text, Path):
            return cls("file", str(_from(text, base)), wanted)
        raw = None if text is None else str(text)
        if raw is None or raw.strip().lower() in _NEWEST or raw in SHIPPED_SNAPSHOTS:
            return cls("shipped", _shipped_name(raw)).on(wanted)
        if is_reference(raw):
            return cls("source", raw.strip(), wanted)
        path = Path(raw)
        if path.suffix or path.exists() or (base is not None and (base / path).exists()):
            return cls("file", str(_from(path, base)), wanted)
        return cls("shipped", _shipped_name(raw)).on(wanted)  # or the error lists them

    @classmethod
    def readable(cls, path: str | Path | LineRef, *, date: dt.date | str | None = None) -> LineRef:
        """A file or a source to read (:func:`territory.read_history`): text is a source
        when it names one, a file otherwise (a missing one is the reader's error).

        Examples
        --------
        >>> LineRef.readable("archive:2025-08-08").kind, LineRef.readable("2025-08-08").kind
        ('source', 'file')
        """
        if isinstance(path, LineRef):
            if path.kind == "shipped":
                raise TerritoryError(f"the shipped line {path.name} is not a file to read")
            return path.on(date)
        if isinstance(path, str) and is_reference(path):
            return cls("source", path.strip(), parse_date(date))
        return cls("file", str(path), parse_date(date))

    def on(self, date: dt.date | str | None) -> LineRef:
        """The same line, taking ``date`` of those it holds (None: as it was).

        Examples
        --------
        >>> LineRef.parse("archive").on("2025-08-08").date
        datetime.date(2025, 8, 8)
        >>> LineRef.parse("2022-02-23").on("2022-02-23").name
        '2022-02-23'
        """
        wanted = parse_date(date)
        if wanted is None:
            return self
        if self.kind == "shipped":
            if wanted.isoformat() == self.name:
                return self
            raise TerritoryError(
                f"the shipped line {self.name} has one date; a date ({wanted}) picks one of "
                "the dates of a file or an archive"
            )
        return dataclasses.replace(self, date=wanted)

    @property
    def path(self) -> Path | None:
        """The file, for a file; None otherwise."""
        return Path(self.name) if self.kind == "file" else None

    def __str__(self) -> str:
        return self.name if self.date is None else f"{self.name} ({self.date})"


def _from(path: Path, base: Path | None) -> Path:
    return path if base is None or path.is_absolute() else (base / path).resolve()


def _shipped_name(text: str | None) -> str:
    """A shipped line's date, however typed; None, ``current`` or ``latest``: the newest."""
    if text is None:
        return SHIPPED_SNAPSHOTS[-1]
    names = [(shipped, shipped) for shipped in SHIPPED_SNAPSHOTS]
    names += [(word, SHIPPED_SNAPSHOTS[-1]) for word in _NEWEST]
    found = Lookup("snapshot", [names]).all(text)
    if not found:  # a date between snapshots: never guessed; all the dates are listed
        raise UnknownNameError("snapshot", text, list(SHIPPED_SNAPSHOTS))
    return found[0]
