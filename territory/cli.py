"""The ``territory`` command line: thin commands over the library.

Errors a user can cause end in one line on stderr and exit status 1 (usage errors: 2);
outputs are written atomically.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
import signal
import sys
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click
import pandas as pd

import territory
from territory._scenarios import select
from territory._stats import with_totals
from territory.errors import TerritoryError
from territory.export import write_text
from territory.progress import Progress
from territory.series import EVERY
from territory.words import LANGUAGES, long_date, word

FORMATS = ("table", "csv", "json")


class _Group(click.Group):
    """Turns the errors users cause into one line: exit status 1, 2 for a mistyped command
    line (as click has it), 130 for Ctrl-C."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as problem:
            _usage_error(problem)

    def invoke(self, ctx: click.Context) -> Any:
        # On SIGTERM unwind like on Ctrl-C, so that half-written outputs are removed.
        with contextlib.suppress(ValueError):  # only the main thread may set handlers
            signal.signal(signal.SIGTERM, _exit_on_signal)
        shown, warnings.showwarning = warnings.showwarning, _one_line_warning
        try:
            return super().invoke(ctx)
        except click.UsageError as problem:
            _usage_error(problem)
        except TerritoryError as problem:
            _error(problem)
        except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as problem:
            where = f"{problem.filename}: " if problem.filename else ""
            _error(f"{where}{problem.strerror or problem}")
        except KeyboardInterrupt:  # outputs were written whole or not at all: nothing is left
            _echo_line("territory: interrupted", err=True)
            sys.exit(130)
        finally:
            warnings.showwarning = shown


def _error(problem: object) -> NoReturn:
    _echo_line(f"territory: error: {problem}", err=True)
    sys.exit(1)


def _usage_error(problem: click.UsageError) -> NoReturn:
    command = problem.ctx.command_path if problem.ctx is not None else "territory"
    _echo_line(
        f"territory: error: {problem.format_message().rstrip('.')} (see '{command} --help')",
        err=True,
    )
    sys.exit(problem.exit_code)


# Bidirectional overrides and isolates: they reorder what a terminal shows.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _terminal(text: str) -> str:
    r"""Text with control characters (escape sequences, C1 controls, bidi overrides) shown
    as ``\uXXXX`` instead of acted on; newlines and tabs are kept. Valid inside JSON too.

    Examples
    --------
    >>> print(_terminal("freeze\x1b[2J\u202e!"))
    freeze\u001b[2J\u202e!
    """
    return "".join(
        f"\\u{ord(c):04x}"
        if c not in "\n\t" and (unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS)
        else c
        for c in text
    )


def _echo(text: object = "", **options: Any) -> None:
    """The one way the command line writes text: through :func:`_terminal`."""
    click.echo(_terminal(str(text)), **options)


def _echo_line(text: str, **options: Any) -> None:
    """Write one line: newlines and tabs in it (from a file name, a URL...) shown escaped."""
    click.echo(_terminal(text).replace("\n", "\\n").replace("\t", "\\t"), **options)


def _exit_on_signal(number: int, frame: object) -> None:
    sys.exit(128 + number)


def _one_line_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    # A library's warning may be laid out over several lines: one line is what we print.
    _echo_line(f"territory: warning: {' '.join(str(message).split())}", err=True)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["territory.quiet"] = True  # meta is shared by the group and its command


quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="Show no progress (it shows only on a terminal anyway).",
)


def _set_credit(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta["territory.credit"] = " ".join(value.split())


credit_option = click.option(
    "--credit",
    metavar="TEXT",
    expose_value=False,
    callback=_set_credit,
    help="Credit the front line with TEXT on maps, figures and animations, instead of what "
    "the line says of itself (DeepStateMap for its maps, the file's name otherwise).",
)


def _global(key: str, fallback: object) -> Callable[..., object]:
    """A subcommand's option that, when not given, takes the value given before the
    subcommand (``territory --offline stats``), else ``fallback``."""

    def take(ctx: click.Context, param: click.Parameter, value: object) -> object:
        return value if value is not None else ctx.meta.get(key, fallback)

    return take


def _remember(key: str) -> Callable[..., None]:
    """The group's copy of a subcommand option: kept for the subcommand to take."""

    def keep(ctx: click.Context, param: click.Parameter, value: object) -> None:
        if value is not None:
            ctx.meta[key] = value

    return keep


_LANG_HELP = (
    "Language of the page or figure: English, or Ukrainian (uk) for every word a reader sees."
)

#: The language of a page, figure or animation (every word a reader sees).
lang_option = click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=None,
    callback=_global("territory.lang", "en"),
    help=_LANG_HELP + " [default: en]",
)


