"""The files the package writes, by extension: known before anything that draws is loaded
(the command line checks an output's name before the map libraries are imported)."""

from __future__ import annotations

__all__ = ["ANIMATION_FORMATS", "ANIMATION_SIZES", "FIGURE_FORMATS"]

#: Print figure formats by file extension.
FIGURE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: Animation formats by file extension.
ANIMATION_FORMATS = {".gif": "gif", ".mp4": "mp4"}
#: Animation frame sizes in pixels for social media (width, height).
ANIMATION_SIZES = {"square": (1080, 1080), "portrait": (1080, 1350)}
