"""Every page, in a real Chromium at 360 px wide, in light and in dark: axe-core finds no
accessibility violation, nothing is wider than the screen, and each page's own CSS and
JavaScript stay under 50 kB compressed. A letter prints as one clean page. Screenshots of
each page in both colour schemes land in test-artifacts/ (page-<name>-<scheme>.png)."""

from __future__ import annotations

import gzip
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.story import PHONE, node_tool, set_up
from tests.server import free_port

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
PAGE_WEIGHT_LIMIT = 50 * 1024  # bytes of CSS + JS, gzipped, per page


def _logged_in_as(chromium, page: Page | None, *, axe: bool) -> Page:
    context = chromium.new_context(viewport=PHONE, bypass_csp=axe)
    if page is not None:
        context.add_cookies(page.context.cookies())
    return context.new_page()


def _axe_violations(page: Page, *, inject: bool) -> list[str]:
    # The page's CSP (rightly) refuses an injected script, so only this context bypasses it.
    if inject:
        page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
    result = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def _overflow(page: Page) -> tuple[int, int]:
    return tuple(page.locator("html").evaluate("el => [el.scrollWidth, el.clientWidth]"))


def _own_assets(page: Page) -> list[str]:
    return page.locator('link[rel="stylesheet"], script[src]').evaluate_all(
        "els => els.map(el => el.href || el.src)"
    )


def _look_at(name, path, plain: Page, axe: Page, server, artifacts, weights, problems):
    plain.goto(server.url(path))
    axe.goto(server.url(path))
    for scheme in SCHEMES:
        plain.emulate_media(color_scheme=scheme)
        axe.emulate_media(color_scheme=scheme)
        scroll, client = _overflow(plain)
        if scroll > client:
            problems.append(f"{name} ({scheme}): {scroll} px wide on a {client} px screen")
        plain.screenshot(path=str(artifacts / f"page-{name}-{scheme}.png"), full_page=True)
        found = _axe_violations(axe, inject=scheme == SCHEMES[0])
        problems.extend(f"{name} ({scheme}): {violation}" for violation in found)
    total = 0
    for url in _own_assets(plain):
        if url not in weights:
            weights[url] = len(gzip.compress(httpx.get(url).content, compresslevel=9))
        total += weights[url]
    if total > PAGE_WEIGHT_LIMIT:
        problems.append(f"{name}: {total} bytes of CSS and JS, gzipped")


def test_every_page_passes_axe_fits_a_360px_screen_and_stays_light(
    dear_server_factory, chromium, page_errors, artifacts
):
    # Email set up, so the pages show everything it adds; nothing here sends any.
    # DEAR_PUBLIC_URL names the server's own address: invite links go there.
    port = free_port()
    email = {"DEAR_EMAIL_URL": "smtp://127.0.0.1:9", "DEAR_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    server = dear_server_factory(send_undo_seconds=0, env=email, port=port)
    problems: list[str] = []
    weights: dict[str, int] = {}

    # Nobody exists yet: the welcome page.
    nobody, nobody_axe = (
        _logged_in_as(chromium, None, axe=False),
        _logged_in_as(chromium, None, axe=True),
    )
    _look_at("welcome", "/", nobody, nobody_axe, server, artifacts, weights, problems)

    home = set_up(server, chromium)
    for name, path in home.public.items():
        _look_at(name, path, nobody, nobody_axe, server, artifacts, weights, problems)

    plain = _logged_in_as(chromium, home.jess, axe=False)
    plain.on("console", lambda m: page_errors.append(m.text) if m.type == "error" else None)
    plain.on("pageerror", lambda exc: page_errors.append(str(exc)))
    axe = _logged_in_as(chromium, home.jess, axe=True)
    for name, path in home.pages.items():
        _look_at(name, path, plain, axe, server, artifacts, weights, problems)

    assert problems == []
    assert page_errors == []
    assert sum(weights.values()) < PAGE_WEIGHT_LIMIT


def test_a_letter_prints_as_one_page_with_nothing_but_the_letter(
    dear_server_factory, chromium, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    home = set_up(server, chromium)
    page = home.jess
    page.goto(server.url(home.pages["letter"]))
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Reply")).to_be_hidden()
    expect(page.get_by_text("Can we have dinner on Sunday?")).to_be_visible()
    expect(page.get_by_text("Dear Jess,")).to_be_visible()
    page.screenshot(path=str(artifacts / "print-letter.png"), full_page=True)
    pdf = page.pdf(format="A4")
    (artifacts / "print-letter.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
