"""The ``render`` command: pages, print figures, slider pages and animations.

The map libraries (folium, matplotlib) are imported where a command draws, not with this
module (:mod:`territory.render` loads them only when a name that needs them is first
used): a page's scenarios are resolved, and the page's data made, on another core while
they load.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click

import territory
from territory import render
from territory.cli.base import (
    LINE_FILE,
    chosen_scenarios,
    credit_option,
    credited,
    dates_options,
    echo,
    figure_size,
    joined,
    lang_option,
    line_of,
    line_option,
    note,
    output_option,
    progress_bar,
    quiet_option,
    read_dated,
    scenarios_option,
)
from territory.cores import aside
from territory.formats import ANIMATION_FORMATS, ANIMATION_SIZES, FIGURE_FORMATS
from territory.progress import step
from territory.reference import LineRef
from territory.words import long_date, word


@click.command("render")
@click.argument("scenario_ids", nargs=-1, metavar="[SCENARIO]...")
@quiet_option
@credit_option
@output_option(
    "territory-map.html",
    "The file to write: the map (.html), or a print figure of one scenario (.png, .svg, .pdf).",
)
@line_option
@scenarios_option
@click.option(
    "--tiles",
    metavar="PROVIDER",
    default=None,
    help="Web tiles under the map by xyzservices name (e.g. OpenStreetMap.Mapnik); the page "
    "then needs the network. Default: offline, our own land outlines.",
)
@click.option("--left", metavar="SCENARIO", default=None, help="Left side of the swipe view.")
@click.option("--right", metavar="SCENARIO", default=None, help="Right side of the swipe view.")
@click.option("--title", default=None, help="Title of the map or figure (default: its own).")
@click.option("--subtitle", default="", help="A line under the title.")
@click.option(
    "--size",
    metavar="WxH",
    default=None,
    help="Size of a figure in inches (.png, .svg, .pdf; default 10x7), or of an animation "
    "(.gif, .mp4): square (1080x1080 pixels, the default), portrait (1080x1350) or WxH inches "
    "at --dpi.",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 600),
    default=150,
    show_default=True,
    help="Resolution of a .png figure or of an animation given in inches.",
)
@click.option(
    "--fps",
    type=click.FloatRange(0.1, 30),
    default=2.0,
    show_default=True,
    help="Dates a second in an animation (.gif, .mp4).",
)
@click.option(
    "--history",
    "histories",
    type=LINE_FILE,
    metavar="FILE|SOURCE",
    multiple=True,
    help="A map with a time slider: a file of many dates (an archive), a source to fetch "
    "(archive), or several files of one date each (repeat --history).",
)
@dates_options(
    "week", "With --history: the dates on the slider (the last of each week or month, or all)."
)
@click.option(
    "--embed",
    is_flag=True,
    default=False,
    help="A page for an <iframe> in an article: title and a Scenarios button on one line, "
    "the map taking the rest.",
)
@click.option(
    "--sketch",
    is_flag=True,
    default=False,
    help="Let the reader draw a settlement on the page, see its price live and export it as "
    "a scenario file (by default on the line alone; name scenarios to start from them).",
)
@lang_option
def render_command(
    scenario_ids: tuple[str, ...],
    output: Path,
    line: LineRef | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
    tiles: str | None,
    left: str | None,
    right: str | None,
    title: str | None,
    subtitle: str,
    size: str | None,
    dpi: int,
    fps: float,
    histories: tuple[LineRef, ...],
    every: str,
    embed: bool,
    sketch: bool,
    lang: str,
    start: str | None,
    end: str | None,
) -> None:
    """Write the comparison map: all the shipped scenarios on the newest line by default;
    with --history, a map with a time slider over the dates of a history."""

    suffix = output.suffix.lower()
    if suffix in ANIMATION_FORMATS:
        if not histories:
            raise territory.TerritoryError(f"{output}: an animation is of a history: add --history")
        films = _Film(size or "square", dpi, fps, title, every, start, end, offline, lang)
        _animate(histories, scenario_ids, scenario_files, output, films)
        return
    _check_render(output, bool(histories), embed, sketch, line is not None)
    chosen = chosen_scenarios(scenario_ids, scenario_files)
    if sketch and not scenario_ids and not scenario_files:
        chosen = [territory.scenario("status-quo")]  # the line alone, to draw on
    if histories:
        page_options = {"tiles": tiles, "left": left, "right": right, "title": title, "lang": lang}
        _render_history(
            histories, chosen, output, page_options, subtitle, every, start, end, offline
        )
        return
    snap = credited(line_of(line, offline))
    if suffix in FIGURE_FORMATS and str(output) != "-":
        _figure(chosen, snap, output, size or "10x7", dpi, title, subtitle, lang)
    else:
        with aside(_prepared, chosen, snap, lang, left, right) as prepared:
            draw = render.render_prepared  # folium and the page's code load meanwhile
            page = draw(
                prepared(), tiles=tiles, title=title, subtitle=subtitle, embed=embed, sketch=sketch
            )
        if str(output) == "-":
            echo(render.map_html(page), nl=False)
            return
        render.save_map(page, output)
    note(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)")


def _prepared(
    chosen: list[territory.Scenario],
    snap: territory.Snapshot,
    lang: str,
    left: str | None,
    right: str | None,
) -> render.Prepared:
    """A page's data (:func:`territory.render.prepare`) of the scenarios on ``snap``, which it
    keeps with its line of contact drawn (the page draws it) and without its pieces by
    region (which the page does not use: they would only be copied back from the core that
    made the data)."""
    prepared = render.prepare(chosen, snap, lang=lang, left=left, right=right)
    snap.contact  # noqa: B018 (a cached property: made here, kept in the copy sent back)
    snap.without_pieces()
    return prepared


def _check_render(output: Path, history: bool, embed: bool, sketch: bool, dated: bool) -> None:
    """Refuse what render cannot write, in one line, before any work."""

    suffix = output.suffix.lower()
    if str(output) != "-" and suffix not in (".html", ".htm", *FIGURE_FORMATS):
        raise territory.TerritoryError(
            f"{output}: render writes .html (or - for standard output), a figure as "
            f"{', '.join(FIGURE_FORMATS)} or an animation as {', '.join(ANIMATION_FORMATS)}; "
            f"not {suffix or 'a file without extension'}"
        )
    if history and embed:
        raise territory.TerritoryError("--embed makes a page of one date; --history one of many")
    if sketch and (history or suffix in FIGURE_FORMATS):
        raise territory.TerritoryError("--sketch makes a page (.html) of one date")
    if history and dated:
        raise territory.TerritoryError(
            "--history draws every date of a history; --line and --date pick one: give either"
        )


def _figure(
    chosen: list[territory.Scenario],
    snap: territory.Snapshot,
    output: Path,
    size: str,
    dpi: int,
    title: str | None,
    subtitle: str,
    lang: str,
) -> None:
    """A print figure: one scenario's map, or several side by side (small multiples)."""
    from territory.render.figure import small_multiples, static_figure  # late: matplotlib

    line = territory.line_of_contact(snap).geometry.iloc[0]
    credit = _figure_credit(snap, lang)
    # Each scenario resolved, each map drawn, the file written.
    steps = 2 * len(chosen) + 1 if len(chosen) > 1 else 3
    with progress_bar(steps, "territory: drawing") as progress:
        zones = []
        for scen in chosen:
            zones.append(territory.resolve(scen, snap))
            step(progress)
        if len(chosen) > 1:
            when = long_date(snap.date, lang) if snap.date else snap.name
            small_multiples(
                [(s.text("title", lang), z) for s, z in zip(chosen, zones, strict=True)],
                output,
                width=figure_size(size)[0],
                dpi=dpi,
                title=title or word("scenarios_on", lang, date=when),
                subtitle=subtitle,
                credit=credit,
                line=line,
                lang=lang,
                progress=progress,
            )
            return
        static_figure(
            zones[0],
            output,
            size=figure_size(size),
            dpi=dpi,
            title=title or chosen[0].text("title", lang),
            subtitle=subtitle,
            credit=credit,
            line=line,
            lang=lang,
            progress=progress,
        )


