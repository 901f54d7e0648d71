"""Email for real people, end to end: a real `dear serve` with the worker it starts beside
itself, a real SMTP server on loopback, and Chromium. Rory adds his address and confirms
it from the link the email brought; Jess writes and the worker tells him a letter is
waiting, without its words; the link in that email opens the letter. A note Jess leaves
at a place sends nothing: the email of a letter sent after it comes next."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import mailserver
from tests.browser import story
from tests.helpers import PASSWORD
from tests.server import free_port

pytestmark = pytest.mark.browser

RORY = "rory@home.test"
MAIL_TIMEOUT = 15


@pytest.fixture
def smtp():
    box, controller = mailserver.start()
    yield box
    controller.stop()


def link_in(text: str, base_url: str, path: str) -> str:
    """The one link in an email's text to a page under ``path`` of this Dear."""
    [found] = re.findall(re.escape(base_url + path) + r"\S+", text)
    return found


def write_to_rory(jess, server, words: str) -> str:
    """Jess writes ``words`` to Rory and sends it now; answers the letter's path."""
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    jess.get_by_label("Letter", exact=True).fill(words)
    expect(jess.locator("#save-status")).to_have_text("Saved")
    path = jess.url.removeprefix(server.base_url).removesuffix("/edit")
    jess.get_by_role("button", name="Send", exact=True).click()
    expect(jess.get_by_role("heading", name="Sent")).to_be_visible()
    return path


def test_rory_confirms_his_address_and_is_told_of_letters_but_not_of_notes(
    dear_server_factory, smtp, open_page, page_errors, artifacts
):
    # The emails link to the server itself, so its address is chosen before it starts.
    port = free_port()
    server = dear_server_factory(
        port=port,
        send_undo_seconds=0,
        env={
            "DEAR_EMAIL_URL": smtp.url,
            "DEAR_EMAIL_FROM": "Dear <dear@home.test>",
            "DEAR_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "DEAR_WORKER_TICK_SECONDS": "1",
        },
    )
    jess = open_page()
    rory = open_page()
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)

    # Without an address, quiet hours would hold nothing back: Settings does not show them.
    rory.goto(server.url("/settings"))
    expect(rory.get_by_label("From", exact=True)).to_have_count(0)

    # He adds his address, with his password to prove it is him; a link goes to it, and
    # until he follows it the address is unconfirmed.
    rory.get_by_label("Your email address").fill(RORY)
    rory.get_by_label("Your password, to change where Dear writes to you").fill(PASSWORD)
    rory.get_by_role("button", name="Add my address").click()
    expect(rory.get_by_text(f"A link is on its way to {RORY}.")).to_be_visible()
    expect(rory.get_by_text(f"{RORY} is not confirmed yet")).to_be_visible()

    # Rory wants to hear at any hour: the same start and end mean no quiet hours, so
    # the letter's email does not wait for a morning whatever the hour of the test.
    rory.get_by_label("From", exact=True).fill("00:00")
    rory.get_by_label("Until", exact=True).fill("00:00")
    rory.get_by_role("button", name="Save my time").click()
    expect(rory.get_by_text("Your time is saved.")).to_be_visible()
    [confirmation] = smtp.wait_for(1, timeout=MAIL_TIMEOUT)
    assert confirmation.envelope_to == [RORY]
    assert confirmation.subject == "Confirm your email address for Dear"

    # The link in the email, opened in his browser, confirms the address.
    rory.goto(link_in(confirmation.text(), server.base_url, "/email/confirm/"))
    expect(rory.get_by_role("heading", name="Address confirmed")).to_be_visible()
    expect(rory.get_by_text(f"Dear will email Rory at {RORY}.")).to_be_visible()
    rory.goto(server.url("/settings"))
    expect(rory.get_by_text(f"Dear emails you at {RORY}.")).to_be_visible()
    # The letter's words stay out of his email unless he asks: he leaves that off.
    expect(rory.get_by_label("Put the letter's words in the email")).not_to_be_checked()
    expect(rory.get_by_label("When a letter arrives for me")).to_be_checked()
    rory.screenshot(path=str(artifacts / "settings-email.png"), full_page=True)

    # Jess writes to him; the worker beside the server tells him, without the words.
    words = "The plum tree flowered this morning."
    first = write_to_rory(jess, server, words)
    messages = smtp.wait_for(2, timeout=MAIL_TIMEOUT)
    assert len(messages) == 2
    told = messages[1]
    assert told.subject == "A letter from Jess is waiting"
    assert told.envelope_to == [RORY]
    assert "plum tree" not in told.text()
    assert "plum tree" not in told.html()
    link = link_in(told.text(), server.base_url, "/letters/")
    assert link == server.url(first)
    assert f'href="{link}"' in told.html()

    # The link opens the letter itself in Rory's browser.
    rory.goto(link)
    expect(rory.get_by_text(words)).to_be_visible()
    # Its dates end the sentence with no space before the punctuation, and say a minute once.
    expect(rory.locator(".dates")).to_have_text(
        re.compile(r"^\s*(Written .*\d; sent|Sent) .*\d\.\s*$")
    )
    rory.screenshot(path=str(artifacts / "email-letter-link.png"), full_page=True)

    # Jess leaves a note for him by the counter: notes are found, not announced.
    story.add_place(jess, server, "the counter")
    story.leave_note(jess, server, "Look under the fruit bowl.")
    expect(jess.get_by_text("not found yet")).to_be_visible()

    # The outbox sends in the order things fall due, so the next email after the
    # note's moment is the second letter's: had the note been announced, it came first.
    second = write_to_rory(jess, server, "And the pears are nearly ripe.")
    messages = smtp.wait_for(3, timeout=MAIL_TIMEOUT)
    assert len(messages) == 3
    assert messages[2].subject == "A letter from Jess is waiting"
    assert link_in(messages[2].text(), server.base_url, "/letters/") == server.url(second)
    for message in messages:
        assert "fruit bowl" not in message.text()
        assert "fruit bowl" not in message.html()
        assert "the counter" not in message.text()

    assert page_errors == []
