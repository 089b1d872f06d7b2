"""A comparison page's data, made before the page: the scenarios' zones as the page's rows,
their shapes in the page's table, who holds each place, the sides of the swipe view.

Nothing here needs folium, which takes a third of a second to import: the command line
makes a :class:`Prepared` on another core while it imports folium, then draws it
(:func:`territory.render.page.render_prepared`). :func:`territory.render.render_comparison`
does both in one process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd

from territory._regions import ARTICLE_REGIONS, neighbours, units
from territory._resolve import resolve_each
from territory._scenarios import Scenario
from territory._snapshots import Snapshot
from territory._stats import stats, total_record
from territory.errors import TerritoryError
from territory.lookup import Lookup
from territory.render.encode import GeometryTable
from territory.render.rows import places_payload, zones_payload
from territory.words import check_language

__all__ = ["Prepared", "affected_regions", "land_shapes", "language", "prepare", "sides"]

# Regions whose towns get markers and whose names are written on the map, besides any
# region where some scenario changes or keeps Russian or contested control.
_FRONT_REGIONS = ("UA-63", "UA-12", "UA-48", "UA-59")


@dataclasses.dataclass
class Prepared:
    """What a comparison page shows of some scenarios resolved on one snapshot, made by
    :func:`prepare`; :func:`territory.render.page.render_prepared` draws it, once or more."""

    #: The scenarios' ids, in the order of the page's switcher.
    ids: list[str]
    snap: Snapshot
    lang: str
    #: The scenarios shown first (on the left of the swipe view) and on its right.
    left: str | None
    right: str | None
    #: Where the swipe view's divider starts (lat, lon), with two scenarios or more.
    change_point: list[float] | None
    #: The units whose names are written on the map.
    labelled: list[str]
    #: The page's shape table: the land's shapes, then the zones'.
    shapes: GeometryTable
    #: The land's shapes: their indices in ``shapes``.
    land: list[int]
    #: What the zones step and the places step hand the page.
    zones: dict[str, Any]
    places: dict[str, Any]
    #: The line's own zones (the status quo), when among the scenarios: a sketch is priced
    #: against them. The other scenarios' zones are not kept: the page has what it needs of
    #: them, and they would only be copied from the core that made the data.
    line_zones: gpd.GeoDataFrame | None = None


def prepare(
    scenarios: Iterable[Scenario | str | Path],
    snap: Snapshot,
    *,
    lang: str = "en",
    left: str | None = None,
    right: str | None = None,
) -> Prepared:
    """A comparison page's data: the scenarios (or their ids, or files) resolved on
    ``snap``, and what the page shows of them; the options are
    :func:`~territory.render.render_comparison`'s.

    Examples
    --------
    >>> from territory import snapshot
    >>> prepared = prepare(["freeze", "us-russia-draft"], snapshot("2025-08-08"))
    >>> prepared.left, prepared.right, len(prepared.zones["scenarios"])
    (None, 'us-russia-draft', 2)
    """
    lang = language(lang)  # a mistake in one line, before any work
    resolved = resolve_each(scenarios, snap)
    left, right = sides(resolved, left, right)
    ids = [scenario.id for scenario, _ in resolved]
    at = None
    if len(resolved) > 1:
        zones_of_id = dict(zip(ids, (zones for _, zones in resolved), strict=True))
        at = _change_point(zones_of_id[left or ids[0]], zones_of_id[right or ids[1]])
    shapes = GeometryTable()
    land = land_shapes(shapes)  # the land's first: the order the page adds them in
    zones = zones_payload(shapes, resolved, active=left, right=right, lang=lang)
    places = places_payload(None, [zones for _, zones in resolved], lang=lang)
    shapes.payload()  # the table encoded here, once, and kept
    return Prepared(
        ids=ids,
        snap=snap,
        lang=lang,
        left=left,
        right=right,
        change_point=at,
        labelled=[code for code in affected_regions(resolved) if code != "UA-40"],
        shapes=shapes,
        land=land,
        zones=zones,
        places=places,
        line_zones=next((z for s, z in resolved if s.id == "status-quo"), None),
    )


def language(lang: str) -> str:
    """``lang`` when a page can speak it; a user's mistake in one line otherwise."""
    try:
        return check_language(lang)
    except ValueError as problem:
        raise TerritoryError(str(problem)) from None


def land_shapes(table: GeometryTable) -> list[int]:
    """The land's shapes (the neighbours, then Ukraine's units) added to a page's table:
    their indices."""
    return table.add_all(neighbours().geometry) + table.add_all(units().geometry)


def affected_regions(resolved: Sequence[tuple[Scenario, gpd.GeoDataFrame]]) -> list[str]:
    """The units a page names: the article's, those near the front, and any where some
    scenario's zones are held or contested by Russia now or after."""
    codes = set(ARTICLE_REGIONS) | set(_FRONT_REGIONS)
    for _, zones in resolved:  # plain lists: a slider page asks this of thousands of zones
        columns = [zones[c].tolist() for c in ("region", "control_after", "control_now")]
        codes |= {code for code, *sides in zip(*columns, strict=True) if sides != _NONE_HELD}
    return sorted(codes)


_NONE_HELD = ["ukraine", "ukraine"]  # a zone Ukraine holds now and after


def sides(
    resolved: Sequence[tuple[Scenario, gpd.GeoDataFrame]], left: str | None, right: str | None
) -> tuple[str | None, str | None]:
    """The scenarios asked for on the left and right of the swipe view, found among those on
    the map; with no right one, the first that differs from the left (so that the swipe
    shows a difference when it opens)."""
    ids = [s.id for s, _ in resolved]
    on_the_map = Lookup("scenario on this map", [[(i, i) for i in ids]])
    left = on_the_map.find(left) if left is not None else None
    right = on_the_map.find(right) if right is not None else None
    if right is None and len(ids) > 1:
        zones_of_id = {scenario.id: zones for scenario, zones in resolved}
        first = left or ids[0]
        others = [i for i in ids if i != first]
        right = next((i for i in others if _differs(zones_of_id[first], zones_of_id[i])), None)
    return left, right


def _differs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> bool:
    """Whether two scenarios' zones differ in control or recognition anywhere."""

    keys = ("russia_km2", "ukraine_km2", "contested_km2", "de_facto_km2", "de_jure_km2")
    first, second = total_record(a), total_record(b)
    return any(abs(float(first[k]) - float(second[k])) > 0.5 for k in keys)  # type: ignore[arg-type]


def _change_point(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> list[float] | None:
    """Where the swipe's divider should start: in the region where the two scenarios differ
    most, on the ground that changes hands there (lat, lon); None when they do not differ."""

    keys = ["russia_km2", "ukraine_km2", "contested_km2", "de_facto_km2", "de_jure_km2"]
    left, right = stats(a).set_index("region")[keys], stats(b).set_index("region")[keys]
    delta = (left - right.reindex(left.index).fillna(0.0)).abs()
    control = delta[["russia_km2", "ukraine_km2", "contested_km2"]].sum(axis=1)
    score = control if control.max() > 0.5 else delta.sum(axis=1)
    if score.max() <= 0.5:
        return None
    region = str(score.idxmax())
    for zones in (b, a):
        moved = zones[(zones["region"] == region) & (zones["change"] != "none")]
        if len(moved):
            point = moved.geometry.union_all().representative_point()
            return [round(point.y, 3), round(point.x, 3)]
    point = b[b["region"] == region].geometry.union_all().representative_point()
    return [round(point.y, 3), round(point.x, 3)]