@dataclasses.dataclass(frozen=True)
class _Film:
    """How ``render --history ... -o x.gif|x.mp4`` draws: the options that apply."""

    size: str
    dpi: int
    fps: float
    title: str | None
    every: str
    start: str | None
    end: str | None
    offline: bool | None
    lang: str = "en"


def _animate(
    histories: tuple[LineRef, ...],
    scenario_ids: tuple[str, ...],
    scenario_files: tuple[Path, ...],
    output: Path,
    film: _Film,
) -> None:
    """``render --history SRC [SCENARIO] -o x.gif|x.mp4``: one frame a date."""
    from territory.render.animation import animate  # late: the map libraries, to draw

    if len(scenario_ids) > 1:
        raise territory.TerritoryError("an animation shows one scenario: name one, or none")
    shown = chosen_scenarios(scenario_ids, scenario_files)[0] if scenario_ids else "status-quo"
    pixels = _animation_size(film.size, film.dpi)
    history, days = read_dated(histories, film.offline, film.every, film.start, film.end)
    if not days:
        raise territory.TerritoryError(f"{joined(histories)}: no dated map in the range")
    note(f"territory: {len(days)} frame(s), {days[0]} to {days[-1]}")
    with progress_bar(len(days), "territory: frames") as progress:
        animate(
            history,
            output,
            dates=days,
            scenario_ref=shown,
            size=pixels,
            fps=film.fps,
            title=film.title,
            progress=progress,
            lang=film.lang,
        )
    note(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)")


