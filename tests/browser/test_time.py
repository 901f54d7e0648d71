"""Time zones in a real browser: the browser's own zone becomes the person's default, dates
are then shown on it, and the write page's "When should it arrive?" follows what is typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.story import PHONE, invite_rory, sign_up_jess

pytestmark = pytest.mark.browser


def test_the_browsers_zone_becomes_the_default_and_a_letter_can_be_sent_for_later(
    dear_server_factory, chromium, page_errors, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    jess = chromium.new_context(viewport=PHONE, timezone_id="Asia/Tokyo").new_page()
    rory = chromium.new_context(viewport=PHONE, timezone_id="Europe/Lisbon").new_page()
    for page in (jess, rory):
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    sign_up_jess(jess, server)
    invite_rory(jess, rory, server)

    # The first page each saw told the server its browser's zone; settings show it chosen.
    jess.goto(server.url("/settings"))
    expect(jess.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    rory.goto(server.url("/settings"))
    expect(rory.get_by_label("Your time zone")).to_have_value("Europe/Lisbon")

    # Rory picks another zone by hand, then takes his device's back with one button.
    rory.get_by_label("Your time zone").select_option("America/New_York")
    rory.get_by_role("button", name="Save my time").click()
    expect(rory.get_by_text("Your time is saved.")).to_be_visible()
    expect(rory.get_by_label("Your time zone")).to_have_value("America/New_York")
    rory.get_by_role("button", name="Use this device's zone").click()
    expect(rory.get_by_label("Your time zone")).to_have_value("Europe/Lisbon")
    rory.get_by_role("button", name="Save my time").click()
    expect(rory.get_by_text("Your time is saved.")).to_be_visible()

    # Jess writes for a day on Rory's clock: she chooses "Arrive later", then a day.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    jess.get_by_label("Letter", exact=True).fill("Open this on the first of June.")
    expect(jess.locator("#save-status")).to_have_text("Saved")
    expect(jess.get_by_label("Send now", exact=True)).to_be_checked()
    # The day and time are no tab stops until "Arrive later" is chosen.
    expect(jess.get_by_label("Day", exact=True)).to_be_hidden()
    jess.get_by_label("Arrive later").check()
    expect(jess.get_by_text("Times are read on Rory's clock: Europe/Lisbon.")).to_be_visible()
    jess.get_by_label("On a day and time").check()
    jess.get_by_label("Day", exact=True).fill("2030-06-01")
    jess.get_by_label("Time, Rory's time (Europe/Lisbon)").fill("08:30")
    jess.screenshot(path=str(artifacts / "write-arrives.png"), full_page=True)
    jess.get_by_role("button", name="Arrive then").click()

    # 08:30 in Lisbon is 16:30 in Tokyo: the letter page says both.
    expect(jess.get_by_text(re.compile(r"^Arrives "))).to_be_visible()
    when = "1 June 2030 at 08:30 (Rory's time; 1 June 2030 at 16:30 your time)"
    expect(jess.get_by_text(when, exact=True)).to_be_visible()
    expect(jess.get_by_text(f"It will reach Rory on {when}.")).to_be_visible()

    jess.goto(server.url("/scheduled"))
    expect(jess.get_by_role("link", name=re.compile("To Rory"))).to_be_visible()
    jess.screenshot(path=str(artifacts / "scheduled.png"), full_page=True)
    jess.get_by_role("button", name="Withdraw the letter to Rory").click()
    expect(jess.get_by_text("Nothing on its way.")).to_be_visible()

    # Choosing "Now" again clears a day typed by mistake, so it is not refused.
    jess.goto(server.url("/drawer"))
    jess.get_by_role("link", name=re.compile("To Rory")).click()
    jess.get_by_label("Arrive later").check()
    jess.get_by_label("On a day and time").check()
    jess.get_by_label("Day", exact=True).fill("2030-06-01")
    jess.get_by_label(re.compile("^In the morning")).check()
    expect(jess.get_by_label("Day", exact=True)).to_have_value("")
    assert page_errors == []
