"""The ``territory`` command line: thin commands over the library, one module per family.

Errors a user can cause end in one line on stderr and exit status 1 (usage errors: 2);
outputs are written atomically. ``--quiet``, ``--offline`` and ``--lang`` may come before
the command as well as after it.
"""

from __future__ import annotations

import gc

import click

import territory
from territory.cli import catalogue, history, maps, numbers
from territory.cli.base import (
    LANG_HELP,
    OFFLINE_HELP,
    Group,
    exit_on_signal,
    quiet_option,
    remember,
)
from territory.words import LANGUAGES

__all__ = ["exit_on_signal", "main", "run"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(territory.__version__, prog_name="territory")
@quiet_option
@click.option(
    "--offline",
    is_flag=True,
    default=None,
    expose_value=False,
    callback=remember("territory.offline"),
    help=OFFLINE_HELP + " (for every command)",
)
@click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=None,
    expose_value=False,
    callback=remember("territory.lang"),
    help=LANG_HELP + " (for render and compare)",
)
def main() -> None:
    """Who holds which part of Ukraine, and what each proposed settlement would change."""


for _command in (
    catalogue.scenarios_command,
    catalogue.snapshots_command,
    numbers.stats_command,
    numbers.export_command,
    maps.render_command,
    numbers.compare_command,
    history.history_command,
    history.towns_command,
    catalogue.fetch_command,
    catalogue.validate_command,
):
    main.add_command(_command)


def run() -> None:
    """The ``territory`` program: :func:`main`, then the process ends without the
    collector's last pass over every object the command loaded.

    That pass takes a tenth of a second once geopandas and folium are loaded, and frees
    nothing the system does not take back at once. What must happen at exit still does:
    outputs are written and closed before a command returns, standard streams are flushed,
    and ``atexit`` and ``weakref.finalize`` callbacks run.
    """
    try:
        main()
    finally:
        gc.freeze()
