"""Names on a print figure: the seas and neighbours, Kyiv, the regional capitals near the
front, every town of 10,000 people or more that a scenario moves, and the regions concerned.

The figure's names follow the page's rules (:data:`~territory.render.map_names.NEIGHBOUR_LABELS`,
:data:`~territory.render.markers.CAPITALS`, the same GeoNames towns in the same language):
names are placed in order of importance, and each one that would touch a name or a dot
already placed tries the other places round its dot, then further out with a leader line,
before it is left out. A town that changes hands is never left out while any place is free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely

from territory._places import anchors, local_name, places
from territory._stats import diff
from territory.render.map_names import NEIGHBOUR_LABELS, SEA_LABELS, region_label
from territory.render.rows import CAPITALS

__all__ = ["FIGURE_MIN_POPULATION", "Name", "figure_names", "place_names"]

#: Towns of at least this many people that change hands are named on a print figure.
FIGURE_MIN_POPULATION = 10_000

#: A regional capital is named when it lies within this many degrees of ground that is
#: held, contested or moved (about 150 km).
NEAR_FRONT_DEGREES = 1.4

#: Dots and type, in points; one look for every figure.
_LOOK: dict[str, dict[str, Any]] = {
    "capital": {"marker": "s", "ms": 4.5, "mfc": "#1a1a1a", "mec": "#1a1a1a", "font": 8.5},
    "city": {"marker": "o", "ms": 3.6, "mfc": "#1a1a1a", "mec": "#1a1a1a", "font": 7.5},
    "moved": {"marker": "o", "ms": 3.6, "mfc": "#ffffff", "mec": "#1a1a1a", "font": 7},
    "sea": {"font": 8, "color": "#4d7391", "style": "italic"},
    "country": {"font": 7.5, "color": "#6b6b6b"},
    "region": {"font": 6.5, "color": "#444444", "weight": "bold"},
}


@dataclass(frozen=True)
class Name:
    """A name to write: its text, where (lon, lat), what kind of place it is, and whether it
    has a dot (a town) or is written over its ground (a sea, a country, a region)."""

    text: str
    x: float
    y: float
    kind: str
    dotted: bool = field(default=False)


def _touched(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return zones[
        (zones["control_after"] != "ukraine")
        | (zones["control_now"] != "ukraine")
        | (zones["change"] != "none")
    ]


def moved_towns(zones: gpd.GeoDataFrame, min_population: int = FIGURE_MIN_POPULATION) -> Any:
    """The towns of ``min_population`` or more that change hands, largest first."""

    if not (zones["change"] != "none").any():
        return gpd.GeoDataFrame({"name": [], "name_uk": []}, geometry=[], crs=4326)
    found = diff(zones).towns
    return found[found["population"].fillna(0) >= min_population]


def figure_names(
    zones: gpd.GeoDataFrame,
    *,
    lang: str = "en",
    towns: bool = True,
    capitals: bool = True,
    regions: bool = True,
) -> list[Name]:
    """Every name a figure of ``zones`` may carry, most important first.

    Examples
    --------
    >>> from territory import resolve
    >>> names = figure_names(resolve("us-russia-draft"))
    >>> [n.text for n in names][:2]
    ['Kyiv', 'Kramatorsk']
    >>> {"Black Sea", "Sloviansk", "Kharkiv", "Russia"} <= {n.text for n in names}
    True
    """
    uk = lang == "uk"
    names: list[Name] = []
    every = places(kinds=("town",))
    points = anchors(every)
    by_name = {str(row.name): row for row in every.itertuples()}
    kyiv = by_name["Kyiv"]
    names.append(
        Name(
            local_name(kyiv.name, kyiv.name_uk, lang),
            kyiv.geometry.x,
            kyiv.geometry.y,
            "capital",
            True,
        )
    )
    if towns:
        for row in moved_towns(zones).itertuples():
            point = row.geometry
            names.append(
                Name(local_name(row.name, row.name_uk, lang), point.x, point.y, "moved", True)
            )
    for english, ukrainian, lat, lon in SEA_LABELS:
        names.append(Name(ukrainian if uk else english, lon, lat, "sea"))
    for english, ukrainian, lat, lon in NEIGHBOUR_LABELS:
        names.append(Name(ukrainian if uk else english, lon, lat, "country"))
    touched = _touched(zones)
    named = {n.text for n in names}
    if capitals and len(touched):
        ground = shapely.simplify(touched.geometry.union_all(), 0.05)
        near = shapely.dwithin(points.values, ground, NEAR_FRONT_DEGREES)
        chosen = every[near & every["name"].isin(CAPITALS - {"Kyiv", "Sevastopol"})]
        for row in chosen.sort_values("population", ascending=False).itertuples():
            text = local_name(row.name, row.name_uk, lang)
            if text not in named:
                names.append(Name(text, row.geometry.x, row.geometry.y, "city", True))
    if regions:
        for region in sorted(set(touched["region"]) - {"UA-40"}):  # Sevastopol: too small
            mine = zones[zones["region"] == region]
            shape = mine.geometry.union_all()
            point = shape.representative_point()
            names.append(Name(region_label(region, lang).upper(), point.x, point.y, "region"))
    return names


#: Where a dotted name may go, in points from its dot: beside, above and below, then
#: diagonally, in the order tried.
_NEAR = [(5, 0), (-5, 0), (0, 5), (0, -5), (4, 4), (4, -4), (-4, 4), (-4, -4)]
#: Where a region's name may go, in points from its point, when its point is taken.
_SHIFTS = [(0, 0), (0, -12), (0, 12), (-20, 0), (20, 0), (-20, -12), (20, -12), (0, -24)]
#: How far (points) a column of crowded names stands from the outermost of their dots.
_COLUMN_GAP = 16


def _alignment(dx: float, dy: float) -> dict[str, str]:
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return {"ha": ha, "va": va}


class _Placer:
    """Names written one at a time on an axes, each only where it touches nothing taken."""

    def __init__(self, axes: Any, obstacles: Sequence[Any], scale: float) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = axes.figure.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(axes.figure)  # to measure the names before saving
        self.renderer = canvas.get_renderer()
        axes.apply_aspect()
        self.axes, self.scale = axes, scale
        self.points = 72 / axes.figure.dpi  # points per pixel
        self.frame = axes.get_window_extent(self.renderer)
        self.taken = [o.get_window_extent(self.renderer) for o in obstacles]
        self.written: list[str] = []
        self.labels: dict[Name, tuple[Any, Any]] = {}

    def dot(self, name: Name) -> Any:
        look = _LOOK[name.kind]
        (dot,) = self.axes.plot(
            name.x, name.y, look["marker"], ms=look["ms"] * self.scale, mfc=look["mfc"],
            mec=look["mec"], mew=0.8, zorder=7,
        )  # fmt: skip
        self.taken.append(dot.get_window_extent(self.renderer).expanded(1.2, 1.2))
        return dot

    def style(self, name: Name) -> dict[str, Any]:
        look = _LOOK[name.kind]
        style = {
            "fontsize": look["font"] * self.scale,
            "color": look.get("color", "#111111"),
            "fontstyle": look.get("style", "normal"),
            "fontweight": look.get("weight", "normal"),
            "zorder": 8,
        }
        if name.kind in ("moved", "city", "capital", "region"):
            style["bbox"] = _HALO
        return style

    def attempt(
        self, name: Name, dx: float, dy: float, align: dict[str, str], leader: bool
    ) -> bool:
        """Write ``name`` at (dx, dy) points from its place if it fits; say whether it did."""
        from matplotlib.text import Text

        label = self.axes.annotate(
            name.text,
            xy=(name.x, name.y),
            xytext=(dx, dy),
            textcoords="offset points",
            arrowprops=_LEADER if leader else None,
            **align,
            **self.style(name),
        )
        label.update_positions(self.renderer)
        box = Text.get_window_extent(label, self.renderer)  # the words, not the leader
        frame = self.frame
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1
        inside = inside and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if inside and not any(box.overlaps(other) for other in self.taken):
            self.taken.append(box)
            self.written.append(name.text)
            self.labels[name] = (label, box)
            return True
        label.remove()
        return False

    def near(self, name: Name) -> bool:
        scale = self.scale
        if not name.dotted:  # over its ground: where it is, or a little way off
            spots = _SHIFTS if name.kind == "region" else [(0, 0)]
            centre = _alignment(0, 0)
            return any(self.attempt(name, x * scale, y * scale, centre, False) for x, y in spots)
        return any(
            self.attempt(name, dx * scale, dy * scale, _alignment(dx, dy), leader=False)
            for dx, dy in _NEAR
        )

    def unwrite(self, name: Name) -> None:
        label, box = self.labels.pop(name)
        label.remove()
        self.taken.remove(box)
        self.written.remove(name.text)

    def column(self, crowded: list[Name]) -> list[Name]:
        """Names that found no place by their dots, stacked top to bottom in a column
        beside the outermost of their dots, each with a leader line: east first, then west.
        Returns those still without a place."""
        transform = self.axes.transData.transform
        at = {name: transform((name.x, name.y)) for name in crowded}
        for side in (1, -1):
            edge = max(p[0] for p in at.values()) if side > 0 else min(p[0] for p in at.values())
            left = []
            # The column centred on the crowd, each name as high as its dot allows.
            line = _LOOK["moved"]["font"] * self.scale * 1.5 / self.points  # pixels
            middle = sum(p[1] for p in at.values()) / len(at)
            below = middle + line * len(crowded) / 2  # the lowest name so far (display y)
            for name in sorted(crowded, key=lambda n: -at[n][1]):
                x, y = at[name]
                dx = (edge - x) * self.points + side * _COLUMN_GAP * self.scale
                target = below
                for step in range(120):  # down in 2-point steps until it fits, at most 240 pt
                    dy = (target - y) * self.points - 2 * step
                    align = {"ha": "left" if side > 0 else "right", "va": "top"}
                    if self.attempt(name, dx, dy, align, leader=True):
                        below = self.taken[-1].y0 - 1
                        break
                else:
                    left.append(name)
            crowded = left
            if not crowded:
                break
        return crowded


_HALO = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
_LEADER = {"arrowstyle": "-", "color": "#444444", "lw": 0.5, "shrinkA": 1, "shrinkB": 2.5}


def place_names(
    axes: Any, names: list[Name], obstacles: Sequence[Any] = (), *, scale: float = 1.0
) -> list[str]:
    """Write ``names`` on ``axes`` (its limits set), most important first, each where it
    touches no name, dot or obstacle (artists such as a scale bar) already there and stays
    inside the axes; return the texts written. ``scale`` shrinks type and dots for small
    panels.

    A town that changes hands and finds no place by its dot is written in a column beside
    the crowd it belongs to, with a leader line; any other name that finds no place is left
    out (with its dot, unless it is Kyiv).
    """
    placer = _Placer(axes, obstacles, scale)
    x0, x1 = sorted(axes.get_xlim())
    y0, y1 = sorted(axes.get_ylim())
    inside = [n for n in names if x0 <= n.x <= x1 and y0 <= n.y <= y1]
    # Every dot first: a name must not sit on any town's dot, placed yet or not.
    dots = {name: placer.dot(name) for name in inside if name.dotted}
    moved = [n for n in inside if n.kind == "moved"]
    for name in inside:
        if name.kind == "moved":
            continue
        if name.kind != "capital" and moved:  # the towns that move come after Kyiv
            _place_moved(placer, moved)
            moved = []
        if not placer.near(name) and name in dots and name.kind != "capital":
            dots[name].remove()  # a dot with no name says nothing
    if moved:
        _place_moved(placer, moved)
    return placer.written


#: Towns whose dots lie within this many points of a town that found no place by its dot
#: join it in the column.
_CROWD = 40


def _place_moved(placer: _Placer, moved: list[Name]) -> None:
    """The towns that change hands: each by its dot where it fits; a crowd where one does
    not (that town and every town near it, near being catching) in a column beside it."""
    failed = [n for n in moved if not placer.near(n)]
    if not failed:
        return
    transform = placer.axes.transData.transform
    at = {n: transform((n.x, n.y)) for n in moved}
    reach = _CROWD / placer.points
    crowd = set(failed)
    grown = True
    while grown:
        near = {
            n for n in moved if n not in crowd
            and any(math.dist(at[n], at[c]) <= reach for c in crowd)
        }  # fmt: skip
        crowd |= near
        grown = bool(near)
    for name in crowd:
        if name in placer.labels:
            placer.unwrite(name)
    placer.column([n for n in moved if n in crowd])
