"""Sealed letters in a real browser: Jess seals a letter to Rory and he is told only that
it waits; he seals one back, blind; both open together and each reads the other's."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import story

pytestmark = pytest.mark.browser

HERS = "I never sent the letters I wrote you. I didn't think you'd care."
HIS = "I never sent mine either. I didn't think you would."


def _write_and_seal(page, words: str, how: str, screenshot=None) -> None:
    body = page.get_by_label("Letter", exact=True)
    body.press_sequentially(words)
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.get_by_label("Seal it", exact=True).check()
    page.get_by_label(re.compile(f"^{how}:")).check()
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    page.get_by_role("button", name="Seal it").click()


def test_two_people_seal_letters_to_each_other_and_read_both(
    dear_server_factory, open_page, page_errors, artifacts
):
    server = dear_server_factory()
    jess = open_page()
    rory = open_page()
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)

    # Jess writes, and seals it, told.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    _write_and_seal(jess, HERS, "Told", screenshot=artifacts / "seal-form.png")
    expect(jess.get_by_text("Sealed. It opens when Rory seals one back.")).to_be_visible()
    expect(jess.get_by_role("heading", name="Sealed and told")).to_be_visible()

    # Rory is told that it waits, and by whom — never a word of it.
    rory.goto(server.url("/"))
    expect(
        rory.get_by_text("Jess sealed a letter for you. It opens when you seal one back.")
    ).to_be_visible()
    expect(rory.get_by_text(HERS)).to_have_count(0)
    rory.goto(server.url("/sealed"))
    expect(rory.get_by_text(HERS)).to_have_count(0)
    rory.screenshot(path=str(artifacts / "sealed-stub.png"), full_page=True)

    # He seals one back from there, blind; both open at once.
    rory.locator(".stub").get_by_role("link", name="Seal one back").click()
    _write_and_seal(rory, HIS, "Blind")
    expect(
        rory.get_by_text("Jess had sealed one for you too: both letters have opened.")
    ).to_be_visible()
    expect(rory.get_by_text(HERS)).to_be_visible()
    pair = rory.locator(".sealed-pair")
    expect(pair.get_by_role("heading")).to_have_text("You both sealed a letter, and both opened")
    expect(rory.get_by_role("link", name="Read theirs")).to_have_count(0)
    pair.get_by_role("link", name="Read yours").click()
    expect(rory.get_by_text(HIS)).to_be_visible()

    # Jess finds his letter in her inbox and reads it; the moment is on both pages.
    jess.goto(server.url("/inbox"))
    jess.get_by_role("link", name=re.compile("From Rory")).click()
    expect(jess.get_by_text(HIS)).to_be_visible()
    expect(jess.get_by_text("Dear Jess,")).to_be_visible()
    jess.screenshot(path=str(artifacts / "sealed-opened.png"), full_page=True)
    for page in (jess, rory):
        page.goto(server.url("/moments"))
        expect(
            page.get_by_role("heading", name="You both sealed a letter, and both opened")
        ).to_be_visible()
    rory.screenshot(path=str(artifacts / "moments.png"), full_page=True)

    assert page_errors == []
