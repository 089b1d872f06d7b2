"""A static figure of one scenario's zones for print (PNG, SVG or PDF), drawn with
matplotlib (Agg)."""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from territory._stats import demilitarised_of, snapshot_date_of
from territory.export import OutputError, atomic_path
from territory.figures import plain_text
from territory.render.symbols import STYLE, legend_label

__all__ = ["FIGURE_FORMATS", "small_multiples", "static_figure", "static_png"]

#: Figure formats by file extension.
FIGURE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _colours(zones: gpd.GeoDataFrame) -> list[str]:
    return [STYLE["fill"].get(c, "#cccccc") for c in zones["control_after"]]


@plain_text
def static_figure(
    zones: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    dpi: int = 150,
    size: tuple[float, float] = (10, 7),
    title: str | None = None,
    subtitle: str = "",
    credit: str = "",
    line: shapely.Geometry | None = None,
) -> Path:
    """Draw one scenario's zones to a figure file (written atomically), in the format of its
    extension: ``.png``, ``.svg`` or ``.pdf`` (text stays text in SVG and PDF).

    ``size`` is the drawing's width and height in inches and ``dpi`` its resolution for
    PNG; the saved figure is cropped to what is drawn. The title defaults to the scenario's
    id; pass the scenario's title for print. ``line``
    (the snapshot's line of contact, :func:`territory.line_of_contact`) is drawn when given.
    A scale bar sits in the lower right corner.

    Fill colours follow the map; hatching marks recognition (``..`` de facto, ``//`` de
    jure), contested ground has a dashed edge, what changes hands a thick outline, and
    demilitarised ground horizontal stripes with a solid edge (legend entry only when drawn).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from territory import resolve
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> out = static_figure(resolve("freeze", "2022-02-23"), folder / "f.png")
    >>> out.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> static_figure(resolve("freeze"), folder / "f.svg").read_text()[:200].count("<svg")
    1
    """
    path = Path(path)
    kind = FIGURE_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(FIGURE_FORMATS)
        raise OutputError(f"{path}: a figure is written as {known}, not {path.suffix or '(none)'}")
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=dpi)
    axes = figure.add_subplot()
    minx, miny, maxx, maxy = zones.total_bounds
    _draw(axes, zones, line)
    axes.set_xlim(minx - 0.5, maxx + 0.5)
    axes.set_ylim(miny - 0.3, maxy + 0.3)
    _scale_bar(axes, maxx + 0.5, miny - 0.3)
    _bare(axes)
    if title is None:
        title = str(zones["scenario"].iloc[0]) if "scenario" in zones and len(zones) else ""
    when = snapshot_date_of(zones)
    heading = f"{title} — line of {when}" if when else title
    # Wrapped to the map's width (about 12 characters an inch at 11 pt), so that a small
    # figure is not widened by its own title.
    heading = _clipped(heading, width=max(20, int(size[0] * 12)), lines=3)
    # The subtitle sits just above the map; the title above it, both flush left.
    axes.set_title(heading, fontsize=11, loc="left", pad=20 if subtitle else 6)
    if subtitle:
        axes.annotate(
            _clipped(subtitle, width=max(24, int(size[0] * 15)), lines=1),
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 5),
            textcoords="offset points",
            va="bottom",
            fontsize=9,
            color="#333333",
        )
    handles = _handles(zones, line)
    small = size[0] < 8  # a narrow figure: a smaller legend, so that it hides less
    legend = axes.legend(
        handles=handles, loc="lower left", fontsize=6 if small else 8, framealpha=0.9
    )
    _credit(axes, credit)
    _labels(figure, axes, zones, legend)
    _save(figure, path, kind, dpi)
    return path


#: At most this many towns that change hands are named on a print figure (the largest).
FIGURE_TOWNS = 8


