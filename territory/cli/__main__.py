"""``python -m territory.cli``: the command line."""

from territory.cli import main

if __name__ == "__main__":
    main()
