"""Commands: km² and shares of a scenario, what changes hands between two, and export."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click
import pandas as pd

import territory
from territory import render
from territory.cli.base import (
    aligned,
    chosen_scenarios,
    credit_option,
    credited,
    echo,
    emit,
    format_option,
    lang_option,
    line_of,
    line_option,
    note,
    output_option,
    quiet_option,
    scenarios_option,
)
from territory.export import write_text
from territory.reference import LineRef
from territory.vocabulary import TOTAL


@click.command("stats")
@quiet_option
@click.argument("scenario_ids", nargs=-1, metavar="[SCENARIO]...")
@line_option
@scenarios_option
@format_option
def stats_command(
    scenario_ids: tuple[str, ...],
    line: LineRef | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
    fmt: str,
) -> None:
    """km² and shares per region for each scenario (default: all of them)."""
    chosen = chosen_scenarios(scenario_ids, scenario_files)
    snap = line_of(line, offline)
    tables = []
    for s in chosen:
        zones = territory.resolve(s, snap)
        tables.append(territory.stats(zones, total=True))
    table = pd.concat(tables, ignore_index=True)
    emit(_readable(table) if fmt == "table" else table, fmt)


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """The columns that fit a terminal, shares as percentages, units with any change (and
    the demilitarised km² when any scenario shown demilitarises ground)."""
    shown = table[
        (table["russia_km2"] > 0)
        | (table["to_ukraine_km2"] > 0)
        | (table["demilitarised_km2"] > 0)
        | (table["region"] == TOTAL)
    ]
    out = pd.DataFrame(
        {
            "scenario": shown["scenario"],
            "region": shown["region_name"],
            "km2": shown["area_km2"].round(0).astype(int),
            "russia_km2": shown["russia_km2"].round(0).astype(int),
            "russia_%": (shown["russia_share"] * 100).round(1),
            "to_russia_km2": shown["to_russia_km2"].round(0).astype(int),
            "to_ukraine_km2": shown["to_ukraine_km2"].round(0).astype(int),
            "de_facto_%": (shown["de_facto_share"] * 100).round(1),
            "de_jure_%": (shown["de_jure_share"] * 100).round(1),
        }
    )
    if (shown["demilitarised_km2"] > 0).any():
        out["demilitarised_km2"] = shown["demilitarised_km2"].round(0).astype(int)
    return out


@click.command("compare")
@quiet_option
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@output_option(None, "Also write a map of A and B side by side (.html).")
@credit_option
@click.option(
    "--towns",
    "towns_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the towns that change hands to this CSV file.",
)
@lang_option
@line_option
@scenarios_option
@format_option
def compare_command(
    first: str,
    second: str,
    output: Path | None,
    towns_file: Path | None,
    lang: str,
    line: LineRef | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
    fmt: str,
) -> None:
    """What changes hands from scenario A to scenario B, by region, with towns."""
    if output is not None and output.suffix.lower() not in (".html", ".htm"):
        raise territory.TerritoryError(
            f"{output}: compare -o writes the map of the pair (.html); the table goes to "
            "standard output (--format csv), the towns to --towns FILE.csv"
        )
    if towns_file is not None and towns_file.suffix.lower() != ".csv":
        raise territory.TerritoryError(f"{towns_file}: --towns writes CSV; give a .csv file")
    snap = credited(line_of(line, offline))
    scenario_a, scenario_b = territory.scenarios(*scenario_files, only=[first, second])
    a, b = territory.resolve(scenario_a, snap), territory.resolve(scenario_b, snap)
    change = territory.diff(a, b)
    if output is not None:
        page = render.render_comparison(
            [scenario_a, scenario_b],
            snap,
            left=scenario_a.id,
            right=scenario_b.id,
            swipe=True,
            lang=lang,
        )
        render.save_map(page, output)
        note(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)")
    if towns_file is not None:
        towns = change.all_towns()
        write_text(towns.to_csv(index=False), towns_file)
        note(f"wrote {towns_file} ({len(towns)} towns)")
    by_region = change.table
    if fmt == "json":
        echo(json.dumps(_change_record(change, by_region, snap.name), indent=2, ensure_ascii=False))
        return
    if fmt == "table" and by_region.empty:
        echo(f"No ground changes hands or recognition between {first} and {second}.")
    else:
        emit(by_region, fmt)
    if fmt == "table":
        _change_towns(change)


def _change_record(change: Any, by_region: pd.DataFrame, snapshot: str) -> dict[str, Any]:
    """``compare --format json``: the regions, the towns and the caveat, as one record."""

    def records(frame: pd.DataFrame) -> Any:
        return json.loads(frame.to_json(orient="records"))

    return {
        "a": change.a,
        "b": change.b,
        "snapshot": snapshot,
        "regions": records(by_region),
        "towns": records(change.towns.drop(columns="geometry")),
        "town_population": change.town_population,
        "demilitarised_towns": records(change.demilitarised_towns.drop(columns="geometry")),
        "demilitarised_population": change.demilitarised_population,
        "caveat": change.caveat,
    }


def _change_towns(change: Any) -> None:
    """The towns under the table: those that change hands, those in demilitarised ground."""
    echo("")
    towns = change.towns.drop(columns="geometry")
    echo(f"Towns that change hands: {len(towns)}, population {change.town_population:,}")
    if not towns["demilitarised"].any():  # the column says something only when true
        towns = towns.drop(columns="demilitarised")
    if len(towns):
        echo(aligned(pd.DataFrame(towns)))
    kept = change.demilitarised_towns
    stay = kept[kept["change"] == "none"].drop(columns=["geometry", "change"])
    if len(kept):
        echo("")
        echo(
            f"Towns in the demilitarised ground of {change.b}: {len(kept)}, "
            f"population {change.demilitarised_population:,}"
            + (f"; {len(stay)} of them stay on their side:" if len(stay) else "")
        )
    if len(stay):
        echo(aligned(pd.DataFrame(stay)))
    echo(change.caveat)


@click.command("export")
@quiet_option
@click.argument("scenario_id", metavar="SCENARIO")
@output_option(None, "Output file: .geojson, .gpkg (zones) or .csv (stats).")
@line_option
@scenarios_option
def export_command(
    scenario_id: str,
    output: Path | None,
    line: LineRef | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
) -> None:
    """Write a scenario's zones (or its stats) to a file chosen by extension."""
    if output is None:
        raise click.UsageError("give an output file with -o FILE (.geojson, .gpkg or .csv)")
    zones = territory.resolve(
        territory.scenario(scenario_id, *scenario_files), line_of(line, offline)
    )
    if str(output) == "-":  # standard output: GeoJSON, written whole once it is complete
        with tempfile.TemporaryDirectory() as folder:
            written = territory.export_zones(zones, Path(folder) / "zones.geojson")
            echo(written.read_text(encoding="utf-8"), nl=False)
        return
    territory.export_zones(zones, output)
    if output.suffix.lower() == ".csv":
        rows = len(territory.stats(zones)) + 1
        note(f"wrote {output} ({rows} rows: one per region, then all of Ukraine)")
    else:
        note(f"wrote {output} ({len(zones)} zones)")
