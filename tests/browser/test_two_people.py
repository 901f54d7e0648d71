"""The foundation's whole story in a real browser: Jess sets up a home and invites Rory;
Rory joins; Jess writes (autosaved), crumples a page, writes again and sends; Rory reads
it; Jess sees that it was read."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_two_people_set_up_a_home_and_exchange_a_letter(
    dear_server_factory, open_page, page_errors, artifacts
):
    # No undo window, so the letter is delivered the moment it is sent.
    server = dear_server_factory(send_undo_seconds=0)
    jess = open_page()
    rory = open_page()

    # Jess is the first person: the welcome page makes her account and her home.
    jess.goto(server.url("/"))
    jess.get_by_label("Your name").fill("Jess")
    jess.get_by_label("Username").fill("jess")
    jess.get_by_label("Password").fill(PASSWORD)
    jess.get_by_label("Name of your home").fill("The flat")
    jess.get_by_role("button", name="Create my home").click()

    jess.get_by_role("button", name="Invite someone to The flat").click()
    invite_url = jess.get_by_label("Invite link").input_value()
    assert invite_url.startswith(server.base_url + "/invite/")
    expect(jess.locator("svg").first).to_be_visible()  # the QR code of the link

    # Rory, on his own phone, signs up through the invite.
    rory.goto(invite_url)
    rory.get_by_label("Your name").fill("Rory")
    rory.get_by_label("Username").fill("rory")
    rory.get_by_label("Password").fill(PASSWORD)
    rory.get_by_role("button", name="Sign up and join").click()
    expect(rory.get_by_role("button", name="Write to Jess")).to_be_visible()

    # Jess writes; the page saves as she types.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    expect(jess.get_by_label("Salutation")).to_have_value("Dear Rory,")
    expect(jess.get_by_label("Closing")).to_have_value("Jess")
    body = jess.get_by_label("Letter", exact=True)
    status = jess.locator("#save-status")
    body.press_sequentially("I never know how to start these.")
    expect(status).to_have_text("Saving…")
    expect(status).to_have_text("Saved")

    # She starts over; the crumpled page is kept. Crumple waits under "More".
    jess.locator("summary", has_text="More").click()
    jess.get_by_role("button", name="Crumple this page").click()
    body = jess.get_by_label("Letter", exact=True)
    expect(body).to_have_value("")
    body.press_sequentially("I miss talking to you. Can we have dinner on Sunday?")
    expect(status).to_have_text("Saving…")
    expect(status).to_have_text("Saved")
    letter_url = jess.url.removesuffix("/edit")
    jess.locator("summary", has_text="More").click()
    jess.get_by_role("link", name=re.compile("Revisions")).click()
    expect(jess.get_by_text("I never know how to start these.")).to_be_visible()
    expect(jess.get_by_text(re.compile("crumpled", re.I)).first).to_be_visible()
    jess.goto(letter_url + "/edit")
    jess.get_by_role("button", name="Send", exact=True).click()
    expect(jess.get_by_role("heading", name="Sent")).to_be_visible()

    # Rory finds it waiting, and opens it.
    rory.goto(server.url("/"))
    rory.get_by_role("link", name=re.compile("From Jess")).first.click()
    expect(rory.get_by_text("I miss talking to you. Can we have dinner on Sunday?")).to_be_visible()
    expect(rory.get_by_text("Dear Rory,")).to_be_visible()
    expect(rory.get_by_role("button", name="Reply")).to_be_visible()
    rory.screenshot(path=str(artifacts / "letter-page.png"), full_page=True)

    # Jess sees that it was read.
    jess.goto(letter_url)
    expect(jess.get_by_text(re.compile(r"^\s*Read "))).to_be_visible()
    jess.screenshot(path=str(artifacts / "letter-page-writer.png"), full_page=True)

    assert page_errors == []
