"""A static figure of one scenario's zones for print (PNG, SVG or PDF), drawn with
matplotlib (Agg)."""

from __future__ import annotations

import contextlib
import math
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from territory._regions import neighbours
from territory._stats import demilitarised_of, snapshot_date_of
from territory.export import OutputError, atomic_path
from territory.figures import plain_text
from territory.formats import FIGURE_FORMATS
from territory.progress import Progress, step
from territory.render.figure_names import FIGURE_MIN_POPULATION, figure_names, place_names
from territory.render.symbols import CATEGORIES, STYLE, blend, flat_fill, legend_label
from territory.words import long_date, number, word

__all__ = [
    "bare_axes",
    "clipped",
    "draw_zones",
    "drawn_categories",
    "extent_of",
    "key_handles",
    "scale_bar",
    "small_multiples",
    "static_figure",
]


def _colours(zones: gpd.GeoDataFrame) -> list[str]:
    return [flat_fill(c) for c in zones["control_after"]]


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
    lang: str = "en",
    progress: Progress | None = None,
) -> Path:
    """Draw one scenario's zones to a figure file (written atomically), in the format of its
    extension: ``.png``, ``.svg`` or ``.pdf`` (text stays text in SVG and PDF).
    ``progress`` is told of two steps: the map drawn, then the file written.

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
    draw_zones(axes, zones, line)
    axes.set_xlim(minx - 0.5, maxx + 0.5)
    axes.set_ylim(miny - 0.3, maxy + 0.3)
    bare_axes(axes)
    if title is None:
        title = str(zones["scenario"].iloc[0]) if "scenario" in zones and len(zones) else ""
    when = snapshot_date_of(zones)
    if when:  # written as a reader writes a date: "8 August 2025", "8 серпня 2025 р."
        with contextlib.suppress(ValueError):
            when = long_date(when, lang)
    heading = word("line_of", lang, title=title, date=when) if when else title
    names = figure_names(zones, lang=lang)
    towns = any(n.kind == "moved" for n in names)
    narrow = size[0] < 6
    layout = _Layout(figure, size)
    layout.foot(
        key_handles(zones, line, towns=towns, lang=lang),
        _credits(credit, size[0], lang),
        columns=1 if narrow else 2,
        fontsize=7 if size[0] < 8 else 8,
    )
    layout.head(axes, heading, subtitle)
    bar = scale_bar(axes, maxx + 0.5, miny - 0.3, lang=lang)
    small = axes.get_position().width * size[0] < 5  # a small map: smaller names and dots
    place_names(axes, names, [bar], scale=0.8 if small else 1.0)
    step(progress)
    _save(figure, path, kind, dpi)
    step(progress)
    return path


class _Layout:
    """A figure laid out from its edges: the key and the credits along the bottom, the
    title and subtitle along the top, each measured, and the map (or maps) in what is left,
    flush left with all of them. Nothing is reserved that is not written."""

    PAD = 4 / 72  # inches between the parts

    def __init__(self, figure: Any, size: tuple[float, float]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.figure, self.size = figure, size
        self.renderer = FigureCanvasAgg(figure).get_renderer()
        self.bottom = 0.05 / size[1]  # figure fractions taken so far at the bottom and top
        self.top = 0.05 / size[1]
        self.legend: Any = None
        self.legend_at = 0.0
        self.credit: Any = None

    def _height(self, artist: Any) -> float:
        return float(artist.get_window_extent(self.renderer).height) / self.figure.bbox.height

    def foot(self, handles: list[Any], credits: str, *, columns: int, fontsize: float) -> None:
        """The credits at the very bottom, the key above them."""
        self.credit = self.figure.text(
            0.01, self.bottom, credits, va="bottom", fontsize=7, color="#555555"
        )
        self.bottom += self._height(self.credit) + self.PAD / self.size[1]
        if handles:
            self.legend_at = self.bottom
            self.legend = self.figure.legend(
                handles=handles,
                loc="lower left",
                bbox_to_anchor=(0.01, self.bottom),
                ncol=columns,
                fontsize=fontsize,
                frameon=False,
                borderaxespad=0,
                borderpad=0,
                handlelength=2.2,
                columnspacing=1.5,
            )
            self.bottom += self._height(self.legend) + 2 * self.PAD / self.size[1]

    def head(self, axes: Any, heading: str, subtitle: str) -> None:
        """The title (wrapped to the figure's width) and subtitle over ``axes``; the map
        is fitted between them and the foot, anchored to the left, and the foot follows it."""
        axes.set_anchor("SW")
        # About 8.5 characters an inch in 12 pt bold (10 pt on a small figure): a title
        # never widens the figure.
        points = 12 if self.size[0] >= 8 else 10
        inches = self.size[0] * 0.98
        wrapped = clipped(heading, width=max(20, int(inches * 8.5 * 12 / points)), lines=3)
        lines = wrapped.count("\n") + 1
        top = lines * points * 1.3 + (14 if subtitle else 0) + 10
        top = self.top + top / 72 / self.size[1]
        self.figure.subplots_adjust(left=0.01, right=0.99, bottom=self.bottom, top=1 - top)
        axes.apply_aspect()
        axes.set_title(
            wrapped, fontsize=points, fontweight="bold", loc="left", pad=18 if subtitle else 6
        )
        if subtitle:
            axes.annotate(
                clipped(subtitle, width=max(24, int(inches * 14)), lines=1),
                xy=(0, 1),
                xycoords="axes fraction",
                xytext=(0, 5),
                textcoords="offset points",
                va="bottom",
                fontsize=9,
                color="#333333",
            )
        left = axes.get_position().x0
        self.credit.set_x(left)
        if self.legend is not None:
            self.legend.set_bbox_to_anchor((left, self.legend_at), self.figure.transFigure)


def draw_zones(axes: Any, zones: gpd.GeoDataFrame, line: shapely.Geometry | None) -> None:
    """Neighbours, zones, recognition and demilitarised hatching, contested edges, what
    changes hands and the line, on one axes, in the page's palette and symbols: each fill
    is the colour the page shows (its colour at its opacity over the land)."""

    axes.set_facecolor(STYLE["sea"])
    neighbours().plot(ax=axes, color=STYLE["land"], edgecolor=STYLE["border"], linewidth=0.4)
    zones.plot(ax=axes, color=_colours(zones), edgecolor="white", linewidth=0.4)
    for recognition, (hatch, ink) in HATCHES.items():
        part = zones[(zones["control_after"] == "russia") & (zones["recognition"] == recognition)]
        if len(part):
            part.plot(ax=axes, facecolor="none", edgecolor=ink, hatch=hatch, linewidth=0)
    for change, look in STYLE["change"].items():
        part = zones[zones["change"] == change]
        if len(part):  # tinted as on the page, then outlined in the change's dashes
            part.plot(ax=axes, color=look["color"], alpha=look["fill_opacity"], linewidth=0)
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
            dashes = DASHES[change]
            part.boundary.plot(ax=axes, color=look["color"], linestyle=dashes, linewidth=1.8)
    if line is not None and not line.is_empty:
        gpd.GeoSeries([line], crs=4326).plot(ax=axes, color=STYLE["line"]["color"], linewidth=1.2)


#: Hatching by recognition, as the page's patterns: white dots de facto, dark stripes de
#: jure (hatch, ink).
HATCHES = {"de_facto": ("..", "#ffffff"), "de_jure": ("///", "#1a1a1a")}
#: Outlines of what changes hands, as the page's dashes (matplotlib's on-off sequences).
DASHES: dict[str, Any] = {"to_russia": (0, (4, 2)), "to_ukraine": (0, (1, 2))}


def bare_axes(axes: Any) -> None:
    axes.set_aspect(1 / 0.66)  # about 1/cos(48.5°): degrees of longitude are shorter here
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_xlabel("")
    axes.set_ylabel("")
    for spine in axes.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#777777")


def drawn_categories(zones: gpd.GeoDataFrame, line: shapely.Geometry | None) -> list[str]:
    """The legend's categories that a figure of ``zones`` draws, in the legend's order.

    Examples
    --------
    >>> from territory import resolve
    >>> drawn_categories(resolve("us-russia-draft"), None)
    ['ukraine', 'de_facto', 'to_russia']
    """
    after = zones["control_after"]
    russia = after == "russia"
    present = {
        "ukraine": (after == "ukraine").any(),
        "russia": (russia & (zones["recognition"] == "none")).any(),
        "de_facto": (russia & (zones["recognition"] == "de_facto")).any(),
        "de_jure": (russia & (zones["recognition"] == "de_jure")).any(),
        "contested": (after == "contested").any(),
        "to_russia": (zones["change"] == "to_russia").any(),
        "to_ukraine": (zones["change"] == "to_ukraine").any(),
        "demilitarised": demilitarised_of(zones).any(),
        "line": line is not None and not line.is_empty,
    }
    return [key for key, _, _ in CATEGORIES if present.get(key)]


def key_handles(
    zones: gpd.GeoDataFrame, line: shapely.Geometry | None, *, towns: bool, lang: str = "en"
) -> list[Any]:
    """A legend entry for each category drawn, and none for what is not."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    russia = flat_fill("russia")
    swatches: dict[str, Any] = {
        "ukraine": lambda label: Patch(facecolor=flat_fill("ukraine"), label=label),
        "russia": lambda label: Patch(facecolor=russia, label=label),
        "de_facto": lambda label: Patch(
            facecolor=russia, edgecolor=HATCHES["de_facto"][1], hatch="..", lw=0, label=label
        ),
        "de_jure": lambda label: Patch(
            facecolor=russia, edgecolor=HATCHES["de_jure"][1], hatch="///", lw=0, label=label
        ),
        "contested": lambda label: Patch(
            facecolor=flat_fill("contested"), linestyle="--", edgecolor="#333333", label=label
        ),
        "to_russia": lambda label: _change_patch("to_russia", label),
        "to_ukraine": lambda label: _change_patch("to_ukraine", label),
        "demilitarised": lambda label: Patch(
            facecolor="none", edgecolor=STYLE["demilitarised"]["color"], hatch="---", label=label
        ),
        "line": lambda label: Line2D([], [], color=STYLE["line"]["color"], label=label),
    }
    handles = [swatches[key](legend_label(key, lang)) for key in drawn_categories(zones, line)]
    if towns:
        label = word("figure_towns", lang, people=number(FIGURE_MIN_POPULATION, lang))
        dot = Line2D([], [], linestyle="none", marker="o", ms=4, mfc="#ffffff", mec="#1a1a1a")
        dot.set_label(label)
        handles.append(dot)
    return handles


def _change_patch(change: str, label: str) -> Any:
    from matplotlib.patches import Patch

    look = STYLE["change"][change]
    tint = blend(look["color"], flat_fill("russia" if change == "to_russia" else "ukraine"),
                 look["fill_opacity"])  # fmt: skip
    return Patch(
        facecolor=tint, edgecolor=look["color"], linestyle=DASHES[change], lw=1.5, label=label
    )


def _credits(credit: str, inches: float, lang: str = "en") -> str:
    """The sources and credit line, wrapped to about the map's width (7 pt: about 15
    characters an inch of figure, margins and legend aside)."""
    text = (f"{credit} " if credit else "") + word("figure_sources", lang)
    return clipped(text, width=max(40, int(inches * 15)), lines=4)


def clipped(text: str, width: int, lines: int) -> str:
    """Text wrapped to ``width`` characters, on at most ``lines`` lines: what does not fit
    is cut, with an ellipsis. Text of any length costs no more than what is shown.

    Examples
    --------
    >>> clipped("a short title", width=20, lines=2)
    'a short title'
    >>> print(clipped("word " * 100_000, width=12, lines=2))
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


def scale_bar(axes: Any, right: float, bottom: float, km: int = 200, lang: str = "en") -> Any:
    """A bar of ``km`` kilometres in the lower right corner, measured at its latitude;
    returns its label (what names must keep clear of)."""
    latitude = bottom + 0.6 * km / 200
    degrees = km / (111.32 * math.cos(math.radians(latitude)))  # km per degree of longitude
    end = right - 0.4
    axes.plot([end - degrees, end], [latitude, latitude], color="#1a1a1a", linewidth=2)
    text = f"{km} {word('km', lang)}"
    return axes.text(end - degrees / 2, latitude + 0.08, text, ha="center", va="bottom", fontsize=8)


#: The name of :func:`static_figure` in 0.1, when it wrote PNG only.


def extent_of(panels: Sequence[gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
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
    lang: str = "en",
    progress: Progress | None = None,
) -> Path:
    """Several scenarios side by side, one small map each, on the same ground at the same
    scale, with one legend: a figure file in the format of its extension (PNG, SVG, PDF).
    ``progress`` is told of a step for each map drawn, and one for the file written.

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
    minx, miny, maxx, maxy = extent_of([zones for _, zones in panels])
    panel_width = width / columns
    map_height = panel_width * (maxy - miny) / ((maxx - minx) * 0.66)
    headings = [clipped(name, width=int(panel_width * 13), lines=3) for name, _ in panels]
    every = gpd.GeoDataFrame(
        gpd.pd.concat([zones for _, zones in panels], ignore_index=True), crs=4326
    )
    handles = key_handles(every, line, towns=False, lang=lang)
    legend_columns = 3 if width < 12 else 4
    credits = _credits(credit, width, lang)
    # Inches, each measured from what is written: the title and subtitle, each row's
    # headings (as many lines as the longest), the key and the credits.
    header = 0.06 + 13 * 1.25 / 72 + (0.2 if subtitle else 0)
    heading = max(h.count("\n") + 1 for h in headings) * 8 * 1.3 / 72 + 0.06
    key_rows = math.ceil(len(handles) / legend_columns)
    footer = 0.1 + key_rows * 7 * 1.8 / 72 + (credits.count("\n") + 1) * 7 * 1.3 / 72 + 0.06
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
        zones = panels[index][1]
        draw_zones(axes, zones, line)
        step(progress)
        axes.set_xlim(minx, maxx)
        axes.set_ylim(miny, maxy)
        bare_axes(axes)
        axes.set_title(headings[index], fontsize=8, loc="left")
    bar = scale_bar(grid.flat[count - 1], maxx, miny, km=100, lang=lang)
    for index, (_, zones) in enumerate(panels):  # names on the ground each panel concerns
        axes = grid.flat[index]
        names = figure_names(zones, towns=False, lang=lang)
        place_names(axes, names, [bar] if index == count - 1 else [], scale=0.75)
    title = clipped(title, width=int(width * 9), lines=1)
    figure.text(0.01, 1 - 0.06 / height, title, fontsize=13, fontweight="bold", va="top")
    if subtitle:
        subtitle = clipped(subtitle, width=int(width * 13), lines=1)
        below = (0.06 + 13 * 1.25 / 72 + 0.03) / height
        figure.text(0.01, 1 - below, subtitle, fontsize=9, color="#333333", va="top")
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.01, (footer - 0.08) / height),
        ncol=legend_columns,
        fontsize=7,
        frameon=False,
        borderaxespad=0,
        borderpad=0,
    )
    figure.text(0.01, 0.02 / height, credits, fontsize=7, color="#555555", va="bottom")
    _save(figure, path, kind, dpi)
    step(progress)
    return path
