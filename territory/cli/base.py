"""What every command shares: one-line errors, the options defined once, tables, and
reading a front-line reference (``--line``) or several dated lines."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
import signal
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click
import pandas as pd

import territory
from territory import series
from territory.errors import TerritoryError
from territory.importers import READ_STEPS
from territory.progress import Progress
from territory.reference import LineRef
from territory.series import EVERY
from territory.words import LANGUAGES

FORMATS = ("table", "csv", "json")


class Group(click.Group):
    """Turns the errors users cause into one line: exit status 1, 2 for a mistyped command
    line (as click has it), 130 for Ctrl-C."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as problem:
            usage_error(problem)

    def invoke(self, ctx: click.Context) -> Any:
        # On SIGTERM unwind like on Ctrl-C, so that half-written outputs are removed.
        with contextlib.suppress(ValueError):  # only the main thread may set handlers
            signal.signal(signal.SIGTERM, exit_on_signal)
        shown, warnings.showwarning = warnings.showwarning, one_line_warning
        try:
            return super().invoke(ctx)
        except click.UsageError as problem:
            usage_error(problem)
        except TerritoryError as problem:
            fail(problem)
        except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as problem:
            where = f"{problem.filename}: " if problem.filename else ""
            fail(f"{where}{problem.strerror or problem}")
        except KeyboardInterrupt:  # outputs were written whole or not at all: nothing is left
            echo_line("territory: interrupted", err=True)
            sys.exit(130)
        finally:
            warnings.showwarning = shown


def fail(problem: object) -> NoReturn:
    echo_line(f"territory: error: {problem}", err=True)
    sys.exit(1)


def usage_error(problem: click.UsageError) -> NoReturn:
    command = problem.ctx.command_path if problem.ctx is not None else "territory"
    echo_line(
        f"territory: error: {problem.format_message().rstrip('.')} (see '{command} --help')",
        err=True,
    )
    sys.exit(problem.exit_code)


# Bidirectional overrides and isolates: they reorder what a terminal shows.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal(text: str) -> str:
    r"""Text with control characters (escape sequences, C1 controls, bidi overrides) shown
    as ``\uXXXX`` instead of acted on; newlines and tabs are kept. Valid inside JSON too.

    Examples
    --------
    >>> print(terminal("freeze\x1b[2J\u202e!"))
    freeze\u001b[2J\u202e!
    """
    return "".join(
        f"\\u{ord(c):04x}"
        if c not in "\n\t" and (unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS)
        else c
        for c in text
    )


def echo(text: object = "", **options: Any) -> None:
    """The one way the command line writes text: through :func:`terminal`."""
    click.echo(terminal(str(text)), **options)


def echo_line(text: str, **options: Any) -> None:
    """Write one line: newlines and tabs in it (from a file name, a URL...) shown escaped."""
    click.echo(terminal(text).replace("\n", "\\n").replace("\t", "\\t"), **options)


def exit_on_signal(number: int, frame: object) -> None:
    sys.exit(128 + number)


def one_line_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    # A library's warning may be laid out over several lines: one line is what we print.
    echo_line(f"territory: warning: {' '.join(str(message).split())}", err=True)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["territory.quiet"] = True  # meta is shared by the group and its command


quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="Show no progress and no notes (what was written, the dates taken); errors and "
    "warnings still show. Progress shows only on a terminal anyway.",
)


def note(text: str) -> None:
    """A note on standard error (what was written, the dates taken), unless --quiet."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.meta.get("territory.quiet", False):
        echo(text, err=True)


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


def from_group(key: str, fallback: object) -> Callable[..., object]:
    """A subcommand's option that, when not given, takes the value given before the
    subcommand (``territory --offline stats``), else ``fallback``."""

    def take(ctx: click.Context, param: click.Parameter, value: object) -> object:
        return value if value is not None else ctx.meta.get(key, fallback)

    return take


def remember(key: str) -> Callable[..., None]:
    """The group's copy of a subcommand option: kept for the subcommand to take."""

    def keep(ctx: click.Context, param: click.Parameter, value: object) -> None:
        if value is not None:
            ctx.meta[key] = value

    return keep


LANG_HELP = (
    "Language of the page or figure: English, or Ukrainian (uk) for every word a reader sees."
)

#: The language of a page, figure or animation (every word a reader sees).
lang_option = click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=None,
    callback=from_group("territory.lang", "en"),
    help=LANG_HELP + " [default: en]",
)


def credited(found: Any) -> Any:
    """A snapshot or history with the credit --credit gives it, if any."""
    ctx = click.get_current_context(silent=True)
    credit = ctx.meta.get("territory.credit") if ctx is not None else None
    if credit is None:
        return found
    if isinstance(found, territory.History):
        return dataclasses.replace(found, credit=credit, _built={})  # snapshots built afresh
    return dataclasses.replace(found, credit=credit)


@contextlib.contextmanager
def progress_bar(total: int, label: str) -> Iterator[Progress | None]:
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


def reading() -> contextlib.AbstractContextManager[Progress | None]:
    """The progress bar of reading front-line files (see :func:`progress_bar`)."""
    return progress_bar(READ_STEPS, "territory: reading")


