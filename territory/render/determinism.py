"""Same input, same bytes: deterministic element ids while a map is built and rendered.

branca names every element with 16 random bytes (``Element._generate_id``). Inside
:func:`deterministic_ids` ids are a short seed followed by a counter instead; the seed is
derived from the map's data, so two different maps on one page still get distinct names.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
from collections.abc import Iterator

from branca.element import Element

__all__ = ["deterministic_ids", "seed_of"]

_LOCK = threading.RLock()


def seed_of(*parts: str) -> str:
    """A short, stable seed for element ids from some text (typically the map's data).

    Examples
    --------
    >>> seed_of("abc") == seed_of("abc"), len(seed_of("abc"))
    (True, 8)
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:8]


@contextlib.contextmanager
def deterministic_ids(seed: str = "t") -> Iterator[None]:
    """Within the block, new branca elements get ids ``<seed>0001``, ``<seed>0002``, ...

    The original id generator is restored on exit, also after an error.

    Examples
    --------
    >>> from branca.element import Element
    >>> with deterministic_ids("ab"):
    ...     first, second = Element(), Element()
    >>> first.get_name(), second.get_name()
    ('element_ab0001', 'element_ab0002')
    >>> len(Element()._id)
    32
    """
    counter = itertools.count(1)

    def generate(cls: type) -> str:
        return f"{seed}{next(counter):04d}"

    with _LOCK:
        original = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(generate)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Element._generate_id = original  # type: ignore[method-assign]