def _labels(figure: Any, axes: Any, zones: gpd.GeoDataFrame, legend: Any) -> None:
    """Names on the map: the regions where anything is held or moves, then the largest
    towns that change hands (with a dot); a name that would overlap one already written,
    or the legend, is left out."""
    from territory._stats import diff

    # A pale box behind each name rather than a halo: a halo turns text into outlines in
    # SVG and PDF, where the names must stay text.
    halo = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
    candidates: list[tuple[float, float, str, dict[str, Any]]] = []
    if (zones["change"] != "none").any():
        found = diff(zones).towns.head(FIGURE_TOWNS)  # largest first
        for point, name in zip(found.geometry, found["name"], strict=True):
            axes.plot(point.x, point.y, "o", ms=3.5, mfc="white", mec="#1a1a1a", mew=0.8, zorder=5)
            style = {"fontsize": 7, "ha": "left", "va": "center", "color": "#111111"}
            candidates.append((point.x + 0.08, point.y, name, style))
    touched = zones[(zones["control_after"] != "ukraine") | (zones["control_now"] != "ukraine")]
    for region in sorted(set(touched["region"])):
        if region == "UA-40":  # Sevastopol: too small to name at this scale
            continue
        shape = zones[zones["region"] == region].geometry.union_all()
        point = shape.representative_point()
        name = str(zones.loc[zones["region"] == region, "region_name"].iloc[0]).upper()
        style = {"fontsize": 7.5, "ha": "center", "va": "center", "fontweight": "bold"}
        candidates.append((point.x, point.y, name, {**style, "color": "#333333"}))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # to measure the names before saving
    taken = [legend.get_window_extent(renderer)]
    for x, y, text, style in candidates:
        label = axes.text(x, y, text, bbox=halo, zorder=6, **style)
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in taken):
            label.remove()
            continue
        taken.append(box)


def _draw(axes: Any, zones: gpd.GeoDataFrame, line: shapely.Geometry | None) -> None:
    """Neighbours, zones, recognition and demilitarised hatching, contested edges, what
    changes hands and the line, on one axes, in the page's palette and symbols."""
    from territory._regions import neighbours

    axes.set_facecolor(STYLE["sea"])
    neighbours().plot(ax=axes, color=STYLE["land"], edgecolor=STYLE["border"], linewidth=0.4)
    zones.plot(ax=axes, color=_colours(zones), edgecolor="white", linewidth=0.4, alpha=0.85)
    hatches = {"de_facto": "..", "de_jure": "///"}
    for recognition, hatch in hatches.items():
        part = zones[(zones["control_after"] == "russia") & (zones["recognition"] == recognition)]
        if len(part):
            part.plot(ax=axes, facecolor="none", edgecolor="#1a1a1a", hatch=hatch, linewidth=0)
    demilitarised = zones[demilitarised_of(zones)]
    green = STYLE["demilitarised"]["color"]
    if len(demilitarised):  # stripes across, and a solid edge, over whatever fill is there
        demilitarised.plot(ax=axes, facecolor="none", edgecolor=green, hatch="---", linewidth=0)
        demilitarised.boundary.plot(ax=axes, color=green, linewidth=1.2)
    contested = zones[zones["control_after"] == "contested"]
    if len(contested):
        contested.boundary.plot(ax=axes, color=STYLE["contested_edge"], linestyle="--", lw=0.8)
    for change, look in STYLE["change"].items():
        part = zones[zones["change"] == change]
        if len(part):
            style = "--" if change == "to_russia" else ":"
            part.boundary.plot(ax=axes, color=look["color"], linestyle=style, linewidth=2)
    if line is not None and not line.is_empty:
        gpd.GeoSeries([line], crs=4326).plot(ax=axes, color=STYLE["line"]["color"], linewidth=1.2)


def _bare(axes: Any) -> None:
    axes.set_aspect(1 / 0.66)  # about 1/cos(48.5°): degrees of longitude are shorter here
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_xlabel("")
    axes.set_ylabel("")


