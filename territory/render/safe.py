"""Escaping for the two places data reaches the page: HTML text and JavaScript literals.

Every string that comes from data or from a user's scenario file passes through one of
these two functions. The page's own JavaScript then writes text with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
from typing import Any

__all__ = ["html_text", "js_literal"]

# Characters that could end a <script> element, open an HTML comment or end a JS line.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def html_text(value: object) -> str:
    """Text escaped for HTML element content and quoted attribute values.

    Examples
    --------
    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def js_literal(value: Any) -> str:
    """A JSON value that is safe to place inside an HTML ``<script>`` element.

    Keys keep their order (callers build dicts in a fixed order), output is compact, and
    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\u`` escapes, so no string can
    close the script element or break a JavaScript line.

    Examples
    --------
    >>> print(js_literal({"title": "</script><b>${alert(1)}</b>"}))
    {"title":"\\u003c/script\\u003e\\u003cb\\u003e${alert(1)}\\u003c/b\\u003e"}
    >>> js_literal([1.5, None, "a\\u2028b"])
    '[1.5,null,"a\\\\u2028b"]'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text