def _animation_size(text: str, dpi: int) -> tuple[int, int]:
    """An animation's frame in pixels: a preset, or inches at ``dpi`` (even numbers, as
    video needs)."""

    if text.lower() in ANIMATION_SIZES:
        return ANIMATION_SIZES[text.lower()]
    width, height = figure_size(text)
    return 2 * round(width * dpi / 2), 2 * round(height * dpi / 2)


def _render_history(
    histories: tuple[LineRef, ...],
    chosen: list[territory.Scenario],
    output: Path,
    page_options: dict[str, Any],
    subtitle: str,
    every: str,
    start: str | None,
    end: str | None,
    offline: bool | None,
) -> None:
    """``render --history``: the time-slider page (HTML only)."""

    if output.suffix.lower() not in (".html", ".htm") and str(output) != "-":
        raise territory.TerritoryError(
            f"{output}: a map with a time slider is a page: give a .html file (or -)"
        )
    history, days = read_dated(histories, offline, every, start, end)
    if not days:
        raise territory.TerritoryError(f"{joined(histories)}: no dated map in the range asked for")
    note(f"territory: {len(days)} date(s) on the slider, {days[0]} to {days[-1]}")
    with progress_bar(len(days), "territory: dates") as progress:
        page = render.render_history(
            history, chosen, dates=days, **page_options, subtitle=subtitle, progress=progress
        )
    if str(output) == "-":
        echo(render.map_html(page), nl=False)
        return
    render.save_map(page, output)
    note(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)")


def _figure_credit(snap: territory.Snapshot, lang: str = "en") -> str:
    """The credit line of a print figure: where its line comes from (the fetched source's
    credit, or the snapshot's note of its source) and, when stated, how accurate it is."""

    text = render.line_source(snap, lang)
    accuracy = snap.text("accuracy", lang)
    if accuracy:
        first = accuracy.split(";")[0].rstrip(".")
        text += word("accuracy_note", lang, text=first)
    return text