def _handles(zones: gpd.GeoDataFrame, line: shapely.Geometry | None) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=STYLE["fill"]["ukraine"], alpha=0.6, label=legend_label("ukraine")),
        Patch(facecolor=STYLE["fill"]["russia"], label=legend_label("russia")),
        Patch(facecolor=STYLE["fill"]["russia"], hatch="..", label=legend_label("de_facto")),
        Patch(facecolor=STYLE["fill"]["russia"], hatch="///", label=legend_label("de_jure")),
        Patch(
            facecolor=STYLE["fill"]["contested"],
            linestyle="--",
            edgecolor="#333333",
            label=legend_label("contested"),
        ),
        Line2D(
            [],
            [],
            color=STYLE["change"]["to_russia"]["color"],
            linestyle="--",
            label=legend_label("to_russia"),
        ),
        Line2D(
            [],
            [],
            color=STYLE["change"]["to_ukraine"]["color"],
            linestyle=":",
            label=legend_label("to_ukraine"),
        ),
    ]
    if demilitarised_of(zones).any():
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=STYLE["demilitarised"]["color"],
                hatch="---",
                label=legend_label("demilitarised"),
            )
        )
    if line is not None and not line.is_empty:
        handles.append(Line2D([], [], color=STYLE["line"]["color"], label=legend_label("line")))
    return handles


def _credit(axes: Any, credit: str) -> None:
    credits = _credits(credit, axes.figure.get_figwidth())
    # Under the map's left corner (not the figure's): a tight crop leaves no blank margin.
    axes.annotate(
        credits,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -4),
        textcoords="offset points",
        va="top",
        fontsize=7,
        color="#555555",
    )


def _credits(credit: str, inches: float) -> str:
    """The source and credit line, wrapped to about the map's width (7 pt: about 15
    characters an inch of figure, margins and legend aside)."""
    text = (f"{credit} " if credit else "") + "Made with Natural Earth."
    return _clipped(text, width=max(40, int(inches * 15)), lines=4)


def _clipped(text: str, width: int, lines: int) -> str:
    """Text wrapped to ``width`` characters, on at most ``lines`` lines: what does not fit
    is cut, with an ellipsis. Text of any length costs no more than what is shown.

    Examples
    --------
    >>> _clipped("a short title", width=20, lines=2)
    'a short title'
    >>> print(_clipped("word " * 100_000, width=12, lines=2))
    word word
    word word…
    """
    shown = textwrap.wrap(text[: (width + 1) * lines + 1], width=width)
    if len(shown) > lines or len(text) > (width + 1) * lines + 1:
        shown = shown[:lines]
        shown[-1] = shown[-1][: width - 1].rstrip() + "…"
    return "\n".join(shown)


def _save(figure: Any, path: Path, kind: str, dpi: int) -> None:
    import matplotlib

    # Text stays text: searchable, selectable and editable in SVG and PDF.
    text_as_text: Any = {"svg.fonttype": "none", "pdf.fonttype": 42}
    with matplotlib.rc_context(text_as_text), atomic_path(path) as temporary:
        figure.savefig(temporary, format=kind, dpi=dpi, bbox_inches="tight")


def _scale_bar(axes: Any, right: float, bottom: float, km: int = 200) -> None:
    """A bar of ``km`` kilometres in the lower right corner, measured at its latitude."""
    latitude = bottom + 0.6 * km / 200
    degrees = km / (111.32 * math.cos(math.radians(latitude)))  # km per degree of longitude
    end = right - 0.4
    axes.plot([end - degrees, end], [latitude, latitude], color="#1a1a1a", linewidth=2)
    axes.text(end - degrees / 2, latitude + 0.08, f"{km} km", ha="center", va="bottom", fontsize=8)


#: The name of :func:`static_figure` in 0.1, when it wrote PNG only.
static_png = static_figure


