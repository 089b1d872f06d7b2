"""Inputs the tests build for themselves, shared by several test files.

Imported relatively (``from .synthetic import squares``; ``from ..synthetic import ...``
under tests/e2e/), which pytest's importlib import mode allows. Not a test file: it holds no
tests.
"""

from __future__ import annotations

import numpy as np
import shapely


def squares(count: int, seed: int = 1, side: float = 0.01) -> np.ndarray:
    """Small squares strewn over the east and south, many of them overlapping."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(35.5, 38.5, count), rng.uniform(47.0, 49.0, count)
    return shapely.box(x, y, x + side, y + side)