def _credited(found: Any) -> Any:
    """A snapshot or history with the credit --credit gives it, if any."""
    ctx = click.get_current_context(silent=True)
    credit = ctx.meta.get("territory.credit") if ctx is not None else None
    if credit is None:
        return found
    if isinstance(found, territory.History):
        return dataclasses.replace(found, credit=credit, _built={})  # snapshots built afresh
    return dataclasses.replace(found, credit=credit)


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Progress | None]:
    """A progress bar on standard error (dates done of all, time left) while long work runs:
    only when standard error is a terminal, and never with --quiet."""
    ctx = click.get_current_context(silent=True)
    quiet = ctx is not None and ctx.meta.get("territory.quiet", False)
    if quiet or total < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(
        length=total, label=label, file=sys.stderr, show_eta=True, show_pos=True, width=24
    ) as bar:
        yield bar.update


# Options defined once, used by every command that needs them.
def line_option(command: Callable) -> Callable:
    """``--line DATE|FILE|SOURCE``, ``--date DATE``, ``--offline``: the snapshot to work on."""
    command = offline_option(command)
    command = click.option(
        "--date",
        "date",
        metavar="YYYY-MM-DD",
        default=None,
        help="With a --line file of several dates (an archive), the date to take. "
        "Default: the newest it holds.",
    )(command)
    return click.option(
        "--line",
        "line",
        metavar="DATE|FILE|SOURCE",
        default=None,
        help="Snapshot of the front: a shipped date (see `territory snapshots`), a file "
        "(GeoJSON, DeepState's raw maps, archives of many dates, KML/KMZ, GeoPackage, "
        "Shapefile...; .gz or .zip too), or a source to fetch: deepstate:latest, "
        "deepstate:YYYY-MM-DD, archive, archive:YYYY-MM-DD. Default: the newest shipped "
        "snapshot.",
    )(command)


_OFFLINE_HELP = "Never touch the network: fetched lines come from the cache only."


def offline_option(command: Callable) -> Callable:
    return click.option(
        "--offline",
        is_flag=True,
        default=None,
        callback=_global("territory.offline", None),
        help=_OFFLINE_HELP,
    )(command)


scenarios_option = click.option(
    "--scenarios",
    "scenario_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A scenario file (TOML) to add to the shipped scenarios. Repeatable.",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format for tables.",
)


def dates_options(every: str, help_text: str) -> Callable:
    """``--every`` (thinning, default ``every``), ``--from`` and ``--to``: which dates of a
    history a command takes, as :func:`territory.series.pick_dates` picks them."""

    def decorate(command: Callable) -> Callable:
        command = click.option(
            "--to", "end", metavar="YYYY-MM-DD", default=None, help="Last date of the history."
        )(command)
        command = click.option(
            "--from", "start", metavar="YYYY-MM-DD", default=None, help="First date of the history."
        )(command)
        return click.option(
            "--every",
            type=click.Choice(EVERY),
            default=every,
            show_default=True,
            help=help_text,
        )(command)

    return decorate


def output_option(default: str | None, help_text: str) -> Callable:
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def _emit(table: pd.DataFrame, fmt: str, *, percent_digits: int = 1) -> None:
    """A table in the format asked; a terminal table shows percentages to
    ``percent_digits`` decimals."""
    table = _plain_dates(table)
    if fmt == "json":
        records = json.loads(table.to_json(orient="records", date_format="iso"))
        _echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        _echo(table.to_csv(index=False), nl=False)
    else:
        _echo(_aligned(table, percent_digits=percent_digits))


def _readable_shares(table: pd.DataFrame) -> pd.DataFrame:
    """A table of shares over time as a person reads it: shares in per cent (to 0.01, so that
    a change of Ukraine's share shows), without the areas of the regions."""
    out = table.drop(columns=["area_km2"])
    for side in ("russia", "contested"):
        at = out.columns.get_loc(f"{side}_share")
        out.insert(at, f"{side}_%", out.pop(f"{side}_share") * 100)
    return out


