"""Step: markers for key sites and the largest towns, with who holds each per scenario.

Markers are Leaflet CircleMarkers (vector shapes), so no marker image is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np

from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.symbols import STYLE

__all__ = ["TOWN_MIN_POPULATION", "add_places", "control_at"]

#: Towns at least this large get a marker.
TOWN_MIN_POPULATION = 100_000
#: Towns at least this large, and every site, get a permanent label.
LABEL_MIN_POPULATION = 400_000


def control_at(points: gpd.GeoSeries, zones: gpd.GeoDataFrame) -> list[str]:
    """``control_after`` of the zone under each point (empty where no zone is).

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
    after = zones["control_after"].to_numpy()
    for p, z in zip(point_index, zone_index, strict=True):
        if not found[p]:
            found[p] = str(after[z])
    return found


def _size(population: int) -> int:
    """Extra radius (px) for larger towns."""
    return int(np.searchsorted([250_000, 500_000], population, side="right"))


def add_places(
    m: TerritoryMap,
    regions: Iterable[str],
    zones: Sequence[gpd.GeoDataFrame] = (),
    *,
    min_population: int = TOWN_MIN_POPULATION,
) -> RuntimeCall:
    """Step: the key sites and the towns of ``min_population`` or more in some regions.

    Parameters
    ----------
    m : TerritoryMap
    regions : iterable of str
        ISO codes of the regions whose towns are marked (sites are always marked).
    zones : sequence of GeoDataFrame
        Each scenario's zones, in the order of the zones step: the tooltip says who
        holds the place under the active scenario.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> step = add_places(base_map(), ["UA-23"])
    >>> "Zaporizhzhia Nuclear Power Plant" in [p["name"] for p in step.payload["places"]]
    True
    """
    from territory._places import anchors, places

    towns = places(list(regions), min_population=min_population, kinds=("town",))
    sites = places(kinds=("site",))
    chosen = gpd.GeoDataFrame(
        gpd.pd.concat([sites, towns], ignore_index=True), geometry="geometry", crs=4326
    )
    points = anchors(chosen)
    after = [control_at(points, z) for z in zones]
    records = []
    for i, row in enumerate(chosen.itertuples()):
        population = int(row.population or 0)
        records.append(
            {
                "name": str(row.name),
                "short": str(row.name).replace("Nuclear Power Plant", "NPP"),
                "kind": str(row.kind),
                "region": str(row.region),
                "population": population,
                "note": "Key site" if row.kind == "site" else "",
                "lat": round(float(row.geometry.y), 4),
                "lon": round(float(row.geometry.x), 4),
                "size": _size(population),
                "label": row.kind == "site" or population >= LABEL_MIN_POPULATION,
                "after": [a[i] for a in after],
            }
        )
    payload = {
        "places": records,
        "style": STYLE["places"],
        "label": f"Key sites and towns of {min_population:,} people or more",
    }
    step = RuntimeCall("places", payload)
    m.add_child(step)
    return step
