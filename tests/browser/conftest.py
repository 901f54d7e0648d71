"""A real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against a real
`dear serve`. Playwright cannot download a browser here, so it is pointed at the system one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import dear_server, dear_server_factory  # noqa: F401

CHROMIUM = os.environ.get("DEAR_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without these, Chromium reaches for Google's services at start, which a closed
# network refuses many times over.
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=QUIET_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page_errors() -> list[str]:
    """Console errors and uncaught exceptions seen by the pages of one test."""
    return []


@pytest.fixture
def open_page(chromium, page_errors):
    """A new page in a browser context of its own: one person on one device."""
    contexts = []

    def open_():
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        page.on(
            "console",
            lambda message: page_errors.append(message.text) if message.type == "error" else None,
        )
        return page

    yield open_
    for context in contexts:
        context.close()
