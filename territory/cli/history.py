"""Commands over time: the share held on each date, and the towns that changed hands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

import territory
from territory import rates, series, towns
from territory.cli.base import (
    LINE_FILE,
    aligned,
    dates_options,
    echo,
    emit,
    format_option,
    joined,
    note,
    offline_option,
    plain_dates,
    progress_bar,
    quiet_option,
    read_dated,
    readable_shares,
    scenarios_option,
)
from territory.export import write_text
from territory.reference import LineRef

history_lines_option = click.option(
    "--line",
    "lines",
    type=LINE_FILE,
    metavar="FILE|SOURCE",
    required=True,
    multiple=True,
    help="A file of many dates (an archive), a source to fetch (archive), or several files "
    "of one date each (repeat --line).",
)


@click.command("history")
@click.argument("scenario_id", metavar="[SCENARIO]", required=False)
@quiet_option
@history_lines_option
@dates_options("day", "Thin the dates: one a week or a month (the last of each).")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also draw the share held over time (.png, .svg or .pdf).",
)
@click.option(
    "--rate-chart",
    "rate_chart_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also draw the km² Russia took a day, over time, for Ukraine (.png, .svg or .pdf).",
)
@click.option(
    "--rolling",
    "window",
    metavar="DAYS",
    default=None,
    help="Also the mean km² a day over a trailing window, such as 30d or 4w.",
)
@click.option(
    "--towns",
    "towns_file",
    type=click.Path(path_type=Path),
    default=None,
    help="With SCENARIO: also write the towns it would move on each date to this CSV file.",
)
@offline_option
@scenarios_option
@format_option
def history_command(
    scenario_id: str | None,
    lines: tuple[LineRef, ...],
    every: str,
    start: str | None,
    end: str | None,
    chart_path: Path | None,
    rate_chart_path: Path | None,
    window: str | None,
    towns_file: Path | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
    fmt: str,
) -> None:
    """Russian-held km² and share per region for each date of a history, and the km² that
    changed hands since the date before (in all, and a day); with SCENARIO, what that
    scenario would move on each date (km² per region, and towns)."""

    rolling_days = rates.parse_window(window) if window is not None else None
    if scenario_id is not None and (rolling_days is not None or rate_chart_path is not None):
        raise territory.TerritoryError(
            "--rolling and --rate-chart go with the shares over time, not SCENARIO"
        )
    if towns_file is not None and (scenario_id is None or towns_file.suffix.lower() != ".csv"):
        raise territory.TerritoryError(f"{towns_file}: --towns writes SCENARIO's towns as .csv")

    history, dates = read_dated(lines, offline, every, start, end)
    if not dates:
        raise territory.TerritoryError(f"{joined(lines)}: no dated map in the range asked for")
    note(f"territory: {len(dates)} date(s), {dates[0]} to {dates[-1]}")
    if scenario_id is None:
        _shares(history, dates, fmt, chart_path, rate_chart_path, rolling_days)
        return
    found = territory.scenario(scenario_id, *scenario_files)
    with progress_bar(len(dates), "territory: dates") as progress:
        by_region, towns = series.price_over_time(history, found, dates, progress=progress)
    if fmt == "json":
        record = {
            "scenario": found.id,
            "regions": json.loads(by_region.to_json(orient="records", date_format="iso")),
            "towns": json.loads(towns.to_json(orient="records", date_format="iso")),
        }
        echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    if towns_file is not None:
        write_text(towns.to_csv(index=False), towns_file)
        note(f"wrote {towns_file} ({len(towns):,} rows)")
    emit(by_region, fmt)
    if fmt == "table":
        for title, rows in (
            ("Towns that would change hands", towns[towns["change"] != "none"]),
            ("Towns in demilitarised ground", towns[towns["demilitarised"]]),
        ):
            if len(rows):
                echo(f"\n{title} (pre-war population), by date:")
                echo(aligned(_towns_by_date(rows)))


def _shares(
    history: Any,
    dates: list[Any],
    fmt: str,
    chart_path: Path | None,
    rate_chart_path: Path | None,
    rolling_days: int | None,
) -> None:
    """``history`` without a scenario: the shares held on each date, their rates, charts."""

    with progress_bar(len(dates), "territory: dates") as progress:
        table = series.shares_over_time(history, dates, progress=progress)
    if chart_path is not None:
        series.chart(table, chart_path, credit=history.credit)
        note(f"wrote {chart_path}")
    table = rates.with_rates(table, rolling_days=rolling_days)
    if rate_chart_path is not None:
        rates.chart(table, rate_chart_path, credit=history.credit)
        note(f"wrote {rate_chart_path}")
    # Shares over time move by hundredths of a point: two decimals.
    emit(table if fmt != "table" else readable_shares(table), fmt, percent_digits=2)


def _towns_by_date(towns: pd.DataFrame, shown: int = 6) -> pd.DataFrame:
    """One row a date: how many towns, their population, and the names of the largest
    (all of them go to --towns FILE)."""
    rows = []
    for day, group in towns.groupby("date", sort=True):
        group = group.sort_values("population", ascending=False, kind="stable")
        names = ", ".join(
            f"{n} ({p:,})" if pd.notna(p) else str(n)
            for n, p in zip(group["name"][:shown], group["population"][:shown], strict=True)
        )
        if len(group) > shown:
            names += f" and {len(group) - shown} more"
        rows.append((day, len(group), int(group["population"].fillna(0).sum()), names))
    return plain_dates(pd.DataFrame(rows, columns=["date", "towns", "population", "names"]))


@click.command("towns")
@quiet_option
@history_lines_option
@dates_options("day", "Compare one date a week or a month (the last of each).")
@offline_option
@format_option
def towns_command(
    lines: tuple[LineRef, ...],
    every: str,
    start: str | None,
    end: str | None,
    offline: bool | None,
    fmt: str,
) -> None:
    """The towns that changed hands over a history, and when: each change on the first
    date that shows it, with the date before, the sides and the pre-war population."""

    history, dates = read_dated(lines, offline, every, start, end)
    if len(dates) < 2:
        raise territory.TerritoryError(f"{joined(lines)}: fewer than two dates to compare")
    note(f"territory: {len(dates)} date(s), {dates[0]} to {dates[-1]}")
    with progress_bar(len(dates), "territory: dates") as progress:
        table = towns.towns_over_time(history, dates, progress=progress)
    if table.empty and fmt == "table":
        echo("No town changed hands.")
        return
    emit(table, fmt)
