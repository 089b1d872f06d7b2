"""Series over the dates of a history: who held how much of each region, and what a
scenario would move, date by date.

Each date's numbers are those of loading that date alone (its map reconciled with our
outlines). A source's maps change a little from one date to the next, so the shares of
each region are computed date after date, each from the one before: the map is compared
edge by edge with the date before's, reconciliation is redone only around what changed, and
each unit is measured again only within a window around it. A map redrawn all over is
reconciled afresh. Histories of many dates are spread over the machine's cores, each
taking a run of consecutive dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from territory._regions import regions
from territory._resolve import resolve
from territory._scenarios import Scenario, scenario
from territory._snapshots import Snapshot
from territory._stats import diff
from territory.chain import chained, held_km2
from territory.charts import chart
from territory.history import History
from territory.measure import unit_areas
from territory.picking import EVERY, pick, pick_dates
from territory.pool import map_dates
from territory.progress import Progress
from territory.rates import with_rates  # the km² a day between dates, beside the shares
from territory.vocabulary import TOTAL

__all__ = [
    "EVERY",
    "chart",
    "held_km2",
    "pick",
    "pick_dates",
    "price_over_time",
    "shares_over_time",
    "with_rates",
]


def shares_over_time(
    history: History,
    dates: Iterable[dt.date] | None = None,
    *,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Russian-held and contested km² and share of each region, for each date.

    A tidy table: one row per date and region that any of the dates has held ground in,
    then one row per date for all of Ukraine (``region`` = ``UA``). Columns ``date``,
    ``region``, ``region_name``, ``area_km2``, ``russia_km2``, ``russia_share``,
    ``contested_km2``, ``contested_share``.

    Each date's numbers are those of that date loaded alone, reconciled with our outlines
    (to float noise, far below the 0.01 km² shown), computed from the date before's where
    the maps differ (see the module's description). A unit's area is its own geodesic area
    (as :func:`~territory.regions` gives it), never less than the ground held in it.
    ``progress`` is told of each date done (see :mod:`territory.progress`).
    """
    chosen = list(dates) if dates is not None else history.dates
    units = regions()
    km2 = chained(history, chosen, progress)
    russia = np.array([k[0] for k in km2]).reshape(len(chosen), len(units))
    contested = np.array([k[1] for k in km2]).reshape(len(chosen), len(units))
    held = (russia + contested).sum(axis=0) > 0
    codes = [*units["region"].to_numpy()[held].tolist(), TOTAL]
    names = [*units["region_name"].to_numpy()[held].tolist(), "Ukraine"]
    areas = unit_areas(russia + contested)  # every date at once
    rows = []
    for i, day in enumerate(chosen):
        columns = [
            np.append(values[held], values.sum()) for values in (areas[i], russia[i], contested[i])
        ]
        for code, name, whole, taken, grey in zip(codes, names, *columns, strict=True):
            rows.append((day, code, name, whole, taken, taken / whole, grey, grey / whole))
    names_out = ["date", "region", "region_name", "area_km2"]
    names_out += ["russia_km2", "russia_share", "contested_km2", "contested_share"]
    table = pd.DataFrame(rows, columns=names_out)
    km2_columns = ["area_km2", "russia_km2", "contested_km2"]
    table[km2_columns] = table[km2_columns].round(2)
    table[["russia_share", "contested_share"]] = table[["russia_share", "contested_share"]].round(6)
    return table


def price_over_time(
    history: History,
    scen: Scenario | str,
    dates: Iterable[dt.date] | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a scenario would move on each date, against that date's line.

    Returns
    -------
    by_region : DataFrame
        ``date``, ``region``, ``region_name``, ``to_russia_km2``, ``to_ukraine_km2``: one row
        per date and region where anything moves, then ``UA`` for all of Ukraine.
    towns : DataFrame
        ``date``, ``name``, ``region``, ``population``, ``change``, ``demilitarised``: the
        towns of 10,000 or more (pre-war population) that would change hands on each date,
        and those the scenario would demilitarise (``change`` is ``none`` for a town that
        stays on its side).

    ``progress`` is told of each date done (see :mod:`territory.progress`).
    """
    found = scenario(scen)
    chosen = list(dates) if dates is not None else history.dates
    results = map_dates(_price_on, history, chosen, found, progress=progress)
    by_region = pd.concat([r[0] for r in results], ignore_index=True)
    towns = pd.concat([r[1] for r in results], ignore_index=True)
    return by_region, towns


def _price_on(snap: Snapshot, day: dt.date, scen: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:

    change = diff(resolve("status-quo", snap), resolve(scen, snap))
    by_region = change.table
    by_region.insert(0, "date", day)
    columns = ["name", "region", "population", "change", "demilitarised"]
    towns = change.all_towns().reindex(columns=columns)
    towns = towns.sort_values("population", ascending=False, kind="stable")
    towns.insert(0, "date", day)
    return by_region, towns.reset_index(drop=True)
