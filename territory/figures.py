"""What the print figures and the charts share: matplotlib, set up for user text."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["plain_text"]

T = TypeVar("T")


def plain_text(draw: Callable[..., T]) -> Callable[..., T]:
    """Draw with user text taken as text: a title with "$5" is not typeset as mathematics."""

    @functools.wraps(draw)
    def drawn(*args: Any, **kwargs: Any) -> T:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return drawn
