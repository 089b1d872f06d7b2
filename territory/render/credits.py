"""Who is credited for a map's line, in a sentence in the map's language: on pages (a date's,
a slider's) and print figures alike."""

from __future__ import annotations

from territory._snapshots import SHIPPED_SNAPSHOTS, Snapshot
from territory.history import History
from territory.words import word

__all__ = ["history_source", "line_credit", "line_source"]


def line_source(snap: Snapshot, lang: str = "en") -> str:
    """Where the line on a page comes from, in a sentence: its credit (a fetched source's,
    a DeepState map's, or ``--credit``); for a shipped line, its note of its source (drawn
    by this project); for any other file, its name (how it was read is for ``validate``,
    not for readers).

    Examples
    --------
    >>> from territory import snapshot
    >>> line_source(snapshot("2025-08-08"))[:60]
    'Line: territory, drawn from public reports of which towns ea'
    """
    shipped = snap.name in SHIPPED_SNAPSHOTS
    return line_credit(snap.credit or (snap.text("source", lang) if shipped else snap.name), lang)


def history_source(history: History, lang: str = "en") -> str:
    """Where a slider page's lines come from: the history's credit, or its file's name; no
    date (the slider shows it), and not a date's own name (``file@2026-08-22``)."""
    return line_credit(history.credit or history.name, lang)


def line_credit(source: str, lang: str) -> str:
    """The credit line ("Line: SOURCE.") in the page's language; nothing without a source."""
    text = source.strip().rstrip(".")
    return word("line_credit", lang, source=text) if text else ""
