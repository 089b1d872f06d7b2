"""Where the shipped data files are, installed or in a source checkout.

The built files sit in ``geodata/`` and ``seeds/`` at the top of the repository; a wheel
carries them inside the package as ``territory/geodata`` and ``territory/seeds``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped(folder: str, name: str) -> Path:
    """Path of a shipped data file, e.g. ``shipped("geodata", "neighbours.geojson")``."""
    installed = Path(str(resources.files("territory"))) / folder / name
    if installed.exists():
        return installed
    in_checkout = _CHECKOUT / folder / name
    if in_checkout.exists():
        return in_checkout
    raise FileNotFoundError(f"shipped data file {folder}/{name} is missing from this installation")
