"""Step: the side panel with the page title, the data's date and the active scenario.

The page fills the panel from the zones step's data (title, summary, notes, the rules
with the claim each rests on, the source) and refills it when the scenario changes.
"""

from __future__ import annotations

import datetime as dt

from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.words import long_date, word

__all__ = ["DEFAULT_TITLE", "add_panel", "date_line"]

DEFAULT_TITLE = word("title")


def date_line(date: dt.date | str | None, name: str = "", lang: str = "en") -> str:
    """The sentence that dates the data.

    Examples
    --------
    >>> import datetime as dt
    >>> date_line(dt.date(2025, 8, 8), "2025-08-08")
    'Front line as of 8 August 2025 (snapshot 2025-08-08).'
    >>> date_line(None, "my-file.geojson")
    'Front line of an undated snapshot (my-file.geojson).'
    >>> date_line(dt.date(2025, 8, 8), lang="uk")
    'Лінія фронту станом на 8 серпня 2025 р.'
    """
    if isinstance(date, str) and date:
        date = dt.date.fromisoformat(date)
    if not date:
        return word("date_line_undated", lang, name=name)
    assert isinstance(date, dt.date)
    when = long_date(date, lang)
    if name:
        return word("date_line", lang, date=when, name=name)
    return word("date_line_plain", lang, date=when)


def add_panel(
    m: TerritoryMap,
    *,
    title: str = DEFAULT_TITLE,
    date: dt.date | str | None = None,
    snapshot_name: str = "",
    subtitle: str = "",
    line_source: str = "",
    dates: tuple[dt.date, dt.date, int] | None = None,
    accuracy: str = "",
    lang: str = "en",
) -> RuntimeCall:
    """Step: the panel on the left of the map (``dates``: the first and last date of a
    history page, and how many, for its heading in place of one date).

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> add_panel(base_map(), title="<i>t</i>", date="2025-08-08").payload["title"]
    '<i>t</i>'
    """
    payload = {"title": title, "date_line": date_line(date, snapshot_name, lang)}
    if dates is not None:
        first, last, count = dates
        payload["date_line"] = word(
            "date_line_many",
            lang,
            count=count,
            first=long_date(first, lang),
            last=long_date(last, lang),
        )
    if subtitle:  # absent when not given: pages without one stay as they were
        payload["subtitle"] = subtitle
    if line_source:
        payload["line_source"] = line_source
    if accuracy:  # written under the scenario's sources
        payload["accuracy"] = accuracy
    step = RuntimeCall("panel", payload)
    m.add_child(step)
    return step
