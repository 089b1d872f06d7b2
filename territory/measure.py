"""km² by unit: how every count of ground in Ukraine's units is measured (the shares of a
snapshot, of each date of a history, the artefacts reconciliation gave away)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
import shapely

from territory._regions import regions
from territory.geodesy import areas_km2
from territory.geometry import MANY_PARTS, polygonal

__all__ = ["km2_by_region", "unit_areas", "unit_km2", "unit_shares", "unit_tree"]


def unit_km2(geometry: Any, among: np.ndarray | None = None) -> np.ndarray:
    """Geodesic km² of ``geometry`` in each of Ukraine's units (in the order of regions()),
    or in the units ``among`` (indices) only.

    Of a geometry of many parts, those that lie inside one unit are measured as they are,
    and only those across a unit's edge are cut."""
    geoms, tree = _geoms(), unit_tree()
    chosen = np.arange(len(geoms)) if among is None else among
    km2 = np.zeros(len(chosen))
    if geometry.is_empty or not len(chosen):
        return km2
    parts = shapely.get_parts(geometry)
    if len(parts) < MANY_PARTS:
        hits = np.isin(chosen, tree.query(geometry, predicate="intersects"))
        pieces = shapely.intersection(geoms[chosen[hits]], geometry)
        km2[hits] = areas_km2([polygonal(piece) for piece in pieces])
        return km2
    part, unit = tree.query(parts, predicate="intersects")
    position = {int(u): i for i, u in enumerate(chosen)}
    wanted = np.isin(unit, chosen)
    part, unit = part[wanted], unit[wanted]
    crossing = np.zeros(len(parts), dtype=bool)
    inside = np.zeros(len(part), dtype=bool)
    for u in np.unique(unit):
        mine = unit == u
        inside[mine] = shapely.contains_properly(_prepared_unit(int(u)), parts[part[mine]])
    crossing[part[~inside]] = True
    whole = part[inside & ~crossing[part]]
    np.add.at(
        km2, [position[int(u)] for u in unit[inside & ~crossing[part]]], areas_km2(parts[whole])
    )
    for u in np.unique(unit[~inside]):
        cut = shapely.intersection(
            geoms[u], shapely.multipolygons(parts[part[(unit == u) & crossing[part]]])
        )
        km2[position[int(u)]] += float(areas_km2([polygonal(cut)])[0])
    return km2


@functools.cache
def _prepared_unit(index: int) -> Any:
    unit = shapely.from_wkb(shapely.to_wkb(_geoms()[index]))  # a copy, prepared
    shapely.prepare(unit)
    return unit


@functools.cache
def _geoms() -> np.ndarray:
    return regions().geometry.to_numpy()


@functools.cache
def unit_tree() -> shapely.STRtree:
    """A spatial index of Ukraine's units, in the order of :func:`~territory.regions`."""
    return shapely.STRtree(_geoms())


def km2_by_region(geometry: Any) -> dict[str, float]:
    """km² of ``geometry`` in each unit that has at least 0.005 of it, rounded to 0.01,
    largest first (how reconciled ground is reported).

    Examples
    --------
    >>> km2_by_region(shapely.box(37.5, 48.0, 37.51, 48.01))  # in Donetsk
    {'UA-14': 0.83}
    """
    km2 = unit_km2(geometry)
    codes = regions()["region"].tolist()
    found = {codes[i]: round(float(km2[i]), 2) for i in np.flatnonzero(km2 >= 0.005)}
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def unit_areas(held_km2: np.ndarray) -> np.ndarray:
    """Each unit's area for its shares: its own geodesic area (as :func:`~territory.regions`
    gives it), never less than the ground held in it (the two differ by float noise where a
    unit is held whole). ``held_km2`` by unit (in the order of :func:`~territory.regions`),
    or one such row per date."""
    return np.maximum(regions()["area_km2"].to_numpy(), held_km2)


def unit_shares(russia_km2: np.ndarray, contested_km2: np.ndarray) -> pd.DataFrame:
    """The table of :meth:`~territory.Snapshot.shares` from the Russian-held and contested km²
    in each unit (in the order of :func:`~territory.regions`)."""
    units = regions()
    area = unit_areas(russia_km2 + contested_km2)
    return pd.DataFrame(
        {
            "region_name": units["region_name"].to_numpy(),
            "area_km2": area,
            "russia_km2": russia_km2,
            "contested_km2": contested_km2,
            "russia_share": russia_km2 / area,
            "contested_share": contested_km2 / area,
        },
        index=pd.Index(units["region"].to_numpy(), name="region"),
    )
