"""Settings and More in a real browser: the taps from Home to turn receipts off, to log
out and to export; what Settings shows with and without email; making and revoking a
token. Screenshots at 360 and 1280 px land in test-artifacts/ (settings-*, more-*, tokens-*)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.story import PHONE, WIDE, Taps, sign_up_jess
from tests.helpers import PASSWORD
from tests.server import free_port

pytestmark = pytest.mark.browser


# Email "set up" to a port where nothing listens: the pages show all email adds, and a
# link that cannot go is said plainly. Nothing is sent.
def email_env(port: int) -> dict:
    """Email set up (nothing is sent), DEAR_PUBLIC_URL naming the server's own address."""
    return {"DEAR_EMAIL_URL": "smtp://127.0.0.1:9", "DEAR_PUBLIC_URL": f"http://127.0.0.1:{port}"}


def shoot(page: Page, artifacts, name: str) -> None:
    """The page at 360 px and at 1280 px wide."""
    for label, size in (("360", PHONE), ("1280", WIDE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(artifacts / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_from_home_receipts_off_export_and_log_out_each_take_three_taps_or_fewer(
    dear_server_factory, chromium, page_errors, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    page = chromium.new_context(viewport=PHONE, accept_downloads=True).new_page()
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    sign_up_jess(page, server)

    more = page.get_by_role("navigation", name="Main").get_by_role("link", name="More")
    main = page.get_by_role("main")

    # Home → More → Settings → Turn receipts off.
    tap = Taps(page)
    tap(more)
    expect(page.get_by_role("heading", name="More", exact=True)).to_be_visible()
    tap(main.get_by_role("link", name=re.compile(r"^Settings")))
    tap(main.get_by_role("button", name="Turn receipts off"))
    expect(page.get_by_text("Receipts are off, both ways.")).to_be_visible()
    expect(page.get_by_role("button", name="Turn receipts on")).to_be_visible()
    assert tap.count == 3

    # No email here: one plain sentence, no way to set it up, and no quiet hours.
    expect(page.get_by_text("This Dear does not send email.")).to_be_visible()
    expect(page.get_by_text("Quiet hours")).to_have_count(0)
    assert "DEAR_EMAIL_URL" not in page.content()
    expect(page.get_by_role("main").get_by_role("button", name=re.compile("^Save"))).to_have_count(
        2
    )  # "Save my name" and "Save my time"; receipts are a switch, the password a change
    shoot(page, artifacts, "settings-email-off")

    # Home → More → Export and import → Download my letters.
    page.goto(server.url("/"))
    tap = Taps(page)
    tap(more)
    shoot(page, artifacts, "more")
    tap(main.get_by_role("link", name=re.compile(r"^Export and import")))
    with page.expect_download() as download:
        tap(main.get_by_role("link", name="Download my letters"))
    assert re.fullmatch(r"dear-jess-\d{4}-\d\d-\d\d\.zip", download.value.suggested_filename)
    assert tap.count == 3

    # Home → More → Log out.
    page.goto(server.url("/"))
    tap = Taps(page)
    tap(more)
    tap(main.get_by_role("button", name="Log out"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert tap.count == 2
    assert page_errors == []


def test_with_email_quiet_hours_follow_the_address_and_tokens_have_their_own_page(
    dear_server_factory, chromium, page_errors, artifacts
):
    port = free_port()
    server = dear_server_factory(send_undo_seconds=0, env=email_env(port), port=port)
    page = chromium.new_context(viewport=PHONE).new_page()
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    sign_up_jess(page, server)

    page.goto(server.url("/settings"))
    expect(page.get_by_role("heading", name="How Dear tells you")).to_be_visible()
    # Quiet hours hold email back; with no address there is nothing to hold.
    expect(page.get_by_label("From", exact=True)).to_have_count(0)
    page.get_by_label("Your email address").fill("jess@home.test")
    page.get_by_label("Your password, to change where Dear writes to you").fill(PASSWORD)
    page.get_by_role("button", name="Add my address").click()
    expect(page.get_by_text("jess@home.test is not confirmed yet")).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_be_visible()
    expect(page.get_by_label("When a letter arrives for me")).to_be_checked()
    # Changing the address again is there, folded away.
    expect(page.get_by_label("A different address")).to_be_hidden()
    page.get_by_text("Change or remove my address").click()
    expect(page.get_by_label("A different address")).to_be_visible()
    page.get_by_text("Change or remove my address").click()
    shoot(page, artifacts, "settings-email-on")

    # Tokens: under More, on a page of their own.
    page.goto(server.url("/more"))
    page.get_by_role("link", name="For the terminal and other apps: tokens").click()
    expect(
        page.get_by_role("heading", name="For the terminal and other apps: tokens")
    ).to_be_visible()
    expect(page.get_by_text("No tokens yet.")).to_be_visible()
    page.get_by_label("A name, to know it by").fill("my laptop")
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_label("Your new token: copy it now, it is shown only once")).to_have_value(
        re.compile(r"^\S{20,}$")
    )
    expect(page.get_by_text("my laptop")).to_be_visible()
    shoot(page, artifacts, "tokens")
    page.get_by_role("button", name="Revoke my laptop").click()
    expect(page.get_by_text("That token no longer works.")).to_be_visible()
    expect(page.get_by_text("No tokens yet.")).to_be_visible()
    assert page_errors == []