class LineType(click.ParamType):
    """A front-line reference, parsed once into a :class:`~territory.reference.LineRef`.

    ``readable`` takes only what can be read as a history: a file or a source to fetch.
    """

    name = "line"

    def __init__(self, *, readable: bool = False) -> None:
        self.readable = readable

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, LineRef):
            return value
        try:
            return LineRef.readable(value) if self.readable else LineRef.parse(value)
        except territory.TerritoryError as problem:
            self.fail(str(problem), param, ctx)


#: ``--line`` of one snapshot; of a history (files and sources).
LINE, LINE_FILE = LineType(), LineType(readable=True)

LINE_HELP = (
    "Snapshot of the front: a shipped date (see `territory snapshots`), a file (GeoJSON, "
    "DeepState's raw maps, archives of many dates, KML/KMZ, GeoPackage, Shapefile...; .gz or "
    ".zip too), or a source to fetch: deepstate:latest, deepstate:YYYY-MM-DD, archive, "
    "archive:YYYY-MM-DD. Default: the newest shipped snapshot."
)


# Options defined once, used by every command that needs them.
def line_option(command: Callable) -> Callable:
    """``--line DATE|FILE|SOURCE``, ``--date DATE``, ``--offline``: the snapshot to work on.

    The command receives one ``line``: the reference with its date (a ``LineRef``), or None
    when neither option was given (the newest shipped snapshot).
    """

    @functools.wraps(command)
    def with_line(*args: Any, line: LineRef | None, date: str | None, **kwargs: Any) -> Any:
        chosen = None if line is None and date is None else LineRef.parse(line, date=date)
        return command(*args, line=chosen, **kwargs)

    decorated = offline_option(with_line)
    decorated = click.option(
        "--date",
        "date",
        metavar="YYYY-MM-DD",
        default=None,
        help="With a --line file of several dates (an archive), the date to take. "
        "Default: the newest it holds.",
    )(decorated)
    return click.option(
        "--line", "line", type=LINE, metavar="DATE|FILE|SOURCE", default=None, help=LINE_HELP
    )(decorated)


OFFLINE_HELP = "Never touch the network: fetched lines come from the cache only."


def offline_option(command: Callable) -> Callable:
    return click.option(
        "--offline",
        is_flag=True,
        default=None,
        callback=from_group("territory.offline", None),
        help=OFFLINE_HELP,
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


def emit(table: pd.DataFrame, fmt: str, *, percent_digits: int = 1) -> None:
    """A table in the format asked; a terminal table shows percentages to
    ``percent_digits`` decimals."""
    table = plain_dates(table)
    if fmt == "json":
        records = json.loads(table.to_json(orient="records", date_format="iso"))
        echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        echo(table.to_csv(index=False), nl=False)
    else:
        echo(aligned(table, percent_digits=percent_digits))


def readable_shares(table: pd.DataFrame) -> pd.DataFrame:
    """A table of shares over time as a person reads it: shares in per cent (to 0.01, so that
    a change of Ukraine's share shows), without the areas of the regions."""
    out = table.drop(columns=["area_km2"])
    for side in ("russia", "contested"):
        at = out.columns.get_loc(f"{side}_share")
        out.insert(at, f"{side}_%", out.pop(f"{side}_share") * 100)
    return out


def plain_dates(table: pd.DataFrame) -> pd.DataFrame:
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


def aligned(table: pd.DataFrame, percent_digits: int = 1) -> str:
    """A terminal table: text left-aligned, numbers right-aligned under their headers, with
    thousands separators (floats to two decimals, percentages to one), columns two spaces
    apart.

    >>> print(aligned(pd.DataFrame({"region": ["Donetsk", "UA"], "km2": [6279.37, 0.0]})))
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
def line_of(line: LineRef | None, offline: bool | None = None) -> territory.Snapshot:
    """The snapshot ``--line`` and ``--date`` name (see :func:`line_option`); a file or a
    source shows its reading (see :func:`reading`)."""
    if line is None or line.kind == "shipped":
        return territory.snapshot(line, offline=offline)
    with reading() as progress:
        return territory.snapshot(line, offline=offline, progress=progress)


def joined(lines: tuple[LineRef, ...]) -> str:
    """Several ``--line`` or ``--history`` values, as a message names them."""
    return ", ".join(map(str, lines))


def read_dated(
    lines: tuple[LineRef, ...], offline: bool | None, every: str, start: str | None, end: str | None
) -> tuple[territory.History, list[dt.date]]:
    """A history and the dates of it a command takes (--every, --from, --to); of a one-file
    archive, only those dates are parsed."""

    pick = functools.partial(series.pick, every=every, start=start, end=end)
    with reading() as progress:
        history = territory.read_histories(lines, offline=offline, pick=pick, progress=progress)
    history = credited(history)
    return history, series.pick_dates(history, every=every, start=start, end=end)


def chosen_scenarios(ids: tuple[str, ...], files: tuple[Path, ...]) -> list[territory.Scenario]:
    """The scenarios named (all of them when none is), each file read once."""
    return territory.scenarios(*files, only=ids or None)


def figure_size(text: str) -> tuple[float, float]:
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