def _extent(panels: Sequence[gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
    """The box every panel shows: all the ground that is held, contested or moved under any
    of them, with a margin; the same for every panel so that they compare."""
    boxes = []
    for zones in panels:
        touched = zones[
            (zones["control_after"] != "ukraine")
            | (zones["control_now"] != "ukraine")
            | (zones["change"] != "none")
        ]
        if len(touched):
            boxes.append(touched.total_bounds)
    if not boxes:
        return tuple(panels[0].total_bounds)  # type: ignore[return-value]
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return minx - 0.4, miny - 0.25, maxx + 0.4, maxy + 0.25


@plain_text
def small_multiples(
    panels: Sequence[tuple[str, gpd.GeoDataFrame]],
    path: str | os.PathLike[str],
    *,
    columns: int | None = None,
    width: float = 10.0,
    dpi: int = 150,
    title: str = "",
    subtitle: str = "",
    credit: str = "",
    line: shapely.Geometry | None = None,
) -> Path:
    """Several scenarios side by side, one small map each, on the same ground at the same
    scale, with one legend: a figure file in the format of its extension (PNG, SVG, PDF).

    ``panels`` holds (heading, zones) pairs, all zones resolved on one snapshot.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from territory import resolve, scenario
    >>> pairs = [(scenario(i).title, resolve(i)) for i in ("status-quo", "us-russia-draft")]
    >>> out = small_multiples(pairs, pathlib.Path(tempfile.mkdtemp()) / "two.svg")
    >>> "US–Russia draft" in out.read_text()
    True
    """
    path = Path(path)
    kind = FIGURE_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(FIGURE_FORMATS)
        raise OutputError(f"{path}: a figure is written as {known}, not {path.suffix or '(none)'}")
    if not panels:
        raise ValueError("no scenarios to draw")
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    count = len(panels)
    columns = columns or (count if count <= 3 else 2 if count == 4 else 3 if count <= 9 else 4)
    rows = math.ceil(count / columns)
    minx, miny, maxx, maxy = _extent([zones for _, zones in panels])
    panel_width = width / columns
    map_height = panel_width * (maxy - miny) / ((maxx - minx) * 0.66)
    # Inches: the title and subtitle, each row's headings (up to three lines), the legend.
    header, heading, footer = 0.8, 0.5, 1.0
    height = header + rows * (heading + map_height) + footer
    figure = Figure(figsize=(width, height), dpi=dpi)
    grid = figure.subplots(rows, columns, squeeze=False)
    figure.subplots_adjust(
        left=0.01,
        right=0.99,
        wspace=0.04,
        hspace=heading / map_height,
        top=1 - (header + heading) / height,
        bottom=footer / height,
    )
    for index, axes in enumerate(grid.flat):
        if index >= count:
            axes.set_axis_off()
            continue
        name, zones = panels[index]
        _draw(axes, zones, line)
        axes.set_xlim(minx, maxx)
        axes.set_ylim(miny, maxy)
        _bare(axes)
        axes.set_title(_clipped(name, width=int(panel_width * 13), lines=3), fontsize=8, loc="left")
    _scale_bar(grid.flat[count - 1], maxx, miny, km=100)
    title = _clipped(title, width=int(width * 9), lines=1)
    figure.text(0.01, 1 - 0.15 / height, title, fontsize=13, fontweight="bold", va="top")
    if subtitle:
        subtitle = _clipped(subtitle, width=int(width * 13), lines=1)
        figure.text(0.01, 1 - 0.45 / height, subtitle, fontsize=9, color="#333333", va="top")
    every = gpd.GeoDataFrame(
        gpd.pd.concat([zones for _, zones in panels], ignore_index=True), crs=4326
    )
    figure.legend(
        handles=_handles(every, line),
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        ncol=3 if width < 12 else 4,
        fontsize=7,
        frameon=False,
    )
    figure.text(0.01, -0.01, _credits(credit, width), fontsize=7, color="#555555", va="top")
    _save(figure, path, kind, dpi)
    return path
