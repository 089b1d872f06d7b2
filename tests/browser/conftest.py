"""Fixtures of the browser tests: Debian's Chromium, driven through Playwright's Python
package (never a downloaded browser), offline."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

#: Debian's Chromium, which the browser tests drive through Playwright (never downloaded).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, for the tests of one module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page_at(browser: Any) -> Callable[..., Any]:
    """``with page_at(path, (width, height)) as page``: the page of ``path`` at that
    viewport, offline (only file: URLs load), drawn; its script errors collect in
    ``page.errors_seen``."""

    @contextlib.contextmanager
    def opened(path: Path, size: tuple[int, int]) -> Iterator[Any]:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        try:
            context.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            page = context.new_page()
            page.errors_seen = []
            page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
            page.goto(path.as_uri())
            page.wait_for_function("window.Territory && Territory.maps.length > 0")
            yield page
        finally:
            context.close()

    return opened
