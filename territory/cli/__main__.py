"""``python -m territory.cli``: the command line."""

from territory.cli import run

if __name__ == "__main__":
    run()
