"""Step: markers for key sites and the largest towns, with who holds each per scenario.

Markers are Leaflet CircleMarkers (vector shapes), so no marker image is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd

from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.rows import TOWN_MIN_POPULATION, places_payload

__all__ = ["add_places"]


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

    payload = places_payload(regions, zones, min_population=min_population, lang=lang)
    step = RuntimeCall("places", payload)
    m.add_child(step)
    return step
