"""“Forgot your password?”: a link by email to a confirmed address, the same answer for
every account or none, and a new password that ends every session."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.accounts import reset
from tests.helpers import PASSWORD, make_person
from tests.web.conftest import without_csrf

NEW_PASSWORD = "a new and better secret"


@pytest.fixture
def jess_confirmed(jess):
    jess.email = "jess@home.test"
    jess.email_confirmed_at = timezone.now()
    jess.save()
    return jess


def sending_done():
    """Wait for the links being sent off the request's thread."""
    for thread in threading.enumerate():
        if thread.name == reset.THREAD_NAME:
            thread.join(timeout=30)


def ask(client, who: str):
    response = client.post("/password/forgot", {"who": who})
    sending_done()
    return response


def link_in(received) -> str:
    return re.search(r"http://dear\.test(/password/reset/\S+)", received.text()).group(1)


def test_the_login_page_offers_a_reset_only_when_email_is_set_up(client_of, db, settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:25"
    offered = client_of(None).get("/login").content.decode()
    settings.EMAIL_URL = ""
    not_offered = client_of(None).get("/login").content.decode()

    assert "Forgot your password?" in offered
    assert "Forgot your password?" not in not_offered


def test_a_link_goes_to_the_confirmed_address_by_username(mailbox, jess_confirmed, client_of):
    response = ask(client_of(None), "JESS")

    assert response.status_code == 200
    assert reset.SENT in response.content.decode()
    (sent,) = mailbox.messages
    assert sent.envelope_to == ["jess@home.test"]
    assert sent.subject == "Set a new password for Dear"


def test_a_link_goes_by_address_too(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "Jess@Home.test")

    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"]]


def test_every_account_sharing_the_address_gets_its_own_link(mailbox, jess_confirmed, client_of):
    make_person("jess2", email="jess@home.test", email_confirmed_at=timezone.now())

    ask(client_of(None), "jess@home.test")

    assert len(mailbox.messages) == 2
    assert len({link_in(m) for m in mailbox.messages}) == 2


def test_nobody_learns_which_accounts_exist_or_have_an_address(mailbox, jess_confirmed, client_of):
    make_person("rory", email="rory@home.test")  # not confirmed
    answers = [
        without_csrf(ask(client_of(None), who).content)
        for who in ("jess", "rory", "nobody-here", "rory@home.test", "who@where.test")
    ]

    assert len(set(answers)) == 1
    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"]]


def test_a_disabled_account_gets_no_link(mailbox, jess_confirmed, client_of):
    jess_confirmed.is_active = False
    jess_confirmed.save()

    ask(client_of(None), "jess")

    assert mailbox.messages == []


def test_the_link_sets_a_new_password_and_ends_every_session(mailbox, jess_confirmed, client_of):
    elsewhere = client_of(jess_confirmed)
    assert elsewhere.get("/settings").status_code == 200
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])
    browser = client_of(None)

    form = browser.get(link)
    done = browser.post(link, {"new_password": NEW_PASSWORD}, follow=True)

    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    assert "Your new password is set. Log in with it." in done.content.decode()
    jess_confirmed.refresh_from_db()
    assert jess_confirmed.check_password(NEW_PASSWORD)
    assert elsewhere.get("/settings").status_code == 302


def test_a_link_works_once(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])
    client_of(None).post(link, {"new_password": NEW_PASSWORD})

    again = client_of(None).post(link, {"new_password": "yet another secret"})

    assert again.status_code == 410
    assert "expired or has already been used" in again.content.decode()
    jess_confirmed.refresh_from_db()
    assert jess_confirmed.check_password(NEW_PASSWORD)


def test_a_link_expires_after_an_hour(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        response = client_of(None).post(link, {"new_password": NEW_PASSWORD})

    assert response.status_code == 410
    jess_confirmed.refresh_from_db()
    assert jess_confirmed.check_password(PASSWORD)


def test_a_made_up_link_is_refused_kindly(db, client_of):
    response = client_of(None).get("/password/reset/bm9ib2R5/1a2b-3c4d")

    assert response.status_code == 410
    assert "Ask for a new one" in response.content.decode()


def test_a_weak_new_password_is_refused_and_the_link_still_works(
    mailbox, jess_confirmed, client_of
):
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])

    weak = client_of(None).post(link, {"new_password": "short"})
    good = client_of(None).post(link, {"new_password": NEW_PASSWORD})

    assert weak.status_code == 422
    assert "too short" in weak.content.decode()
    assert good.status_code == 302


def test_asking_again_and_again_is_slowed_down(mailbox, jess_confirmed, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(None)
    ask(client, "jess")
    ask(client, "jess")

    response = ask(client, "jess")

    assert response.status_code == 429
    assert len(mailbox.messages) == 2


def test_asking_about_nobody_is_slowed_down_just_the_same(mailbox, db, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(None)
    ask(client, "nobody")
    ask(client, "nobody")

    assert ask(client, "nobody").status_code == 429


def test_an_empty_answer_is_asked_again(mailbox, db, client_of):
    response = ask(client_of(None), "  ")

    assert response.status_code == 422
    assert "Give your username or your email address." in response.content.decode()


def test_without_email_set_up_the_page_says_who_can_help(jess_confirmed, client_of, settings):
    settings.EMAIL_URL = ""

    shown = client_of(None).get("/password/forgot").content.decode()
    posted = ask(client_of(None), "jess")

    assert "has no email set up" in shown
    assert "dear manage changepassword" in shown
    assert 'name="who"' not in shown
    assert posted.status_code == 200
    assert reset.SENT not in posted.content.decode()
