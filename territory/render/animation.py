"""Animations of a history for social media: one frame per date, as GIF or MP4.

Every frame is the same size and shows the same ground at the same scale: the zones of the
scenario on that date's line (by default the line itself, nothing changed), the line of
contact, the date in large type, a legend of what is drawn, the credit of the line and of
the outlines, and a scale bar. The last date is held for two seconds.

GIF is written with Pillow (one palette for every frame, so that colours do not flicker);
MP4 (H.264) with the ffmpeg that the ``imageio-ffmpeg`` wheel carries, so no system ffmpeg is
needed (``pip install 'territory[video]'``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from territory._places import local_name, places
from territory._resolve import resolve
from territory._scenarios import Scenario, scenario
from territory.export import OutputError, atomic_path
from territory.formats import ANIMATION_FORMATS, ANIMATION_SIZES
from territory.history import History
from territory.progress import Progress, step
from territory.render.figure import (
    bare_axes,
    clipped,
    draw_zones,
    extent_of,
    key_handles,
    scale_bar,
)
from territory.words import check_language, long_date, word

__all__ = ["animate"]

#: How long the last date stays on screen, in seconds.
HOLD_S = 2.0
_DPI = 150


def animate(
    history: History,
    path: str | os.PathLike[str],
    *,
    dates: Iterable[dt.date] | None = None,
    scenario_ref: Scenario | str = "status-quo",
    size: tuple[int, int] = ANIMATION_SIZES["square"],
    fps: float = 2.0,
    title: str | None = None,
    credit: str | None = None,
    progress: Progress | None = None,
    lang: str = "en",
) -> Path:
    """Write an animation of a history (``.gif`` or ``.mp4``), one frame per date.

    Parameters
    ----------
    history : History
        Many dated lines (:func:`territory.read_history`).
    path : path
        The file to write, atomically; its extension picks the format.
    dates : iterable of date, optional
        The dates to show, oldest first; by default all the history's.
    scenario_ref : Scenario or str
        What to show on each date's line; by default the line itself (``status-quo``).
    size : (int, int)
        Frame width and height in pixels (the presets:
        :data:`territory.formats.ANIMATION_SIZES`).
    fps : float
        Dates a second.
    title, credit : str, optional
        Above the date; under the map (by default the history's credit).
    progress : callable, optional
        Told of each frame drawn (see :mod:`territory.progress`).
    lang : str
        ``"en"`` or ``"uk"``: the language of every word on the frames.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import territory
    >>> from territory.history import History
    >>> days = {d: territory.snapshot(d).areas for d in ("2022-02-23", "2025-08-08")}
    >>> history = History("two lines", "shipped", {dt.date.fromisoformat(d): f
    ...                                            for d, f in days.items()})
    >>> out = animate(history, pathlib.Path(tempfile.mkdtemp()) / "war.gif", size=(540, 540))
    >>> from PIL import Image
    >>> Image.open(out).n_frames
    2
    """
    path = Path(path)
    kind = ANIMATION_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(ANIMATION_FORMATS)
        raise OutputError(f"{path}: an animation is written as {known}")
    chosen = list(dates) if dates is not None else history.dates
    if not chosen:
        raise OutputError(f"{path}: no dated map to animate")
    if not 0.1 <= fps <= 30:
        raise OutputError(f"{path}: --fps {fps:g}: give 0.1 to 30 dates a second")
    shown = scenario(scenario_ref)
    frames = _frames(history, chosen, shown, size, title, credit, progress, check_language(lang))
    with atomic_path(path) as temporary:
        (_write_gif if kind == "gif" else _write_mp4)(frames, temporary, fps)
    return path


def _frames(
    history: History,
    dates: list[dt.date],
    shown: Scenario,
    size: tuple[int, int],
    title: str | None,
    credit: str | None,
    progress: Progress | None,
    lang: str = "en",
) -> list[np.ndarray]:
    """Each date's frame as RGB pixels: the zones first (for one extent), then drawn."""

    zones = []
    for day in dates:
        snap = history.snapshot(day)
        zones.append((day, resolve(shown, snap), snap.contact))
    extent = extent_of([z for _, z, _ in zones])
    ours = shown.text("title", lang) if shown.id != "status-quo" else word("short_title", lang)
    heading = title or ours
    source = history.credit or history.source
    note = credit if credit is not None else word("line_credit", lang, source=source)
    pixels = []
    for day, frame_zones, line in zones:
        pixels.append(_frame(frame_zones, line, day, extent, size, heading, note, lang))
        step(progress)
    return pixels


def _frame(
    zones: gpd.GeoDataFrame,
    line: Any,
    day: dt.date,
    extent: tuple[float, float, float, float],
    size: tuple[int, int],
    title: str,
    credit: str,
    lang: str = "en",
) -> np.ndarray:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size[0] / _DPI, size[1] / _DPI
    figure = Figure(figsize=(width, height), dpi=_DPI, facecolor="white")
    top, bottom = 1.05 / height, 0.85 / height  # inches kept for the heading and the foot
    axes = figure.add_axes((0.03, bottom, 0.94, 1 - top - bottom))
    draw_zones(axes, zones, line)
    box = axes.get_position(original=True)  # as placed, before any aspect shrank it
    minx, miny, maxx, maxy = _filling(extent, box.width * width / (box.height * height))
    axes.set_xlim(minx, maxx)
    axes.set_ylim(miny, maxy)
    bare_axes(axes)
    _cities(axes, (minx, miny, maxx, maxy), lang)
    scale_bar(axes, maxx, miny, km=100, lang=lang)
    characters = int(width * 13)  # at 11 pt
    figure.text(0.03, 1 - 0.12 / height, clipped(title, characters, 1), fontsize=11, va="top")
    figure.text(
        0.03,
        1 - 0.36 / height,
        long_date(day, lang),
        fontsize=26,
        fontweight="bold",
        va="top",
        color="#111111",
    )
    figure.legend(
        handles=key_handles(zones, line, towns=False, lang=lang),
        loc="lower left",
        bbox_to_anchor=(0.03, 0.28 / height),
        ncols=3 if width >= 6 else 2,
        fontsize=7,
        frameon=False,
    )
    foot = (f"{credit.strip().rstrip('.')}. " if credit else "") + word("figure_sources", lang)
    figure.text(0.03, 0.08 / height, clipped(foot, int(width * 17), 2), fontsize=6.5, va="bottom")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


#: Cities named on every frame, to find one's way: those of this many people or more.
CITY_POPULATION = 350_000


def _cities(axes: Any, extent: tuple[float, float, float, float], lang: str = "en") -> None:
    """The largest cities on the ground shown, each a dot and its name; a name that would
    overlap a larger city's is left out (the dot stays)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    minx, miny, maxx, maxy = extent
    halo = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}
    renderer = FigureCanvasAgg(axes.figure).get_renderer()
    taken: list[Any] = []
    cities = places(min_population=CITY_POPULATION, kinds="town")
    for row in cities.sort_values("population", ascending=False).itertuples():
        x, y = row.geometry.x, row.geometry.y
        if not (minx < x < maxx - 1 and miny < y < maxy):
            continue
        axes.plot(x, y, "o", ms=3.5, mfc="white", mec="#1a1a1a", mew=0.8, zorder=5)
        name = local_name(row.name, row.name_uk, lang)
        label = axes.text(x + 0.1, y, name, fontsize=7.5, va="center", bbox=halo, zorder=6)
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in taken):
            label.remove()
        else:
            taken.append(box)


def _filling(
    extent: tuple[float, float, float, float], ratio: float
) -> tuple[float, float, float, float]:
    """The extent widened (or heightened) about its centre to a box of ``ratio`` (width to
    height), at the maps' aspect: more ground around, rather than a narrower map.

    Examples
    --------
    >>> _filling((30.0, 45.0, 40.0, 50.0), 1.0)  # 10 x 5 degrees, drawn 10 x 7.6: taller
    (30.0, 44.2, 40.0, 50.8)
    """
    minx, miny, maxx, maxy = extent
    stretch = 1 / 0.66  # a degree of latitude drawn longer than one of longitude, as bare_axes
    width, height = maxx - minx, (maxy - miny) * stretch
    if width / height < ratio:
        grow = (height * ratio - width) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = (width / ratio - height) / stretch / 2
        miny, maxy = miny - grow, maxy + grow
    return round(minx, 2), round(miny, 2), round(maxx, 2), round(maxy, 2)


def _write_gif(frames: Sequence[np.ndarray], path: Path, fps: float) -> None:
    from PIL import Image

    images = [Image.fromarray(pixels) for pixels in frames]
    palette = images[-1].quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    flat = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    pause = round(1000 / fps)
    durations = [pause] * (len(flat) - 1) + [pause + round(HOLD_S * 1000)]
    flat[0].save(
        path,
        format="GIF",
        save_all=True,
        append_images=flat[1:],
        duration=durations,
        loop=0,
        optimize=True,
    )


def _write_mp4(frames: Sequence[np.ndarray], path: Path, fps: float) -> None:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise OutputError(
            f"{path}: MP4 needs the ffmpeg wheel: pip install 'territory[video]' (or write .gif)"
        ) from None
    height, width = frames[0].shape[:2]
    held = max(1, round(HOLD_S * fps))
    writer = imageio_ffmpeg.write_frames(
        str(path),
        (width, height),
        fps=fps,
        codec="libx264",
        quality=None,
        macro_block_size=2,
        output_params=["-crf", "23", "-movflags", "+faststart", "-f", "mp4"],
        ffmpeg_log_level="error",
    )
    writer.send(None)  # start ffmpeg
    try:
        for pixels in [*frames, *[frames[-1]] * held]:
            writer.send(np.ascontiguousarray(pixels))
    finally:
        writer.close()
