"""The chart of the Russian-held share of regions over time (PNG, SVG or PDF)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from territory.errors import TerritoryError
from territory.export import atomic_path
from territory.figures import plain_text
from territory.vocabulary import TOTAL


@plain_text
def chart(
    series: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    regions: Iterable[str] | None = None,
    title: str = "Share of each region held by Russia",
    credit: str = "",
) -> Path:
    """Draw the Russian-held share of regions over time to a PNG, SVG or PDF (atomically).

    By default every region that Russia held at least 1% of on some date, up to eight,
    each line labelled at its end with the region's name and its last share.
    """
    from matplotlib.figure import Figure

    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg", "pdf"):
        raise TerritoryError(f"{path}: a chart is written as .png, .svg or .pdf")
    table = series[series["region"] != TOTAL]
    if regions is None:
        peak = table.groupby("region")["russia_share"].max()
        last = table.sort_values("date").groupby("region")["russia_share"].last()
        chosen = last[peak >= _CHART_MIN_SHARE].sort_values(ascending=False)
        regions = list(chosen.index[:_CHART_MAX_LINES])
    figure = Figure(figsize=(8, 4.8))  # no pyplot: the caller's backend is left alone
    _draw_chart(figure, figure.add_subplot(), table, list(regions), title, credit)
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format=kind, dpi=150)
    return path


def _draw_chart(
    figure: Any, axes: Any, table: pd.DataFrame, regions: list[str], title: str, credit: str
) -> None:
    import matplotlib.dates

    ends = []
    for i, code in enumerate(regions):
        rows = table[table["region"] == code].sort_values("date")
        if rows.empty:
            continue
        colour = _CHART_COLOURS[i % len(_CHART_COLOURS)]
        shares = rows["russia_share"] * 100
        axes.plot(pd.to_datetime(rows["date"]), shares, color=colour, linewidth=1.8)
        ends.append(
            [float(shares.iat[-1]), f"{rows['region_name'].iat[0]} {shares.iat[-1]:.0f}%", colour]
        )
    _label_ends(axes, ends, pd.to_datetime(table["date"]).max())
    first, last_day = table["date"].min(), table["date"].max()
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=18)
    axes.text(
        0, 1.02, f"{first} to {last_day}", transform=axes.transAxes, fontsize=9, color="#555555"
    )
    locator = matplotlib.dates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    axes.set_ylim(0, 105)
    axes.set_ylabel("% of the region's area")
    axes.grid(axis="y", color="#e3e3e3")
    axes.spines[["top", "right"]].set_visible(False)
    note = "Made with Natural Earth" + (f". {credit}" if credit else "")
    figure.text(0.01, 0.01, note, fontsize=7, color="#555555")
    figure.tight_layout(rect=(0, 0.03, 0.84, 1))


_CHART_MIN_SHARE = 0.01
_CHART_MAX_LINES = 8
_CHART_COLOURS = (
    "#b2182b",
    "#d6604d",
    "#8c510a",
    "#35978f",
    "#01665e",
    "#542788",
    "#4d4d4d",
    "#878787",
)


def _label_ends(axes: Any, ends: list[list[Any]], at: Any) -> None:
    """Name each line at its right end, nudging labels apart so that none overlap."""
    gap = 5.0  # percentage points between labels
    ends.sort(key=lambda end: -end[0])
    placed: list[float] = []
    for value, _, _ in ends:
        y = min(value, placed[-1] - gap) if placed else value
        placed.append(y)
    if placed:  # keep the lowest off the axis, pushing up only the labels it then meets
        placed[-1] = max(placed[-1], gap / 2)
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = max(placed[i], placed[i + 1] + gap)
    for (value, text, colour), y in zip(ends, placed, strict=True):
        axes.annotate(
            text,
            xy=(at, value),
            xytext=(8, 0),
            textcoords="offset points",
            xycoords=("data", "data"),
            va="center",
            fontsize=8,
            color=colour,
            annotation_clip=False,
        )
        if abs(y - value) > 0.01:
            axes.texts[-1].xyann = (8, (y - value) * axes.bbox.height / 105 * 72 / axes.figure.dpi)
