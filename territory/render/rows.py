"""What the page shows of zones and places, as plain data: each scenario's zone rows and
figures, and who holds each marked place. The steps (:mod:`~territory.render.zones`,
:mod:`~territory.render.markers`) hand it to the page; nothing here needs folium, so the
command line makes it on another core while folium loads
(:mod:`~territory.render.prepared`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from territory._places import anchors, local_name, places
from territory._regions import units
from territory._resolve import ZONE_COLUMNS
from territory._scenarios import Scenario
from territory._stats import demilitarised_of, snapshot_date_of, snapshot_of, total_record
from territory.render.encode import GeometryTable, shape_keys
from territory.render.symbols import STYLE, labels
from territory.words import number, word

__all__ = [
    "CAPITALS",
    "FIELDS",
    "TOTAL_FIELDS",
    "TOWN_MIN_POPULATION",
    "ZoneDraft",
    "control_at",
    "placed_rows",
    "places_payload",
    "region_names",
    "scenario_record",
    "unplaced_rows",
    "zone_draft",
    "zone_rows",
    "zones_payload",
]

#: The attributes of a zone on the page, in the order of each row: the zones contract
#: without the scenario (one layer per scenario) and with the geometry as a shape id.
# The snapshot is the same for every zone of a page: given once, not per zone.
FIELDS = ("shape", *(c for c in ZONE_COLUMNS if c not in ("scenario", "snapshot", "geometry")))


def _area_text(area: Any, lang: str = "en") -> str:
    """A sub-area in words, for the panel's list of rules."""
    if area is None:
        return ""
    if area.is_band:
        side = word(f"side_{area.side}", lang)
        return word("area_band", lang, km=f"{area.along_line_km:g}", side=side)
    if area.file is not None:
        return word("area_file", lang, name=area.file.name)
    around = area.around if isinstance(area.around, str) else "{:.3f}, {:.3f}".format(*area.around)
    return word("area_circle", lang, km=f"{area.radius_km:g}", around=around)


def _rule_record(rule: Any, lang: str = "en") -> dict[str, Any]:
    return {
        "regions": list(rule.regions),
        "area": _area_text(rule.area, lang),
        "control": rule.control,
        "line": str(rule.line or ""),
        "recognition": rule.recognition,
        "recognised_by": list(rule.recognised_by),
        "demilitarised": rule.demilitarised,
        "label": rule.label,
        "claim": rule.claim,
    }


def _text(value: Any) -> str:
    """A zone's text value; empty for a missing one (None, NaN) of zones read back."""
    return "" if value is None or value != value else str(value)


_ORDER = ("region", "control_after", "control_now", "held_since", "change", "recognition", "label")
_TEXT = ("region", "region_name", "control_now", "held_since", "control_after", "change")


def zone_rows(
    table: GeometryTable,
    zones: gpd.GeoDataFrame,
    lang: str = "en",
    keys: list[bytes] | None = None,
) -> list[list[Any]]:
    """One row per zone in ``FIELDS`` order, sorted so that the page is the same for the
    same zones, its shape added to ``table``. ``keys``: the zones'
    :func:`~territory.render.encode.shape_keys`, when made already."""
    geometries = zones.geometry.values
    if keys is None:  # each shape's WKB, made for all the zones at once
        keys = shapely.to_wkb(geometries).tolist()
    return placed_rows(table, geometries, keys, unplaced_rows(zones, lang))


def unplaced_rows(zones: gpd.GeoDataFrame, lang: str = "en") -> list[tuple[int, list[Any]]]:
    """:func:`zone_rows` but the shapes, each with its zone's place in ``zones`` (made
    where the zones were resolved; :func:`placed_rows` adds the shapes where the page is).

    Plain Python: tens of rows, where pandas' sorting costs more than the rows.

    Examples
    --------
    >>> from territory import resolve
    >>> index, row = unplaced_rows(resolve("freeze", "2022-02-23"))[0]
    >>> row[:2]
    ['UA-05', 'Vinnytsia']
    """
    # Each column as a list first: reading a pandas column value by value costs more.
    text = {c: [_text(v) for v in zones[c].tolist()] for c in (*_TEXT, "recognition", "label")}
    if lang != "en":  # the region's name in the page's language
        names = region_names(lang)
        text["region_name"] = [
            names.get(r, n) for r, n in zip(text["region"], text["region_name"], strict=True)
        ]
    flags = [bool(v) for v in demilitarised_of(zones).tolist()]
    areas = [round(float(v), 1) for v in zones["area_km2"].tolist()]
    order = sorted(range(len(zones)), key=lambda i: tuple(text[c][i] for c in _ORDER))
    return [
        (
            i,
            [
                *(text[c][i] for c in _TEXT),
                text["recognition"][i],
                flags[i],
                text["label"][i],
                areas[i],
            ],
        )
        for i in order
    ]


