"""Writing never loses a word, and what was read stays readable with no signal. Jess
types, the network goes, she reloads: the service worker serves the page it kept, and the
page offers back the words this browser kept until the server acknowledged them. Back
online, they are saved. The drafts list and a letter she has read open offline too."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.story import invite_rory, send_letter, sign_up_jess

pytestmark = pytest.mark.browser

# Resolves once a service worker is active and in control of this page.
CONTROLLED = """() => navigator.serviceWorker.ready.then(() =>
  navigator.serviceWorker.controller ? true : new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true))))"""


def _controlled(page: Page) -> None:
    assert page.evaluate(CONTROLLED) is True


def test_words_typed_while_the_signal_is_lost_come_back_after_a_reload(
    dear_server_factory, open_page, page_errors, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    jess, rory = open_page(), open_page()
    sign_up_jess(jess, server)
    invite_rory(jess, rory, server)

    # Rory writes to Jess; she reads it (so it is kept for reading offline).
    send_letter(rory, server, "Jess", "The kettle is fixed.")
    jess.goto(server.url("/"))
    _controlled(jess)
    jess.goto(server.url("/inbox"))
    jess.get_by_role("link", name=re.compile("From Rory")).first.click()
    expect(jess.get_by_text("The kettle is fixed.")).to_be_visible()
    letter_url = jess.url

    # She starts a letter; the page is kept by the service worker as it loads.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    body = jess.get_by_label("Letter", exact=True)
    status = jess.locator("#save-status")
    body.press_sequentially("I read your letter twice.")
    expect(status).to_have_text("Saved")
    # The first save made the letter, and the page's address became the letter's.
    edit_url = jess.url
    assert re.search(r"/letters/[0-9a-f-]+/edit$", edit_url)
    jess.goto(server.url("/drafts"))
    jess.goto(edit_url)
    body = jess.get_by_label("Letter", exact=True)
    expect(body).to_have_value("I read your letter twice.")

    # The signal goes in the middle of a sentence.
    jess.context.set_offline(True)
    body.press("Control+End")
    body.press_sequentially(" Then I read it a third time.")
    expect(status).to_have_text("Not saved — retrying")

    # The tab is reloaded with no network: the kept page opens, and offers the words back.
    jess.reload()
    expect(jess.locator("#offline-banner")).to_be_visible()
    offer = jess.locator("#kept-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Then I read it a third time.")
    jess.screenshot(path=str(artifacts / "offline-words-offered.png"), full_page=True)
    offer.get_by_role("button", name="Put them back").click()
    body = jess.get_by_label("Letter", exact=True)
    expect(body).to_have_value("I read your letter twice. Then I read it a third time.")

    # What she has read and her drafts open with no network too.
    jess.goto(server.url("/drafts"))
    expect(jess.get_by_role("heading", name="Drafts")).to_be_visible()
    jess.goto(letter_url)
    expect(jess.get_by_text("The kettle is fixed.")).to_be_visible()
    jess.goto(edit_url)
    expect(jess.locator("#kept-offer")).to_be_visible()
    jess.locator("#kept-offer").get_by_role("button", name="Put them back").click()

    # The signal returns: the words are saved at once, and nothing is left on offer.
    jess.context.set_offline(False)
    expect(jess.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    jess.goto(edit_url)
    expect(jess.get_by_label("Letter", exact=True)).to_have_value(
        "I read your letter twice. Then I read it a third time."
    )
    expect(jess.locator("#kept-offer")).to_be_hidden()
    errors = [e for e in page_errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert errors == []


def test_the_app_is_installable_from_its_manifest_and_root_service_worker(dear_server_factory):
    server = dear_server_factory()
    page = httpx.get(server.url("/login")).text
    manifest_path = re.search(r'<link rel="manifest" href="([^"]+)"', page).group(1)
    manifest = httpx.get(server.url(manifest_path))
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    data = manifest.json()
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    for icon in data["icons"]:
        assert httpx.get(server.url(icon["src"])).headers["content-type"] == "image/svg+xml"
    worker = httpx.get(server.url("/sw.js"))
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "worker-src 'self'" in worker.headers["content-security-policy"]
