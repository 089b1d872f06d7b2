"""Which towns changed hands over a history, and when.

Each town of the places table (:func:`territory.places`) is placed, on each date kept, on
the side whose ground holds its anchor (the point :func:`territory.places_within` tests),
that date's map reconciled with our outlines exactly as a snapshot of that date alone is.
A change is listed on the first kept date that shows the town on another side, with the
kept date before it: with ``--every week``, a town taken on a Tuesday shows on that week's
last date.

The dates are walked as :mod:`territory.series` walks them, each from the one before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
import shapely

from territory._places import anchors, places
from territory.chain import Link, chained
from territory.history import History
from territory.progress import Progress
from territory.reconcile import refit

__all__ = ["SIDES", "sides", "towns_over_time"]

#: The sides a town can be on, as coded in the walk (its index).
SIDES = ("ukraine", "contested", "russia")
_COLUMNS = [
    "date",
    "date_before",
    "name",
    "region",
    "population",
    "control_before",
    "control_after",
    "change",
]


def towns_over_time(
    history: History,
    dates: Iterable[dt.date] | None = None,
    *,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Every change of side of a town between consecutive dates of a history.

    Parameters
    ----------
    history : History
        Many dated lines (:func:`territory.read_history`).
    dates : iterable of date, optional
        The dates to compare, oldest first (:func:`territory.series.pick_dates`); by default
        all.
    progress : callable, optional
        Told of each date done (see :mod:`territory.progress`).

    Returns
    -------
    DataFrame
        One row per change: ``date`` (the first date that shows it), ``date_before`` (the
        date before it), ``name``, ``region``, ``population`` (pre-war), ``control_before``
        and ``control_after`` (``ukraine``, ``contested`` or ``russia``) and ``change``
        (``to_russia``, ``to_ukraine`` or ``to_contested``); by date, the largest town first.
    """
    chosen = list(dates) if dates is not None else history.dates
    towns = places(kinds="town")
    sides = np.array(chained(history, chosen, progress, read=_Sides(anchors(towns).values)))
    rows = []
    for i in range(1, len(chosen)):
        for j in np.flatnonzero(sides[i] != sides[i - 1]):
            before, after = SIDES[sides[i - 1][j]], SIDES[sides[i][j]]
            town = towns.iloc[j]
            rows.append(
                (chosen[i], chosen[i - 1], town["name"], town["region"], town["population"])
                + (before, after, f"to_{after}")
            )
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table["population"] = table["population"].astype("Int64")
    order = table.sort_values(["date", "population"], ascending=[True, False], kind="stable")
    return order.reset_index(drop=True)


class _Sides:
    """Reads, from each link of the walk, the side each point lies on (an index of
    :data:`SIDES`): on the ground held once reconciled, Russian control winning."""

    def __init__(self, points: np.ndarray) -> None:
        self.points = points
        self._last: np.ndarray | None = None

    def __call__(self, link: Link, how: str) -> np.ndarray:
        if how == "same" and self._last is not None:
            return self._last  # the same map as the date before
        held = refit(link.russia, link.grey, link.trace)
        self._last = sides(held.russia, held.contested, self.points)
        return self._last


def sides(russia: shapely.Geometry, contested: shapely.Geometry, points: np.ndarray) -> np.ndarray:
    """The side each point lies on (an index of :data:`SIDES`), Russian control winning.

    Examples
    --------
    >>> points = shapely.points([(0.5, 0.5), (1.5, 0.5), (5, 5)])
    >>> [SIDES[i] for i in sides(shapely.box(0, 0, 1, 1), shapely.box(0, 0, 2, 1), points)]
    ['russia', 'contested', 'ukraine']
    """
    russia_held = shapely.intersects(russia, points)
    contested_held = shapely.intersects(contested, points)
    return np.where(russia_held, 2, np.where(contested_held, 1, 0)).astype(np.int8)