def placed_rows(
    table: GeometryTable,
    geometries: Sequence[Any],
    keys: list[bytes],
    unplaced: list[tuple[int, list[Any]]],
) -> list[list[Any]]:
    """Rows of :func:`unplaced_rows`, each led by its zone's shape's index in ``table``
    (added to it): ``geometries`` and ``keys`` are the zones', in their order."""
    return [[table.add(geometries[i], keys[i]), *row] for i, row in unplaced]


def scenario_record(
    table: GeometryTable,
    scenario: Scenario,
    zones: gpd.GeoDataFrame,
    lang: str = "en",
    draft: ZoneDraft | None = None,
) -> dict:
    """A scenario's texts (in ``lang`` where the scenario has them, else in English), rules
    and zone rows (adding its shapes to the page's shape ``table``): from the zones'
    ``draft`` (:func:`zone_draft`, for a page in ``lang``) when it is made already."""
    if draft is None:
        totals, rows = _totals(zones), zone_rows(table, zones, lang)
    else:
        totals = draft.totals
        rows = placed_rows(table, zones.geometry.values, draft.keys, draft.rows)
    return {
        "id": scenario.id,
        "title": scenario.text("title", lang),
        "summary": scenario.text("summary", lang),
        "notes": list(scenario.notes),
        "source": {str(k): str(v) for k, v in sorted(scenario.source.items())},
        "rules": [_rule_record(rule, lang) for rule in scenario.rules],
        "totals": totals,
        "zones": rows,
    }


def region_names(lang: str = "en") -> dict[str, str]:
    """Each unit's name as the page writes it (``"Donetsk"``, ``"Донецька область"``).

    Examples
    --------
    >>> region_names("uk")["UA-14"], region_names()["UA-14"]
    ('Донецька область', 'Donetsk')
    """

    table = units().set_index("iso")
    return {str(k): str(v) for k, v in table["name_uk" if lang == "uk" else "name"].items()}


#: The panel's figures, in the order a history page's frames list them.
TOTAL_FIELDS = ("russia", "ukraine", "contested", "to_russia", "to_ukraine", "demilitarised", "all")


def _totals(zones: gpd.GeoDataFrame) -> dict[str, float]:
    """The panel's figures: :func:`territory.totals`' row (the page adds nothing up)."""
    row: dict[str, Any] = total_record(zones)
    out = {name: round(float(row[f"{name}_km2"]), 2) for name in TOTAL_FIELDS[:-1]}
    out["all"] = round(float(row["area_km2"]), 2)
    return out


@dataclasses.dataclass(frozen=True)
class ZoneDraft:
    """What a history page takes from one scenario's zones on one date, made where the
    zones were resolved: the panel's figures, a key for each zone's shape, and the zones'
    rows but their shapes (:func:`unplaced_rows`)."""

    totals: dict[str, float]
    keys: list[bytes]
    rows: list[tuple[int, list[Any]]]


def zone_draft(
    zones: gpd.GeoDataFrame, made: dict[int, bytes] | None = None, lang: str = "en"
) -> ZoneDraft:
    """The :class:`ZoneDraft` of some zones, for a page in ``lang``. ``made``: the keys of the
    geometries keyed so far, by object (the scenarios of one date share many), added to."""
    keys = shape_keys(zones.geometry.values, made)
    return ZoneDraft(_totals(zones), keys, unplaced_rows(zones, lang))


