"""Commands: the shipped scenarios and lines, checking a file, fetching a line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

import territory
from territory.cli.base import (
    LINE_FILE,
    echo,
    emit,
    format_option,
    offline_option,
    quiet_option,
    reading,
    scenarios_option,
)
from territory.fetch import fetch
from territory.reference import LineRef
from territory.validate import validate


@click.command("scenarios")
@quiet_option
@scenarios_option
@format_option
def scenarios_command(scenario_files: tuple[Path, ...], fmt: str) -> None:
    """List the settlement scenarios, with their sources."""
    found = territory.scenarios(*scenario_files)
    if fmt == "json":
        echo(json.dumps([s.as_record() for s in found], indent=2, ensure_ascii=False))
        return
    table = pd.DataFrame(
        {
            "id": [s.id for s in found],
            "title": [s.title for s in found],
            "source": [s.citation for s in found],
        }
    )
    emit(table, fmt)


@click.command("snapshots")
@quiet_option
@click.option(
    "--line",
    "line",
    type=LINE_FILE,
    metavar="FILE|SOURCE",
    default=None,
    help="List the dates a front-line file (or a source to fetch, such as archive) holds "
    "instead of the shipped snapshots.",
)
@offline_option
@format_option
def snapshots_command(line: LineRef | None, offline: bool | None, fmt: str) -> None:
    """List the shipped snapshots of the front line (the last is the default), or the
    dates a file holds."""
    if line is None:
        emit(territory.snapshots(), fmt)
        return
    with reading() as progress:
        history = territory.read_history(line, offline=offline, progress=progress)
    rows = [
        {"date": day, "polygons": len(history.frames[day]), "newest": day == history.newest}
        for day in history.frames
    ]
    emit(pd.DataFrame(rows, columns=["date", "polygons", "newest"]), fmt)


@click.command("fetch")
@quiet_option
@click.argument("reference", metavar="SOURCE", default="deepstate:latest")
@offline_option
def fetch_command(reference: str, offline: bool | None) -> None:
    """Download a front line into the cache (default: deepstate:latest).

    SOURCE is deepstate:latest, deepstate:YYYY-MM-DD, archive (every date since July 2024)
    or archive:YYYY-MM-DD. Use it then with --line SOURCE; a second run works offline.
    """

    fetched = fetch(reference, offline=offline)
    with reading() as progress:
        history = territory.read_history(fetched.path, progress=progress)
    dates = history.dates
    held = (
        f"{len(dates)} dates, {dates[0]} to {dates[-1]}"
        if len(dates) > 1
        else str(dates[0] if dates else "no date")
    )
    echo(f"{reference}: {fetched.path} ({held})")
    echo(
        f"Front line: {fetched.credit}. The data is the source's: cite it, do not redistribute it."
    )


@click.command("validate")
@quiet_option
@click.argument("file", metavar="FILE|SOURCE")
@click.option(
    "--date", "date", metavar="YYYY-MM-DD", default=None, help="With an archive: the date to check."
)
def validate_command(file: str, date: str | None) -> None:
    """Check a scenario file (.toml) or a front-line file and say what it contains."""

    with reading() as progress:
        found = validate(file, date=date, progress=progress)
    for line in found:
        echo(line)
