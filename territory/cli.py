"""The ``territory`` command line: thin commands over the library."""

from __future__ import annotations

import click

import territory


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(territory.__version__, prog_name="territory")
def main() -> None:
    """Who holds which part of Ukraine, and what each proposed settlement would change."""


if __name__ == "__main__":
    main()