def _region_table(zones: gpd.GeoDataFrame, lang: str = "en") -> dict[str, list[Any]]:
    names = region_names(lang)
    areas = zones.groupby("region")["area_km2"].sum()
    return {
        str(code): [str(names.get(code, code)), round(float(areas.get(code, 0.0)), 1)]
        for code in sorted(set(names) | set(areas.index))
    }


def zones_payload(
    table: GeometryTable,
    resolved: Sequence[tuple[Scenario, gpd.GeoDataFrame]],
    *,
    active: str | None = None,
    right: str | None = None,
    lang: str = "en",
    drafts: Sequence[ZoneDraft] | None = None,
) -> dict[str, Any]:
    """What the zones step (:func:`territory.render.zones.add_zones`, which says what the
    arguments mean) hands the page: every scenario's record and zone rows, their shapes
    added to ``table``, with the words, regions and style the page draws them with.
    ``drafts``: each scenario's :func:`zone_draft`, when made already.

    Examples
    --------
    >>> from territory import resolve, scenario
    >>> from territory.render.encode import GeometryTable
    >>> table = GeometryTable()
    >>> payload = zones_payload(table, [(scenario("freeze"), resolve("freeze", "2022-02-23"))])
    >>> payload["active"], len(table) > 0
    ('freeze', True)
    """
    if not resolved:
        raise ValueError("no scenarios to draw")
    first = resolved[0][1]
    ids = [scenario.id for scenario, _ in resolved]
    return {
        "snapshot": {
            "name": snapshot_of(first),
            "date": snapshot_date_of(first),
        },
        "active": active or ids[0],
        "right": right or ids[min(1, len(ids) - 1)],
        "fields": list(FIELDS),
        "words": labels(lang),
        "regions": _region_table(first, lang),
        "style": {
            k: STYLE[k]
            for k in ("fill", "fill_opacity", "edge", "contested_edge", "change", "demilitarised")
        },
        "scenarios": [
            scenario_record(table, s, zones, lang, drafts[i] if drafts is not None else None)
            for i, (s, zones) in enumerate(resolved)
        ],
    }


#: Towns at least this large get a marker.
TOWN_MIN_POPULATION = 100_000


def control_at(
    points: gpd.GeoSeries,
    zones: gpd.GeoDataFrame,
    column: str = "control_after",
    tree: shapely.STRtree | None = None,
) -> list[str]:
    """``control_after`` (or another ``column``) of the zone under each point (empty where
    no zone is; the first zone, where a point is on the edge of two). ``tree``: the points'
    STRtree, when made already (a page asks every scenario's zones about the same places).

    Examples
    --------
    >>> from territory import resolve
    >>> zones = resolve("putin-demands", "2022-02-23")
    >>> control_at(gpd.GeoSeries([shapely.Point(35.14, 47.84)], crs=4326), zones)
    ['russia']
    """
    tree = tree if tree is not None else shapely.STRtree(points.values)
    # The zones are the queries: each is prepared once and tested against the points in
    # its box (a point's query would test it against a whole unprepared outline).
    zone_index, point_index = tree.query(zones.geometry.values, predicate="intersects")
    values = zones[column].to_numpy()
    found = [""] * len(points)
    # The query lists hits zone by zone: the last written, the first zone, wins.
    for z, p in zip(zone_index[::-1].tolist(), point_index[::-1].tolist(), strict=True):
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


def places_payload(
    regions: Iterable[str] | None = None,
    zones: Sequence[gpd.GeoDataFrame] = (),
    *,
    min_population: int = TOWN_MIN_POPULATION,
    lang: str = "en",
) -> dict[str, Any]:
    """What the places step (:func:`territory.render.markers.add_places`, which says what
    the arguments mean) hands the page: each place marked, with who holds it now and under
    each scenario, its style and its toggle's words.

    Examples
    --------
    >>> payload = places_payload(["UA-23"])
    >>> "Zaporizhzhia Nuclear Power Plant" in [p["name"] for p in payload["places"]]
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
    tree = shapely.STRtree(points.values)
    after = [control_at(points, z, tree=tree) for z in zones]
    now = control_at(points, zones[0], "control_now", tree) if len(zones) else [""] * len(chosen)
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
    return payload
