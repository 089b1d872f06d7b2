"""Numbers from zones: km² and shares per region, and what changes hands between two maps."""

from __future__ import annotations

import dataclasses
import math
import re

import geopandas as gpd
import pandas as pd
import shapely

from territory._places import places_within
from territory.geodesy import areas_km2
from territory.geometry import polygonal
from territory.vocabulary import CONTROL, DIRECTIONS, TOTAL, change

__all__ = ["Diff", "TOWNS_CAVEAT", "demilitarised_of", "demilitarised_towns", "diff", "stats"]

_RECOGNITION = ("de_facto", "de_jure")
_DEMILITARISED = "demilitarised"

#: What the population figures of the towns that change hands are, and are not.
TOWNS_CAVEAT = (
    "Populations are pre-war figures for towns of 10,000 people or more (GeoNames, corrected "
    "against official estimates where noted; outside the regions a front line or proposal "
    "reaches, only cities of 100,000 or more); they leave out villages and rural areas and "
    "do not reflect displacement since 2014 and 2022."
)


def stats(zones: gpd.GeoDataFrame, *, total: bool = False) -> pd.DataFrame:
    """km² and share per region by ``control_after``, ``change`` and ``recognition``.

    One row per region that appears in the zones, and no total among them: a column's sum
    over the rows is the total (:func:`totals` gives the all-Ukraine row with its shares).
    With ``total``, that row follows the regions, as the command line prints the table and
    CSV exports hold it.
    Columns: ``scenario``, ``region``, ``region_name``, ``area_km2``, then for each status
    ``<status>_km2`` and ``<status>_share`` (a fraction of the region's area), where status is
    ``ukraine``, ``russia``, ``contested`` (control after), ``to_russia``, ``to_ukraine``
    (change), ``de_facto``, ``de_jure`` (recognition of Russian control) and
    ``demilitarised`` (ground a scenario demilitarises, whoever controls it).

    Examples
    --------
    >>> from territory import resolve
    >>> table = stats(resolve("putin-demands"))
    >>> float(table.set_index("region").loc["UA-23", "russia_share"])
    1.0
    >>> total = totals(resolve("putin-demands"))["russia_km2"].iloc[0]
    >>> bool(abs(table["russia_km2"].sum() - total) < 0.1)  # sums of regions are totals
    True
    """
    table = _table(zones)
    by_region = table[table["region"] != TOTAL].reset_index(drop=True)
    return _with_totals(by_region, totals(zones)) if total else by_region


