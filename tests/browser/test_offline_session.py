"""What the service worker keeps for reading offline goes when the session does (issue 14).

Jess reads Rory's letter, so her browser keeps it. Her password is changed from another
device: her session here ends on the server. The next time her browser asks the server
for a page, the answer shows the session is gone, and the kept pages are dropped: with no
signal, the letter is no longer there to read. Kept pages also stop being shown once
the session that showed them must have ended (settings.SESSION_COOKIE_AGE after they
were kept), whatever the server could say."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

import dear
from tests.browser.settle import CONTROLLED, settled
from tests.browser.story import invite_rory, send_letter, sign_up_jess
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

# The service worker's cache of kept pages, named by the version its own source sets.
SW = Path(dear.__file__).parent / "web" / "static" / "dear" / "sw.js"
PAGES = re.search(r'const VERSION = "([^"]+)"', SW.read_text())[1] + "-pages"
KEPT = """async (path) => {
  const cache = await caches.open("PAGES");
  return Boolean(await cache.match(new URL(path, location.href).href, {ignoreVary: true}));
}""".replace("PAGES", PAGES)
NOT_KEPT = KEPT.replace("return Boolean(", "return !(")
# Move the moment every kept page was kept, as if it had been kept `ago_ms` before now.
KEPT_LONG_AGO = """async (ago_ms) => {
  const cache = await caches.open("PAGES");
  const kept = await cache.keys();
  for (const request of kept) {
    const page = await cache.match(request);
    const headers = new Headers(page.headers);
    headers.set("Dear-Kept-At", String(Date.now() - ago_ms));
    await cache.put(request, new Response(await page.blob(), {status: page.status, headers}));
  }
  return kept.length;
}""".replace("PAGES", PAGES)


def jess_reads_a_letter_from_rory(dear_server_factory, open_page) -> tuple[object, Page, str]:
    server = dear_server_factory(send_undo_seconds=0)
    jess, rory = open_page(), open_page()
    sign_up_jess(jess, server)
    invite_rory(jess, rory, server)
    send_letter(rory, server, "Jess", "The kettle is fixed.")

    jess.goto(server.url("/"))
    assert jess.evaluate(CONTROLLED) is True
    jess.goto(server.url("/inbox"))
    jess.get_by_role("link", name=re.compile("From Rory")).first.click()
    expect(jess.get_by_text("The kettle is fixed.")).to_be_visible()
    letter = jess.url
    settled(jess, KEPT, letter)
    return server, jess, letter


def expect_offline_page_only(jess: Page, url: str) -> None:
    jess.goto(url)
    expect(jess.get_by_role("heading", name="No connection")).to_be_visible()
    expect(jess.get_by_text("The kettle is fixed.")).to_have_count(0)


def test_kept_pages_go_once_the_server_says_the_session_ended_elsewhere(
    dear_server_factory, open_page
):
    server, jess, letter = jess_reads_a_letter_from_rory(dear_server_factory, open_page)
    # While her session lasts, the letter opens with no signal.
    jess.context.set_offline(True)
    jess.goto(letter)
    expect(jess.get_by_text("The kettle is fixed.")).to_be_visible()
    jess.context.set_offline(False)

    # On her phone, through the API, she changes her password: every other session ends.
    token = httpx.post(
        server.url("/api/v1/tokens"), json={"username": "jess", "password": PASSWORD}
    ).json()["token"]
    changed = httpx.post(
        server.url("/api/v1/me/password"),
        json={"current_password": PASSWORD, "new_password": "a new and longer secret"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200, changed.text

    # Her browser asks for the letter once: the server sends it to the login page.
    jess.goto(letter)
    expect(jess.get_by_role("button", name="Log in")).to_be_visible()
    settled(jess, f"() => caches.has('{PAGES}').then((kept) => !kept)")

    # With no signal, nothing of hers is there to read.
    jess.context.set_offline(True)
    expect_offline_page_only(jess, letter)
    expect_offline_page_only(jess, server.url("/inbox"))


def test_a_kept_page_is_not_shown_after_its_session_must_have_ended(dear_server_factory, open_page):
    server, jess, letter = jess_reads_a_letter_from_rory(dear_server_factory, open_page)
    age_ms = settings.SESSION_COOKIE_AGE * 1000
    minute = 60_000

    # Kept a minute short of a session's whole life ago: still hers to read.
    assert jess.evaluate(KEPT_LONG_AGO, age_ms - minute) >= 1
    jess.context.set_offline(True)
    jess.goto(letter)
    expect(jess.get_by_text("The kettle is fixed.")).to_be_visible()

    # A minute past it: the session that showed it has ended, so it is not shown, and
    # not kept either.
    jess.evaluate(KEPT_LONG_AGO, age_ms + minute)
    expect_offline_page_only(jess, letter)
    settled(jess, NOT_KEPT, letter)


def test_the_worker_is_told_how_long_a_session_lasts(dear_server_factory):
    server = dear_server_factory()
    worker = httpx.get(server.url("/sw.js")).text
    assert f"const KEEP_FOR_MS = {settings.SESSION_COOKIE_AGE} * 1000;" in worker
    assert "__SESSION_COOKIE_AGE__" not in worker
