"""Check a scenario file or a front-line file, and say what it holds, in a few lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from territory._regions import region_name, regions
from territory._resolve import resolve
from territory._scenarios import load_scenarios
from territory.importers import read_history, snapshot
from territory.progress import Progress
from territory.series import held_km2

__all__ = ["validate"]

#: A line that holds more than this share of Ukraine is almost surely not a front line
#: (region outlines, exported zones): worth a warning.
_IMPLAUSIBLE_SHARE = 0.5


def validate(
    path: str | Path, *, date: dt.date | str | None = None, progress: Progress | None = None
) -> list[str]:
    """Lines that say what a scenario file (``.toml``) or a front-line file holds (or a
    fetched one: ``deepstate:latest``, ``archive``...). ``progress`` is told of reading a
    front-line file as :func:`~territory.read_history` tells it.

    Raises our usual one-line errors (:class:`~territory.errors.TerritoryError`) on a file
    that cannot be used.

    Examples
    --------
    >>> from territory.datafiles import shipped
    >>> validate(shipped("seeds", "article-2025-08.toml"))[0]  # doctest: +ELLIPSIS
    '...article-2025-08.toml: ok, 7 scenario(s): status-quo, freeze, ...'
    """
    if Path(path).suffix.lower() == ".toml":
        return _validate_scenarios(Path(path))
    return _validate_line(path, date, progress)


def _validate_scenarios(path: Path) -> list[str]:
    found = load_scenarios(path)
    line = snapshot()
    for scen in found:
        resolve(scen, line)  # sub-areas and lines must resolve too
    return [f"{path}: ok, {len(found)} scenario(s): {', '.join(s.id for s in found)}"]


def _validate_line(
    path: str | Path, date: dt.date | str | None, progress: Progress | None
) -> list[str]:
    history = read_history(path, progress=progress)
    key, shown = history.chosen(date)
    # Only what is reported is computed: the held km² and the reconciled ground, as loading
    # the map gives them, but not its tags of 2014 and 2022 nor its pieces by region.
    russia_km2, contested_km2, reassigned = held_km2(
        history.frames[key], history.reconcile_outlines
    )
    russia, contested = float(russia_km2.sum()), float(contested_km2.sum())
    report = history.report
    when = shown.isoformat() if shown else "no date"
    lines = [
        f"{path}: ok, front line ({when}): {russia:,.0f} km² Russian-held, "
        f"{contested:,.0f} km² contested",
        f"  format: {report['format']}; {report['layout']}",
        f"  dates: {_dates(history.dates, report['date_column'], shown)}",
        f"  features: {report['features']:,}; polygons: {_counts(report['polygons'])}",
        f"  dropped, wholly outside Ukraine: {report['outside_polygons']} polygon(s), "
        f"{report['outside_km2']:,.0f} km²",
        f"  reconciled with our coast and border: {_reconciled(reassigned)}",
    ]
    share = (russia + contested) / float(regions()["area_km2"].sum())
    if share > _IMPLAUSIBLE_SHARE:
        lines.append(
            f"  warning: {share:.0%} of Ukraine marked held; is this a front line? "
            "(Region outlines or exported zones read as all Russian-held.)"
        )
    return lines


def _dates(dates: list[dt.date], column: str | None, shown: dt.date | None) -> str:
    if not dates:
        return "none given (pass one with --date)"
    if len(dates) == 1:
        origin = f" (column {column!r})" if column else ""
        return f"{dates[0]}{origin}"
    return f"{len(dates)}, {dates[0]} to {dates[-1]} (column {column!r}); this report is of {shown}"


def _counts(polygons: dict[str, int]) -> str:
    names = {"russia": "Russian-held", "contested": "contested", "left out": "left out"}
    parts = [f"{polygons[key]:,} {label}" for key, label in names.items() if key in polygons]
    return ", ".join(parts) or "none"


def _reconciled(by_region: dict[str, float]) -> str:
    if not by_region:
        return "nothing to reassign"
    total = sum(by_region.values())
    listed = ", ".join(f"{region_name(iso)} {km2:,.1f}" for iso, km2 in by_region.items())
    return f"{total:,.1f} km² given to the side around it ({listed})"
