"""Step: markers for key sites and the largest towns, with who holds each per scenario.

Markers are Leaflet CircleMarkers (vector shapes), so no marker image is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np

from territory._places import anchors, local_name, places
from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.symbols import STYLE
from territory.words import number, word

__all__ = ["CAPITALS", "TOWN_MIN_POPULATION", "add_places", "control_at", "control_now_at"]

#: Towns at least this large get a marker.
TOWN_MIN_POPULATION = 100_000


def control_at(
    points: gpd.GeoSeries, zones: gpd.GeoDataFrame, column: str = "control_after"
) -> list[str]:
    """``control_after`` (or another ``column``) of the zone under each point (empty where
    no zone is).

    Examples
    --------
    >>> import shapely
    >>> from territory import resolve
    >>> zones = resolve("putin-demands", "2022-02-23")
    >>> control_at(gpd.GeoSeries([shapely.Point(35.14, 47.84)], crs=4326), zones)
    ['russia']
    """
    found = [""] * len(points)
    point_index, zone_index = zones.sindex.query(points.values, predicate="intersects")
    values = zones[column].to_numpy()
    for p, z in zip(point_index.tolist(), zone_index.tolist(), strict=True):
        if not found[p]:
            found[p] = str(values[z])
    return found


def _size(population: int) -> int:
    """Extra radius (px) for larger towns."""
    return int(np.searchsorted([250_000, 500_000], population, side="right"))


#: Regional capitals (and Kyiv), labelled before other towns of their size.
CAPITALS = frozenset(
    {
        "Kyiv", "Vinnytsia", "Lutsk", "Dnipro", "Donetsk", "Zhytomyr", "Uzhhorod",
        "Zaporizhzhia", "Ivano-Frankivsk", "Kropyvnytskyi", "Luhansk", "Lviv", "Mykolaiv",
        "Odesa", "Poltava", "Rivne", "Sumy", "Ternopil", "Kharkiv", "Kherson",
        "Khmelnytskyi", "Cherkasy", "Chernivtsi", "Chernihiv", "Simferopol", "Sevastopol",
    }
)  # fmt: skip


def _moving_towns(zones: Sequence[gpd.GeoDataFrame]) -> list[str]:
    """Names of the towns that change hands under any of the scenarios: one spatial query
    per scenario over every town's anchor (as :func:`territory.places_within` tests it)."""
    import shapely

    towns = places(kinds=("town",))
    points = anchors(towns).values
    tree = shapely.STRtree(points)
    town_regions = towns["region"].to_numpy()
    town_names = towns["name"].to_numpy()
    names: set[str] = set()
    for frame in zones:
        # Columns as arrays: a GeoDataFrame's rows picked by a mask cost more than the query.
        moved = (frame["change"].to_numpy() != "none").nonzero()[0]
        if not len(moved):
            continue
        piece, town = tree.query(frame.geometry.to_numpy()[moved], predicate="intersects")
        same = frame["region"].to_numpy()[moved][piece] == town_regions[town]
        names.update(town_names[town[same]].tolist())
    return sorted(names)


def _priority(name: str, kind: str, population: int) -> float:
    """How much a label matters: Kyiv, then regional capitals and sites, then by size."""
    if name == "Kyiv":
        return 100.0
    if name in CAPITALS:
        return 80.0 + population / 1e6
    if kind == "site":
        return 75.0
    return 50.0 + 10 * population / 1e6


def add_places(
    m: TerritoryMap,
    regions: Iterable[str] | None = None,
    zones: Sequence[gpd.GeoDataFrame] = (),
    *,
    min_population: int = TOWN_MIN_POPULATION,
    lang: str = "en",
) -> RuntimeCall:
    """Step: the key sites, the towns of ``min_population`` or more, and every town that
    changes hands under one of the scenarios (shown when its scenario is).

    Parameters
    ----------
    m : TerritoryMap
    regions : iterable of str, optional
        ISO codes of the regions whose large towns are marked; by default all of Ukraine
        (sites are always marked).
    zones : sequence of GeoDataFrame
        Each scenario's zones, in the order of the zones step: the tooltip says who
        holds the place under the active scenario, and the towns that change hands under
        it are marked and labelled.
    lang : str
        ``"en"`` or ``"uk"``: the language of the names written on the map.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> step = add_places(base_map(), ["UA-23"])
    >>> "Zaporizhzhia Nuclear Power Plant" in [p["name"] for p in step.payload["places"]]
    True
    """

    chosen_regions = list(regions) if regions is not None else None
    towns = places(chosen_regions, min_population=min_population, kinds=("town",))
    moving = _moving_towns(zones)
    if moving:
        every = places(kinds=("town",))
        extra = every[every["name"].isin(moving) & ~every["name"].isin(towns["name"])]
        towns = gpd.GeoDataFrame(
            gpd.pd.concat([towns, extra], ignore_index=True), geometry="geometry", crs=4326
        )
    sites = places(kinds=("site",))
    chosen = gpd.GeoDataFrame(
        gpd.pd.concat([sites, towns], ignore_index=True), geometry="geometry", crs=4326
    )
    points = anchors(chosen)
    after = [control_at(points, z) for z in zones]
    now = control_now_at(points, zones[0]) if len(zones) else [""] * len(chosen)
    records = []
    for i, row in enumerate(chosen.itertuples()):
        population = int(row.population or 0)
        name = str(row.name)
        shown = local_name(name, row.name_uk, lang)
        records.append(
            {
                "name": name,
                "short": shown.replace("Nuclear Power Plant", "NPP").replace(
                    "Запорізька атомна електростанція", "ЗАЕС"
                ),
                "kind": str(row.kind),
                "region": str(row.region),
                "population": population,
                "note": word("site", lang) if row.kind == "site" else "",
                "lat": round(float(row.geometry.y), 4),
                "lon": round(float(row.geometry.x), 4),
                "size": _size(population),
                "priority": round(_priority(name, str(row.kind), population), 3),
                "capital": name in CAPITALS,
                "small": row.kind == "town" and population < min_population,
                "now": now[i],
                "after": [a[i] for a in after],
            }
        )
    payload = {
        "places": records,
        "style": STYLE["places"],
        "label": word("places_toggle", lang, people=number(min_population, lang)),
    }
    step = RuntimeCall("places", payload)
    m.add_child(step)
    return step


def control_now_at(points: gpd.GeoSeries, zones: gpd.GeoDataFrame) -> list[str]:
    """``control_now`` of the zone under each point (empty where no zone is)."""
    return control_at(points, zones, "control_now")
