"""The two kinds of branca element the render steps are made of.

:class:`RawHTML` writes fixed text into the page (inlined libraries, style sheets).
:class:`RuntimeCall` calls one function of the page runtime (``static/territory.js``) with
the map and a JSON payload; each render step is one such call, so a test can render a step
alone and read its payload.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from branca.element import Element

from territory.render.safe import js_literal

__all__ = ["RawHTML", "RuntimeCall", "guard_script"]

_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def guard_script(text: str) -> str:
    r"""Text made safe to sit inside a ``<script>`` or ``<style>`` element.

    Examples
    --------
    >>> guard_script("var a = '</script>';")
    "var a = '<\\/script>';"
    """
    return _CLOSING_TAG.sub(r"<\\/\1", text)


class RawHTML(Element):
    """Fixed HTML, written as is (no template processing of its text)."""

    def __init__(self, text: str, name: str = "RawHTML") -> None:
        super().__init__()
        self._name = name
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RuntimeCall(Element):
    """``Territory.<function>(map, payload)`` in the page's script, plus optional HTML.

    Unlike folium's elements, the rendered text is never parsed again as a Jinja
    template: data holding ``{{`` (encoded coordinates do, and so may a user's text) is
    written as is.

    Parameters
    ----------
    function : str
        The runtime function to call.
    payload : dict or callable returning a dict
        The data; a callable is evaluated when the page is rendered (for tables that
        later steps still add to).
    html : str
        HTML placed in the page body (already escaped by the caller).

    Examples
    --------
    >>> call = RuntimeCall("line", {"paths": ["_p~iF~ps|U"]})
    >>> call.script_text("map_1")
    'Territory.line(map_1, {"paths":["_p~iF~ps|U"]});'
    """

    def __init__(
        self,
        function: str,
        payload: dict[str, Any] | Callable[[], dict[str, Any]],
        html: str = "",
    ) -> None:
        super().__init__()
        self._name = f"Territory{function.capitalize()}"
        self.function = function
        self._payload = payload
        self.html = html

    @property
    def payload(self) -> dict[str, Any]:
        """The data passed to the runtime function."""
        return self._payload() if callable(self._payload) else self._payload

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add this step's script (and HTML) to the page, as raw text."""
        figure: Any = self.get_root()  # a branca Figure: has .script and .html
        name = self.get_name()
        assert self._parent is not None, "a step renders inside a map"
        figure.script.add_child(RawHTML(self.script_text(self._parent.get_name())), name=name)
        if self.html:
            figure.html.add_child(RawHTML(self.html), name=name)

    def script_text(self, map_name: str) -> str:
        """The JavaScript statement this step adds to the page."""
        return f"Territory.{self.function}({map_name}, {js_literal(self.payload)});"