def _plain_dates(table: pd.DataFrame) -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` (not timestamps at midnight) in every output format."""
    out = table
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d")
        elif values.dtype == object and len(values) and isinstance(values.iloc[0], dt.date):
            text = values.map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
        else:
            continue
        out = out.copy() if out is table else out
        out[column] = text
    return out


def _aligned(table: pd.DataFrame, percent_digits: int = 1) -> str:
    """A terminal table: text left-aligned, numbers right-aligned under their headers, with
    thousands separators (floats to two decimals, percentages to one), columns two spaces
    apart.

    >>> print(_aligned(pd.DataFrame({"region": ["Donetsk", "UA"], "km2": [6279.37, 0.0]})))
    region       km2
    Donetsk  6,279.37
    UA           0.00
    """
    columns = []
    for name in table.columns:
        values = table[name]
        if pd.api.types.is_float_dtype(values):
            digits = percent_digits if str(name).endswith("%") else 2
            cells = [f"{v:,.{digits}f}" if pd.notna(v) else "" for v in values]
            right = True
        elif pd.api.types.is_integer_dtype(values):
            cells, right = [f"{v:,}" if pd.notna(v) else "" for v in values], True
        else:
            cells, right = ["" if pd.isna(v) else str(v) for v in values], False
        width = max([len(str(name)), *(len(c) for c in cells)])
        pad = str.rjust if right else str.ljust
        columns.append([pad(str(name), width), *(pad(c, width) for c in cells)])
    return "\n".join("  ".join(row).rstrip() for row in zip(*columns, strict=True))


@functools.cache
def _line(
    ref: str | None, date: str | None = None, offline: bool | None = None
) -> territory.Snapshot:
    if ref is not None and ref not in territory.SHIPPED_SNAPSHOTS and _is_file_or_source(ref):
        wanted = territory.history.parse_date(date)
        history = territory.read_history(
            ref,
            offline=offline,
            pick=None if wanted is None else lambda held: [d for d in held if d == wanted],
        )
        if len(history.dates) > 1 and date is None:
            _echo(
                f"territory: {ref} holds {len(history.dates)} dates, {history.dates[0]} to "
                f"{history.newest}; using the newest, {history.newest} (pick one with --date)",
                err=True,
            )
        return history.snapshot(date)
    return territory.snapshot(ref, date=date)


def _read_dated(
    lines: tuple[str, ...], offline: bool | None, every: str, start: str | None, end: str | None
) -> tuple[territory.History, list[dt.date]]:
    """A history and the dates of it a command takes (--every, --from, --to); of a one-file
    archive, only those dates are parsed."""
    from territory import series

    pick = functools.partial(series.pick, every=every, start=start, end=end)
    history = _credited(territory.read_histories(lines, offline=offline, pick=pick))
    return history, series.pick_dates(history, every=every, start=start, end=end)


def _is_file_or_source(ref: str) -> bool:
    from territory.fetch import is_reference

    return is_reference(ref) or Path(ref).exists()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(territory.__version__, prog_name="territory")
@quiet_option
@click.option(
    "--offline",
    is_flag=True,
    default=None,
    expose_value=False,
    callback=_remember("territory.offline"),
    help=_OFFLINE_HELP + " (for every command)",
)
@click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=None,
    expose_value=False,
    callback=_remember("territory.lang"),
    help=_LANG_HELP + " (for render and compare)",
)
def main() -> None:
    """Who holds which part of Ukraine, and what each proposed settlement would change."""


@main.command("scenarios")
@scenarios_option
@format_option
def scenarios_command(scenario_files: tuple[Path, ...], fmt: str) -> None:
    """List the settlement scenarios, with their sources."""
    found = territory.scenarios(*scenario_files)
    if fmt == "json":
        _echo(json.dumps([s.as_record() for s in found], indent=2, ensure_ascii=False))
        return
    table = pd.DataFrame(
        {
            "id": [s.id for s in found],
            "title": [s.title for s in found],
            "source": [s.citation for s in found],
        }
    )
    _emit(table, fmt)


@main.command("snapshots")
@click.option(
    "--line",
    "line",
    metavar="FILE|SOURCE",
    default=None,
    help="List the dates a front-line file (or a source to fetch, such as archive) holds "
    "instead of the shipped snapshots.",
)
@offline_option
@format_option
def snapshots_command(line: str | None, offline: bool | None, fmt: str) -> None:
    """List the shipped snapshots of the front line (the last is the default), or the
    dates a file holds."""
    if line is None:
        _emit(territory.snapshots(), fmt)
        return
    history = territory.read_history(line, offline=offline)
    rows = [
        {"date": day, "polygons": len(history.frames[day]), "newest": day == history.newest}
        for day in history.frames
    ]
    _emit(pd.DataFrame(rows, columns=["date", "polygons", "newest"]), fmt)


@main.command("stats")
@click.argument("scenario_ids", nargs=-1, metavar="[SCENARIO]...")
@line_option
@scenarios_option
@format_option
def stats_command(
    scenario_ids: tuple[str, ...],
    line: str | None,
    date: str | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
    fmt: str,
) -> None:
    """km² and shares per region for each scenario (default: all of them)."""
    chosen = _chosen(scenario_ids, scenario_files)
    snap = _line(line, date, offline)
    tables = []
    for s in chosen:
        zones = territory.resolve(s, snap)
        tables.append(with_totals(territory.stats(zones), territory.totals(zones)))
    table = pd.concat(tables, ignore_index=True)
    _emit(_readable(table) if fmt == "table" else table, fmt)


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """The columns that fit a terminal, shares as percentages, units with any change (and
    the demilitarised km² when any scenario shown demilitarises ground)."""
    shown = table[
        (table["russia_km2"] > 0)
        | (table["to_ukraine_km2"] > 0)
        | (table["demilitarised_km2"] > 0)
        | (table["region"] == "UA")
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


def _chosen(ids: tuple[str, ...], files: tuple[Path, ...]) -> list[territory.Scenario]:
    if not ids:
        return territory.scenarios(*files)
    return select(ids, *files)  # each file read once, however many ids it answers


@main.command("export")
@click.argument("scenario_id", metavar="SCENARIO")
@output_option(None, "Output file: .geojson, .gpkg (zones) or .csv (stats).")
@line_option
@scenarios_option
def export_command(
    scenario_id: str,
    output: Path | None,
    line: str | None,
    date: str | None,
    offline: bool | None,
    scenario_files: tuple[Path, ...],
) -> None:
    """Write a scenario's zones (or its stats) to a file chosen by extension."""
    if output is None:
        raise click.UsageError("give an output file with -o FILE (.geojson, .gpkg or .csv)")
    zones = territory.resolve(
        territory.scenario(scenario_id, *scenario_files), _line(line, date, offline)
    )
    if str(output) == "-":  # standard output: GeoJSON, written whole once it is complete
        with tempfile.TemporaryDirectory() as folder:
            written = territory.export_zones(zones, Path(folder) / "zones.geojson")
            _echo(written.read_text(encoding="utf-8"), nl=False)
        return
    territory.export_zones(zones, output)
    if output.suffix.lower() == ".csv":
        rows = len(territory.stats(zones)) + 1
        _echo(f"wrote {output} ({rows} rows: one per region, then all of Ukraine)", err=True)
    else:
        _echo(f"wrote {output} ({len(zones)} zones)", err=True)


@main.command("render")
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
    line: str | None,
    date: str | None,
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
    histories: tuple[str, ...],
    every: str,
    embed: bool,
    sketch: bool,
    lang: str,
    start: str | None,
    end: str | None,
) -> None:
    """Write the comparison map: all the shipped scenarios on the newest line by default;
    with --history, a map with a time slider over the dates of a history."""
    from territory import render
    from territory.render.animation import ANIMATION_FORMATS
    from territory.render.png import FIGURE_FORMATS

    suffix = output.suffix.lower()
    if suffix in ANIMATION_FORMATS:
        if not histories:
            raise territory.TerritoryError(f"{output}: an animation is of a history: add --history")
        films = _Film(size or "square", dpi, fps, title, every, start, end, offline, lang)
        _animate(histories, scenario_ids, scenario_files, output, films)
        return
    if str(output) != "-" and suffix not in (".html", ".htm", *FIGURE_FORMATS):
        raise territory.TerritoryError(
            f"{output}: render writes .html (or - for standard output), a figure as "
            f"{', '.join(FIGURE_FORMATS)} or an animation as {', '.join(ANIMATION_FORMATS)}; "
            f"not {suffix or 'a file without extension'}"
        )
    size = size or "10x7"
    chosen = _chosen(scenario_ids, scenario_files)
    page_options: dict[str, Any] = {
        "tiles": tiles,
        "left": left,
        "right": right,
        "title": title,
        "lang": lang,
    }
    if histories and embed:
        raise territory.TerritoryError("--embed makes a page of one date; --history one of many")
    if embed:
        page_options["embed"] = True
    if sketch:
        if histories or suffix in FIGURE_FORMATS:
            raise territory.TerritoryError("--sketch makes a page (.html) of one date")
        page_options["sketch"] = True
        if not scenario_ids and not scenario_files:
            chosen = [territory.scenario("status-quo")]
    if histories and (line is not None or date is not None):
        raise territory.TerritoryError(
            "--history draws every date of a history; --line and --date pick one: give either"
        )
    if histories:
        _render_history(
            histories, chosen, output, page_options, subtitle, every, start, end, offline
        )
        return
    snap = _credited(_line(line, date, offline))
    if str(output) == "-":
        page = render.render_comparison(chosen, snap, **page_options, subtitle=subtitle)
        _echo(render.map_html(page), nl=False)
        return
    if suffix in FIGURE_FORMATS and len(chosen) > 1:
        # Several scenarios (all by default): one small map each, side by side.
        from territory.render.png import small_multiples

        when = long_date(snap.date, lang) if snap.date else snap.name
        small_multiples(
            [(s.text("title", lang), territory.resolve(s, snap)) for s in chosen],
            output,
            width=_figure_size(size)[0],
            dpi=dpi,
            title=title or word("scenarios_on", lang, date=when),
            subtitle=subtitle,
            credit=_figure_credit(snap, lang),
            line=territory.line_of_contact(snap).geometry.iloc[0],
            lang=lang,
        )
    elif suffix in FIGURE_FORMATS:
        zones = territory.resolve(chosen[0], snap)
        render.static_figure(
            zones,
            output,
            size=_figure_size(size),
            dpi=dpi,
            title=title or chosen[0].text("title", lang),
            subtitle=subtitle,
            credit=_figure_credit(snap, lang),
            line=territory.line_of_contact(snap).geometry.iloc[0],
            lang=lang,
        )
    else:
        page = render.render_comparison(chosen, snap, **page_options, subtitle=subtitle)
        render.save_map(page, output)
    _echo(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)", err=True)


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
    histories: tuple[str, ...],
    scenario_ids: tuple[str, ...],
    scenario_files: tuple[Path, ...],
    output: Path,
    film: _Film,
) -> None:
    """``render --history SRC [SCENARIO] -o x.gif|x.mp4``: one frame a date."""
    from territory.render.animation import animate

    if len(scenario_ids) > 1:
        raise territory.TerritoryError("an animation shows one scenario: name one, or none")
    shown = _chosen(scenario_ids, scenario_files)[0] if scenario_ids else "status-quo"
    pixels = _animation_size(film.size, film.dpi)
    history, days = _read_dated(histories, film.offline, film.every, film.start, film.end)
    if not days:
        raise territory.TerritoryError(f"{', '.join(histories)}: no dated map in the range")
    _echo(f"territory: {len(days)} frame(s), {days[0]} to {days[-1]}", err=True)
    with _progress(len(days), "territory: frames") as progress:
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
    _echo(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)", err=True)


def _animation_size(text: str, dpi: int) -> tuple[int, int]:
    """An animation's frame in pixels: a preset, or inches at ``dpi`` (even numbers, as
    video needs)."""
    from territory.render.animation import SIZES

    if text.lower() in SIZES:
        return SIZES[text.lower()]
    width, height = _figure_size(text)
    return 2 * round(width * dpi / 2), 2 * round(height * dpi / 2)


def _render_history(
    histories: tuple[str, ...],
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
    from territory import render

    if output.suffix.lower() not in (".html", ".htm") and str(output) != "-":
        raise territory.TerritoryError(
            f"{output}: a map with a time slider is a page: give a .html file (or -)"
        )
    history, days = _read_dated(histories, offline, every, start, end)
    if not days:
        raise territory.TerritoryError(
            f"{', '.join(histories)}: no dated map in the range asked for"
        )
    _echo(f"territory: {len(days)} date(s) on the slider, {days[0]} to {days[-1]}", err=True)
    with _progress(len(days), "territory: dates") as progress:
        page = render.render_history(
            history, chosen, dates=days, **page_options, subtitle=subtitle, progress=progress
        )
    if str(output) == "-":
        _echo(render.map_html(page), nl=False)
        return
    render.save_map(page, output)
    _echo(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)", err=True)


def _figure_credit(snap: territory.Snapshot, lang: str = "en") -> str:
    """The credit line of a print figure: where its line comes from (the fetched source's
    credit, or the snapshot's note of its source) and, when stated, how accurate it is."""
    from territory.render import line_source

    text = line_source(snap, lang)
    accuracy = snap.text("accuracy", lang)
    if accuracy:
        first = accuracy.split(";")[0].rstrip(".")
        text += word("accuracy_note", lang, text=first)
    return text


def _figure_size(text: str) -> tuple[float, float]:
    """``"10x7"`` as (10.0, 7.0) inches; between 2 and 40 inches a side."""
    width, sep, height = text.lower().partition("x")
    try:
        size = (float(width), float(height))
    except ValueError:
        size = (0.0, 0.0)
    if not sep or not all(2 <= side <= 40 for side in size):
        raise territory.TerritoryError(
            f"--size {text!r}: give width x height in inches, each 2 to 40, e.g. 10x7"
        )
    return size


@main.command("compare")
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
    line: str | None,
    date: str | None,
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
    snap = _credited(_line(line, date, offline))
    scenario_a, scenario_b = select([first, second], *scenario_files)
    a, b = territory.resolve(scenario_a, snap), territory.resolve(scenario_b, snap)
    change = territory.diff(a, b)
    if output is not None:
        from territory import render

        page = render.render_comparison(
            [scenario_a, scenario_b],
            snap,
            left=scenario_a.id,
            right=scenario_b.id,
            swipe=True,
            lang=lang,
        )
        render.save_map(page, output)
        _echo(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB)", err=True)
    if towns_file is not None:
        towns = change.all_towns()
        write_text(towns.to_csv(index=False), towns_file)
        _echo(f"wrote {towns_file} ({len(towns)} towns)", err=True)
    by_region = with_totals(change.by_region, change.totals)
    if fmt == "json":
        record = {
            "a": change.a,
            "b": change.b,
            "snapshot": snap.name,
            "regions": json.loads(by_region.to_json(orient="records")),
            "towns": json.loads(change.towns.drop(columns="geometry").to_json(orient="records")),
            "town_population": change.town_population,
            "demilitarised_towns": json.loads(
                change.demilitarised_towns.drop(columns="geometry").to_json(orient="records")
            ),
            "demilitarised_population": change.demilitarised_population,
            "caveat": change.caveat,
        }
        _echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    if fmt == "table" and by_region.empty:
        _echo(f"No ground changes hands or recognition between {first} and {second}.")
    else:
        _emit(by_region, fmt)
    if fmt == "table":
        _echo("")
        towns = change.towns.drop(columns="geometry")
        _echo(f"Towns that change hands: {len(towns)}, population {change.town_population:,}")
        if not towns["demilitarised"].any():  # the column says something only when true
            towns = towns.drop(columns="demilitarised")
        if len(towns):
            _echo(_aligned(pd.DataFrame(towns)))
        kept = change.demilitarised_towns
        stay = kept[kept["change"] == "none"].drop(columns=["geometry", "change"])
        if len(kept):
            _echo("")
            _echo(
                f"Towns in the demilitarised ground of {change.b}: {len(kept)}, "
                f"population {change.demilitarised_population:,}"
                + (f"; {len(stay)} of them stay on their side:" if len(stay) else "")
            )
        if len(stay):
            _echo(_aligned(pd.DataFrame(stay)))
        _echo(change.caveat)


history_lines_option = click.option(
    "--line",
    "lines",
    metavar="FILE|SOURCE",
    required=True,
    multiple=True,
    help="A file of many dates (an archive), a source to fetch (archive), or several files "
    "of one date each (repeat --line).",
)


@main.command("history")
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
    lines: tuple[str, ...],
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
    from territory import rates, series

    rolling_days = rates.parse_window(window) if window is not None else None
    if scenario_id is not None and (rolling_days is not None or rate_chart_path is not None):
        raise territory.TerritoryError(
            "--rolling and --rate-chart go with the shares over time, not SCENARIO"
        )
    if towns_file is not None and (scenario_id is None or towns_file.suffix.lower() != ".csv"):
        raise territory.TerritoryError(f"{towns_file}: --towns writes SCENARIO's towns as .csv")

    history, dates = _read_dated(lines, offline, every, start, end)
    if not dates:
        raise territory.TerritoryError(f"{', '.join(lines)}: no dated map in the range asked for")
    _echo(f"territory: {len(dates)} date(s), {dates[0]} to {dates[-1]}", err=True)
    if scenario_id is None:
        with _progress(len(dates), "territory: dates") as progress:
            table = series.shares_over_time(history, dates, progress=progress)
        if chart_path is not None:
            series.chart(table, chart_path, credit=history.credit)
            _echo(f"wrote {chart_path}", err=True)
        table = rates.with_rates(table, rolling_days=rolling_days)
        if rate_chart_path is not None:
            rates.chart(table, rate_chart_path, credit=history.credit)
            _echo(f"wrote {rate_chart_path}", err=True)
        # Shares over time move by hundredths of a point: two decimals.
        _emit(table if fmt != "table" else _readable_shares(table), fmt, percent_digits=2)
        return
    found = territory.scenario(scenario_id, *scenario_files)
    with _progress(len(dates), "territory: dates") as progress:
        by_region, towns = series.price_over_time(history, found, dates, progress=progress)
    if fmt == "json":
        record = {
            "scenario": found.id,
            "regions": json.loads(by_region.to_json(orient="records", date_format="iso")),
            "towns": json.loads(towns.to_json(orient="records", date_format="iso")),
        }
        _echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    if towns_file is not None:
        write_text(towns.to_csv(index=False), towns_file)
        _echo(f"wrote {towns_file} ({len(towns):,} rows)", err=True)
    _emit(by_region, fmt)
    if fmt == "table":
        for title, rows in (
            ("Towns that would change hands", towns[towns["change"] != "none"]),
            ("Towns in demilitarised ground", towns[towns["demilitarised"]]),
        ):
            if len(rows):
                _echo(f"\n{title} (pre-war population), by date:")
                _echo(_aligned(_towns_by_date(rows)))


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
    return _plain_dates(pd.DataFrame(rows, columns=["date", "towns", "population", "names"]))


@main.command("towns")
@quiet_option
@history_lines_option
@dates_options("day", "Compare one date a week or a month (the last of each).")
@offline_option
@format_option
def towns_command(
    lines: tuple[str, ...],
    every: str,
    start: str | None,
    end: str | None,
    offline: bool | None,
    fmt: str,
) -> None:
    """The towns that changed hands over a history, and when: each change on the first
    date that shows it, with the date before, the sides and the pre-war population."""
    from territory import towns

    history, dates = _read_dated(lines, offline, every, start, end)
    if len(dates) < 2:
        raise territory.TerritoryError(f"{', '.join(lines)}: fewer than two dates to compare")
    _echo(f"territory: {len(dates)} date(s), {dates[0]} to {dates[-1]}", err=True)
    with _progress(len(dates), "territory: dates") as progress:
        table = towns.towns_over_time(history, dates, progress=progress)
    if table.empty and fmt == "table":
        _echo("No town changed hands.")
        return
    _emit(table, fmt)


@main.command("fetch")
@click.argument("reference", metavar="SOURCE", default="deepstate:latest")
@offline_option
def fetch_command(reference: str, offline: bool | None) -> None:
    """Download a front line into the cache (default: deepstate:latest).

    SOURCE is deepstate:latest, deepstate:YYYY-MM-DD, archive (every date since July 2024)
    or archive:YYYY-MM-DD. Use it then with --line SOURCE; a second run works offline.
    """
    from territory.fetch import fetch

    fetched = fetch(reference, offline=offline)
    history = territory.read_history(fetched.path)
    dates = history.dates
    held = (
        f"{len(dates)} dates, {dates[0]} to {dates[-1]}"
        if len(dates) > 1
        else str(dates[0] if dates else "no date")
    )
    _echo(f"{reference}: {fetched.path} ({held})")
    _echo(
        f"Front line: {fetched.credit}. The data is the source's: cite it, do not redistribute it."
    )


@main.command("validate")
@click.argument("file", metavar="FILE|SOURCE")
@click.option(
    "--date", "date", metavar="YYYY-MM-DD", default=None, help="With an archive: the date to check."
)
def validate_command(file: str, date: str | None) -> None:
    """Check a scenario file (.toml) or a front-line file and say what it contains."""
    from territory.validate import validate

    for line in validate(file, date=date):
        _echo(line)


if __name__ == "__main__":
    main()
