"""The outbox rings a subscribed browser through Web Push: the push service stand-in on
loopback (tests/pushservice.py) checks each push's VAPID signature and decrypts it with
the browser's keys, so what a device would show is what these tests read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from dear.accounts import services as accounts
from dear.notify import channels, outbox, webpush
from dear.notify.models import Channel, Notification, Outcome
from tests.helpers import PASSWORD, make_letter, send_now
from tests.notify.people import NOON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keys_in_a_dir_of_their_own(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def signed_in(person) -> str:
    """A browser's session, signed in as ``person``, as Django's login leaves it."""
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.fixture
def browser(clock, home, rory, push_service):
    """Rory's browser, signed in and subscribed to Dear's key at the stand-in."""
    device = push_service.subscribe(webpush.public_key())
    channel = channels.add_webpush(
        rory, device, name="Chrome on Android", session_key=signed_in(rory)
    )
    return device, channel


def test_a_browser_whose_session_ended_elsewhere_is_not_rung_and_is_forgotten(
    clock, jess, rory, browser, push_service
):
    """Rory changed his password on his laptop: the phone's session ended without a
    logout, so whoever holds that phone now is not told of his letters."""
    device, channel = browser
    accounts.change_password(rory, PASSWORD, "a new password for rory")
    send_now(make_letter(jess, rory, body="Only for Rory."))

    assert outbox.send_due() == 0

    assert push_service.received(device["endpoint"]) == []
    assert not Channel.objects.filter(pk=channel.pk).exists()


def test_a_browser_signed_in_again_under_a_new_session_key_still_rings(
    clock, jess, rory, browser, push_service
):
    device, channel = browser
    moved = signed_in(rory)
    channels.session_moved(channel.session_key, moved)
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 1
    assert len(push_service.received(device["endpoint"])) == 1


def test_a_letter_rings_the_browser_once_saying_who_and_not_what(
    clock, jess, rory, browser, push_service
):
    device, _ = browser
    letter = send_now(make_letter(jess, rory, body="Words that stay in Dear."))

    assert outbox.send_due() == 1
    assert outbox.send_due() == 0

    (push,) = push_service.received(device["endpoint"])
    assert push.payload == {
        "title": "A letter from Jess",
        "body": "",
        "url": f"/letters/{letter.pk}",
    }
    assert push.ttl == 24 * 60 * 60
    assert b"Words that stay" not in push.data
    (shown,) = channels.listed(rory)
    assert shown.state == "last sent 12:00"


def test_words_ring_only_a_browser_whose_owner_chose_them(clock, jess, rory, browser, push_service):
    device, channel = browser
    channels.update_choices(rory, channel.pk, words=True)
    send_now(make_letter(jess, rory, body="Come home soon.", salutation="Dear Rory,"))

    assert outbox.send_due() == 1

    (push,) = push_service.received(device["endpoint"])
    assert push.payload["body"] == "Dear Rory,\n\nCome home soon.\n\nJess"


def test_a_browser_the_push_service_says_is_gone_is_never_rung_again(
    clock, jess, rory, browser, push_service
):
    device, _ = browser
    push_service.answer(device["endpoint"], 410)
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 0

    (row,) = Notification.objects.all()
    assert row.outcome == Outcome.FAILED
    (shown,) = channels.listed(rory)
    assert shown.gone and shown.state == "the push service says this device is gone"
    push_service.answers.clear()
    send_now(make_letter(jess, rory))
    assert outbox.send_due() == 0
    assert push_service.received() == []


def test_a_push_service_having_a_bad_moment_is_tried_again_and_rings_once(
    clock, jess, rory, browser, push_service
):
    device, _ = browser
    push_service.answer(device["endpoint"], 500)
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 0
    assert push_service.received() == []
    push_service.answers.clear()
    clock.move_to(NOON + timedelta(hours=1))

    assert outbox.send_due() == 1
    assert outbox.send_due() == 0
    assert len(push_service.received(device["endpoint"])) == 1


def test_a_push_whose_answer_never_comes_counts_as_sent_and_is_not_sent_again(
    clock, jess, rory, browser, push_service, monkeypatch
):
    """The push service took the push; its answer came after Dear stopped waiting. It may
    well be on the phone: at most once, so it is never sent again."""
    monkeypatch.setattr(webpush, "TIMEOUT", (5, 0.2))
    push_service.late = 1
    device, channel = browser
    send_now(make_letter(jess, rory))

    outbox.send_due()
    clock.move_to(NOON + timedelta(hours=1))
    assert outbox.send_due() == 0

    assert len(push_service.received(device["endpoint"])) == 1
    row = Notification.objects.get(channel=channel)
    assert row.outcome == Outcome.SENT
    assert "no answer from the push service" in row.last_error


def test_a_push_service_that_cannot_be_reached_is_tried_again_later(
    clock, jess, rory, browser, push_service
):
    device, channel = browser
    push_service.stop()  # nothing listens on its port now
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 0
    row = Notification.objects.get(channel=channel)
    assert row.outcome == Outcome.PENDING
    assert "cannot reach the push service" in row.last_error

    push_service.start()  # the same port again
    clock.move_to(NOON + timedelta(hours=1))
    assert outbox.send_due() == 1
    assert len(push_service.received(device["endpoint"])) == 1