def totals(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """The all-Ukraine row of :func:`stats` (``region`` = ``UA``), kept apart from the regions.

    Examples
    --------
    >>> from territory import resolve
    >>> row = totals(resolve("us-russia-draft")).iloc[0]
    >>> row["region"], row["region_name"], bool(0.19 < row["russia_share"] < 0.21)
    ('UA', 'Ukraine', True)
    """
    return _table(zones, regions=False)


def demilitarised_of(zones: gpd.GeoDataFrame) -> pd.Series:
    """The zones' ``demilitarised`` column as booleans; all false for zones written before
    the column existed (or read back from a format that left it empty).

    Examples
    --------
    >>> from territory import resolve
    >>> bool(demilitarised_of(resolve("freeze")).any())
    False
    """
    if "demilitarised" not in zones:
        return pd.Series(False, index=zones.index)
    return zones["demilitarised"].fillna(False).astype(bool)


def _with_totals(table: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    """Regions then their total, as the command line prints them and CSV exports hold them."""
    return pd.concat([table, total], ignore_index=True) if len(table) else table


def _records(zones: gpd.GeoDataFrame, *, regions: bool = True) -> list[dict[str, object]]:
    """Per-region sums (unless ``regions`` is false), then the total row (the sums of the
    regions' sums), km² and shares, as plain records.

    Sums are accumulated exactly (``math.fsum``) in plain Python: zones have tens of rows,
    where pandas' grouping costs more than the sums themselves.
    """
    scenario = str(zones["scenario"].iloc[0]) if "scenario" in zones and len(zones) else ""
    statuses = (*CONTROL, *DIRECTIONS, *_RECOGNITION, _DEMILITARISED)
    parts: dict[str, dict[str, list[float]]] = {}
    names: dict[str, str] = {}
    columns = [zones[c].tolist() for c in ("control_after", "change", "recognition")]
    demilitarised = demilitarised_of(zones).tolist()
    rows_of = [zones[c].tolist() for c in ("region", "region_name", "area_km2")]
    for i, (region, name, area) in enumerate(zip(*rows_of, strict=True)):
        names.setdefault(region, name)
        sums = parts.setdefault(region, {key: [] for key in ("area", *statuses)})
        sums["area"].append(area)
        for values in columns:
            if values[i] in sums:
                sums[values[i]].append(area)
        if demilitarised[i]:
            sums[_DEMILITARISED].append(area)
    keys = ("area", *statuses)
    by_region = {r: [math.fsum(parts[r][k]) for k in keys] for r in sorted(parts)}
    total = [math.fsum(column) for column in zip(*by_region.values(), strict=True)]
    rows = [(r, names[r], km2s) for r, km2s in by_region.items()] if regions else []
    rows.append((TOTAL, "Ukraine", total or [0.0] * len(keys)))
    records = []
    for region, name, km2s in rows:
        area = km2s[0]
        record: dict[str, object] = {
            "scenario": scenario,
            "region": region,
            "region_name": name,
            "area_km2": round(area, 2),
        }
        for value, km2 in zip(statuses, km2s[1:], strict=True):
            record[f"{value}_km2"] = round(km2, 2)
            record[f"{value}_share"] = round(km2 / area, 6) if area else float("nan")
        records.append(record)
    return records


def _table(zones: gpd.GeoDataFrame, *, regions: bool = True) -> pd.DataFrame:
    return pd.DataFrame.from_records(_records(zones, regions=regions))


def total_record(zones: gpd.GeoDataFrame) -> dict[str, object]:
    """The all-Ukraine row of :func:`totals` as a plain dict (for the map's panel, which
    needs a handful of numbers per scenario and no DataFrame)."""
    return _records(zones, regions=False)[0]


@dataclasses.dataclass(frozen=True, repr=False)
class Diff:
    """What changes hands between two sets of zones of the same territory.

    Attributes
    ----------
    areas : GeoDataFrame
        The pieces whose control differs: ``region``, ``region_name``, ``control_a``,
        ``control_b``, ``change`` (``to_russia``, ``to_ukraine`` or ``other``), ``area_km2``.
    towns : GeoDataFrame
        Towns inside those pieces, with ``name``, ``region``, ``population``, ``change`` and
        ``demilitarised`` (whether the town lies in ``b``'s demilitarised ground).
    demilitarised_towns : GeoDataFrame
        Every town in ``b``'s demilitarised ground, whether or not it changes hands, with
        ``name``, ``region``, ``population`` and ``change``.
    a, b : str
        What was compared (scenario ids).
    """

    a: str
    b: str
    areas: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    demilitarised_towns: gpd.GeoDataFrame = dataclasses.field(
        default_factory=lambda: _town_frame([])
    )

    @property
    def by_region(self) -> pd.DataFrame:
        """km² changing hands per region and direction (no total row: see ``totals``)."""
        table = self._table()
        return table[table["region"] != TOTAL].reset_index(drop=True)

    @property
    def totals(self) -> pd.DataFrame:
        """The all-Ukraine row (``region`` = ``UA``) of ``by_region``, kept apart from it."""
        table = self._table()
        return table[table["region"] == TOTAL].reset_index(drop=True)

    @property
    def table(self) -> pd.DataFrame:
        """``by_region`` then its ``totals`` row, as the command line prints them."""
        return _with_totals(self.by_region, self.totals)

    def _table(self) -> pd.DataFrame:
        columns = [f"{kind}_km2" for kind in (*DIRECTIONS, *_RECOGNITION_CHANGES)]
        if self.areas.empty:
            return pd.DataFrame(columns=["region", "region_name", *columns])
        index = ["region", "region_name"]
        control = self.areas.pivot_table(
            index=index, columns="change", values="area_km2", aggfunc="sum"
        )
        recognition = self.areas.pivot_table(
            index=index, columns="recognition_change", values="area_km2", aggfunc="sum"
        )
        out = pd.DataFrame(index=control.index.union(recognition.index))
        for kind, table in [(k, control) for k in DIRECTIONS] + [
            (k, recognition) for k in _RECOGNITION_CHANGES
        ]:
            values = table[kind] if kind in table else pd.Series(dtype=float)
            out[f"{kind}_km2"] = values.reindex(out.index).fillna(0.0)
        out = out.reset_index()
        total = {"region": TOTAL, "region_name": "Ukraine"}
        total.update({c: out[c].sum() for c in columns})
        out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
        return out.round(dict.fromkeys(columns, 2))

    def __repr__(self) -> str:
        """One line: what is compared and the totals, not the geometry.

        >>> from territory import resolve
        >>> diff(resolve("status-quo"), resolve("us-russia-draft"))  # doctest: +ELLIPSIS
        Diff('status-quo' -> 'us-russia-draft': 6,452 km² to Russia, 0 km² to Ukraine, ...)
        """
        recognised = sum(self.recognition_km2(k) for k in ("to_de_facto", "to_de_jure"))
        return (
            f"Diff({self.a!r} -> {self.b!r}: {self.km2('to_russia'):,.0f} km² to Russia, "
            f"{self.km2('to_ukraine'):,.0f} km² to Ukraine, {recognised:,.0f} km² newly "
            f"recognised, {self.recognition_km2('to_unrecognised'):,.0f} km² no longer "
            f"recognised, {len(self.towns)} towns)"
        )

    def recognition_km2(self, change: str = "to_de_jure") -> float:
        """Total km² whose recognition changes one way (``to_de_facto``, ``to_de_jure``,
        ``to_unrecognised``)."""
        chosen = self.areas["recognition_change"] == change
        return float(self.areas.loc[chosen, "area_km2"].sum())

    def km2(self, change: str = "to_russia") -> float:
        """Total km² changing hands in one direction."""
        return float(self.areas.loc[self.areas["change"] == change, "area_km2"].sum())

    @property
    def town_population(self) -> int:
        """Sum of the (pre-war) populations of the towns that change hands."""
        return int(self.towns["population"].fillna(0).sum()) if len(self.towns) else 0

    def all_towns(self) -> pd.DataFrame:
        """The towns that change hands, then those that only lie in ``b``'s demilitarised
        ground (``change`` = ``none``), each flagged ``demilitarised``: one table without
        geometry, as ``compare --towns`` writes it and ``history SCENARIO`` lists it."""
        moved = pd.DataFrame(self.towns.drop(columns="geometry"))
        kept = pd.DataFrame(self.demilitarised_towns.drop(columns="geometry"))
        kept = kept[~kept["name"].isin(moved["name"])].assign(demilitarised=True)
        table = pd.concat([moved, kept], ignore_index=True)
        table["demilitarised"] = table["demilitarised"].astype("boolean").fillna(False)
        return table.astype({"demilitarised": bool})

    @property
    def demilitarised_population(self) -> int:
        """Sum of the (pre-war) populations of the towns in ``b``'s demilitarised ground."""
        towns = self.demilitarised_towns
        return int(towns["population"].fillna(0).sum()) if len(towns) else 0

    caveat = TOWNS_CAVEAT


#: How the recognition of Russian control can change from ``a`` to ``b``.
_RECOGNITION_CHANGES = ("to_de_facto", "to_de_jure", "to_unrecognised")


def diff(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame | None = None) -> Diff:
    """The territory and towns that change hands from zones ``a`` to zones ``b``.

    With one argument, compares a scenario's zones with their own snapshot
    (``control_now`` against ``control_after``).

    Examples
    --------
    >>> from territory import resolve
    >>> now, draft = resolve("status-quo"), resolve("us-russia-draft")
    >>> change = diff(now, draft)
    >>> round(change.km2("to_russia")) == round(diff(draft).km2("to_russia"))
    True
    >>> "Kramatorsk" in change.towns["name"].tolist()
    True
    """
    if b is None:
        # A snapshot recognises nothing: against it, any recognition is a change.
        recognised = (a["control_after"] == "russia") & (a["recognition"] != "none")
        pieces = a[(a["control_now"] != a["control_after"]) | recognised]
        areas = gpd.GeoDataFrame(
            {
                "region": pieces["region"],
                "region_name": pieces["region_name"],
                "control_a": pieces["control_now"],
                "control_b": pieces["control_after"],
                "recognition_a": "none",
                "recognition_b": pieces["recognition"],
            },
            geometry=pieces.geometry.values,
            crs=4326,
        )
        label_a = snapshot_of(a) or "snapshot"
    else:
        left = a[["region", "region_name", "control_after", "recognition", "geometry"]].rename(
            columns={"control_after": "control_a", "recognition": "recognition_a"}
        )
        right = b[["region", "control_after", "recognition", "geometry"]].rename(
            columns={
                "control_after": "control_b",
                "recognition": "recognition_b",
                "region": "region_b",
            }
        )
        differs = _overlay_differences(left, right)
        areas = differs
        label_a = _scenario_of(a)
    areas = _finish(areas)
    after = b if b is not None else a
    demilitarised = demilitarised_towns(after)
    towns = _towns(areas)
    towns["demilitarised"] = towns["name"].isin(demilitarised["name"]).astype(bool)
    return Diff(
        a=label_a,
        b=_scenario_of(after),
        areas=areas,
        towns=towns,
        demilitarised_towns=demilitarised,
    )


def demilitarised_towns(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The towns (10,000 people or more before the war) in the zones' demilitarised ground,
    largest first, with ``change``: whether the scenario also moves them to the other side.

    Examples
    --------
    >>> from territory import resolve
    >>> towns = demilitarised_towns(resolve("28-point-plan", "2025-08-08"))
    >>> {"Kramatorsk", "Sloviansk"} <= set(towns["name"])
    True
    """

    chosen = zones[demilitarised_of(zones)]
    found = []
    for row in chosen.itertuples():
        inside = places_within(row.geometry, kinds=("town",))
        inside = inside[inside["region"] == row.region].copy()
        inside["change"] = row.change
        found.append(inside)
    return _town_frame(found)


def _town_frame(found: list[pd.DataFrame]) -> gpd.GeoDataFrame:
    """Towns found in several pieces, once each, largest first, in the columns shown."""
    columns = ["name", "region", "population", "change", "geometry"]
    if not found:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=4326)
    towns = pd.concat(found, ignore_index=True)
    towns = towns.sort_values("population", ascending=False).drop_duplicates("name")
    keep = [
        c
        for c in ("name", "name_uk", "region", "population", "population_source", "change")
        if c in towns
    ]
    return gpd.GeoDataFrame(
        towns[[*keep, "geometry"]].reset_index(drop=True), geometry="geometry", crs=4326
    )


def _scenario_of(zones: gpd.GeoDataFrame) -> str:
    return str(zones["scenario"].iloc[0]) if "scenario" in zones and len(zones) else ""


def snapshot_of(zones: gpd.GeoDataFrame) -> str:
    """The snapshot that zones came from, from their ``snapshot`` column: its date
    (``YYYY-MM-DD``), or its name when it has none; empty for zones without the column.

    Examples
    --------
    >>> import territory
    >>> snapshot_of(territory.resolve("freeze", "2022-02-23"))
    '2022-02-23'
    """
    if "snapshot" not in zones or not len(zones):
        return ""
    value = zones["snapshot"].iloc[0]
    if isinstance(value, pd.Timestamp):  # GeoJSON read back: OGR takes the date for a date
        return value.date().isoformat()
    return "" if pd.isna(value) else str(value)


def snapshot_date_of(zones: gpd.GeoDataFrame) -> str:
    """The snapshot's date as ``YYYY-MM-DD``, or empty when the zones' snapshot has none."""
    label = snapshot_of(zones)
    return label if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label) else ""


def _overlay_differences(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rows = []
    for region, group_a in left.groupby("region"):
        group_b = right[right["region_b"] == region]
        for row_a in group_a.itertuples():
            for row_b in group_b.itertuples():
                same = row_a.control_a == row_b.control_b
                if same and row_a.recognition_a == row_b.recognition_b:
                    continue
                piece = polygonal(shapely.intersection(row_a.geometry, row_b.geometry))
                if not piece.is_empty:
                    rows.append(
                        {
                            "region": region,
                            "region_name": row_a.region_name,
                            "control_a": row_a.control_a,
                            "control_b": row_b.control_b,
                            "recognition_a": row_a.recognition_a,
                            "recognition_b": row_b.recognition_b,
                            "geometry": piece,
                        }
                    )
    columns = [
        "region",
        "region_name",
        "control_a",
        "control_b",
        "recognition_a",
        "recognition_b",
        "geometry",
    ]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs=4326)


def _recognition_change(control_a: str, control_b: str, before: str, after: str) -> str:
    """How the recognition of Russian control changes on a piece held by Russia in ``b``:
    ``to_de_facto``, ``to_de_jure``, ``to_unrecognised``, or ``none``."""
    if control_b != "russia":
        return "none"
    before = before if control_a == "russia" else "none"
    if before == after:
        return "none"
    return "to_unrecognised" if after == "none" else f"to_{after}"


def _finish(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    areas = areas.copy()
    areas["change"] = [
        change(x, y, otherwise="other")
        for x, y in zip(areas["control_a"], areas["control_b"], strict=True)
    ]
    areas["recognition_change"] = [
        _recognition_change(*values)
        for values in zip(
            areas["control_a"],
            areas["control_b"],
            areas["recognition_a"],
            areas["recognition_b"],
            strict=True,
        )
    ]
    keys = ["region", "region_name", "control_a", "control_b", "change", "recognition_change"]
    if len(areas):
        areas = areas.dissolve(by=keys, as_index=False)
    areas["area_km2"] = areas_km2(areas.geometry)
    areas = areas[areas["area_km2"] > 1e-4]
    columns = [*keys, "area_km2", "geometry"]
    return gpd.GeoDataFrame(areas[columns].reset_index(drop=True), geometry="geometry", crs=4326)


def _towns(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:

    found = []
    for row in areas.itertuples():
        if row.change in ("other", "none"):
            continue
        inside = places_within(row.geometry, kinds=("town",))
        inside = inside[inside["region"] == row.region].copy()
        inside["change"] = row.change
        found.append(inside)
    return _town_frame(found)
