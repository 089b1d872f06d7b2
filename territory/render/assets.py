"""Offline assets: Leaflet and the page runtime, inlined into the page.

Leaflet's JavaScript and style sheet come from the installed ``xstatic-leaflet`` package
(BSD-2-Clause; its licence header is kept). The images its style sheet refers to become
``data:`` URIs, so the page needs no network. folium's own CDN links are dropped by
:class:`territory.render.base.TerritoryMap`.
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from pathlib import Path

from territory.render.element import RawHTML, guard_script
from territory.render.safe import js_literal

__all__ = ["leaflet_css", "leaflet_images", "leaflet_js", "offline_assets", "runtime_text"]

_IMAGES = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)


def _leaflet_dir() -> Path:
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


@functools.cache
def leaflet_images() -> dict[str, str]:
    """Leaflet's images as ``data:`` URIs, by file name.

    Examples
    --------
    >>> leaflet_images()["marker-icon.png"].startswith("data:image/png;base64,")
    True
    """
    folder = _leaflet_dir() / "images"
    return {
        name: "data:image/png;base64," + base64.b64encode((folder / name).read_bytes()).decode()
        for name in _IMAGES
    }


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, without its source-map reference.

    Examples
    --------
    >>> leaflet_js().startswith("/* @preserve")
    True
    """
    text = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)


@functools.cache
def leaflet_css() -> str:
    """Leaflet's style sheet with its images inlined.

    Examples
    --------
    >>> css = leaflet_css()
    >>> "images/" in css, "data:image/png;base64," in css
    (False, True)
    """
    text = (_leaflet_dir() / "leaflet.css").read_text(encoding="utf-8")
    images = leaflet_images()
    return re.sub(r"url\(images/([\w.-]+)\)", lambda m: f"url({images[m.group(1)]})", text)


@functools.cache
def runtime_text(name: str) -> str:
    """A file of the page runtime in ``territory/render/static/``.

    Examples
    --------
    >>> "var Territory" in runtime_text("territory.js")
    True
    """
    return resources.files("territory.render").joinpath("static").joinpath(name).read_text("utf-8")


def offline_assets() -> RawHTML:
    """One header element holding Leaflet, the runtime and their styles.

    Examples
    --------
    >>> text = offline_assets().render()
    >>> text.count("<script>"), text.count("<style>")
    (3, 2)
    """
    icons = {k: v for k, v in leaflet_images().items() if k.startswith("marker")}
    parts = [
        f"<style>{guard_script(leaflet_css())}</style>",
        f"<style>{guard_script(runtime_text('territory.css'))}</style>",
        f"<script>{guard_script(leaflet_js())}</script>",
        f"<script>{guard_script(runtime_text('territory.js'))}</script>",
        f"<script>Territory.iconDefaults({js_literal(icons)});</script>",
    ]
    return RawHTML("\n".join(parts) + "\n", name="OfflineAssets")
