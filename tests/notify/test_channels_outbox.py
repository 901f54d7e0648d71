"""The outbox tells people through their push apps with email's rules: once per letter,
no words unless chosen, nothing for a note or a sealed letter before its pair opens,
nothing in quiet hours, nothing once the channel is gone, and a failure tried again.
Apprise's own ``json://`` and ``ntfy://`` kinds send to a real HTTP server on loopback
(tests/appriseserver.py); the clock is moved, never waited for."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from dear.homes import services as homes
from dear.letters import services as letters
from dear.mutual import services as mutual
from dear.notify import channels, outbox, reminders
from dear.notify.models import Kind, Notification, Outcome
from tests.helpers import make_letter, send_now
from tests.notify.people import NOON, reachable

pytestmark = pytest.mark.django_db


@pytest.fixture
def rory_app(clock, home, rory, push_app):
    """Rory hears through a push app (json://); its test notification already came."""
    channel, result = channels.add_apprise(rory, push_app.json_url("rory"))
    assert result.ok
    push_app.arrived.clear()
    return channel


def run(now=None) -> int:
    return outbox.send_due(now)


def test_a_letter_rings_the_push_app_once_without_its_words(clock, jess, rory, rory_app, push_app):
    letter = send_now(make_letter(jess, rory, body="Words that stay in Dear."))

    assert run() == 1
    assert run() == 0

    (arrived,) = push_app.arrived
    assert arrived.title == "A letter from Jess"
    assert "Words that stay in Dear." not in arrived.message
    assert f"/letters/{letter.pk}" in arrived.message or "Open Dear" in arrived.message
    (row,) = Notification.objects.all()
    assert (row.channel_id, row.outcome) == (rory_app.pk, Outcome.SENT)
    (shown,) = channels.listed(rory)
    assert shown.state == "last sent 12:00"


def test_words_are_sent_only_to_a_channel_that_chose_them(
    clock, settings, jess, rory, rory_app, push_app
):
    settings.PUBLIC_URL = "http://dear.test"
    channels.update_choices(rory, rory_app.pk, words=True)
    letter = send_now(make_letter(jess, rory, body="Come home soon.", salutation="Dear Rory,"))

    assert run() == 1

    (arrived,) = push_app.arrived
    assert "Dear Rory," in arrived.message and "Come home soon." in arrived.message
    assert f"http://dear.test/letters/{letter.pk}" in arrived.message


def test_ntfy_urls_are_spoken_too(clock, home, jess, rory, push_app):
    channels.add_apprise(rory, push_app.ntfy_url("rory-letters"))

    send_now(make_letter(jess, rory))
    assert run() == 1

    test, letter = push_app.arrived
    assert (letter.topic, letter.title) == ("rory-letters", "A letter from Jess")


def test_each_channel_and_email_are_told_once_each(clock, mailbox, jess, rory, rory_app, push_app):
    reachable(rory)
    channels.add_apprise(rory, push_app.ntfy_url("second"))
    push_app.arrived.clear()

    send_now(make_letter(jess, rory))
    assert run() == 3
    assert run() == 0

    assert sorted(a.topic for a in push_app.arrived) == ["", "second"]
    assert len(mailbox.messages) == 1


@pytest.mark.parametrize("hint", [False, True])
def test_a_note_left_at_a_place_rings_nothing(clock, home, jess, rory, rory_app, push_app, hint):
    place = homes.create_place(jess, home.pk, "The book")
    send_now(make_letter(jess, rory), place=place.pk, hint=hint)

    assert run() == 0
    assert push_app.arrived == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("blind", [False, True])
def test_a_sealed_letter_rings_nothing_until_its_pair_opens_then_once(
    clock, jess, rory, rory_app, push_app, blind
):
    mutual.seal(jess, make_letter(jess, rory).pk, blind=blind)
    assert run() == 0
    assert push_app.arrived == []

    mutual.seal(rory, make_letter(rory, jess).pk)
    assert run() == 1
    assert run() == 0

    (arrived,) = push_app.arrived
    assert arrived.title == "Your sealed letters opened: Jess's is here"


def test_glances_that_meet_ring_once(clock, jess, rory, rory_app, push_app):
    mutual.glance(jess, rory.pk)
    assert run() == 0

    mutual.glance(rory, jess.pk)
    assert run() == 1
    assert push_app.titles() == ["You and Jess looked up at the same time"]


def test_quiet_hours_hold_the_push_until_they_end(clock, jess, rory, rory_app, push_app):
    reachable(rory, zone="Europe/Lisbon", quiet=(time(22, 0), time(7, 0)))
    clock.move_to(NOON + timedelta(hours=11))  # 23:00 in Lisbon
    send_now(make_letter(jess, rory))

    assert run() == 0
    clock.move_to(NOON + timedelta(hours=18, minutes=59))
    assert run() == 0
    assert push_app.arrived == []

    clock.move_to(NOON + timedelta(hours=19))  # 07:00 in Lisbon
    assert run() == 1
    assert len(push_app.arrived) == 1


def test_quiet_hours_begun_since_it_was_owed_hold_it_too(clock, jess, rory, rory_app, push_app):
    send_now(make_letter(jess, rory))
    reachable(rory, zone="Asia/Tokyo", quiet=(time(20, 0), time(6, 0)))  # 21:00 there

    assert run() == 0
    clock.move_to(NOON + timedelta(hours=9))
    assert run() == 1


def test_nothing_rings_after_the_channel_is_removed(clock, jess, rory, rory_app, push_app):
    letter = make_letter(jess, rory)
    letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=1))
    assert Notification.objects.count() == 1

    channels.remove(rory, rory_app.pk)
    clock.move_to(NOON + timedelta(hours=1))

    assert run() == 0
    assert push_app.arrived == []
    assert not Notification.objects.exists()


def test_a_channel_that_turned_letters_off_is_not_told(clock, jess, rory, rory_app, push_app):
    send_now(make_letter(jess, rory))
    channels.update_choices(rory, rory_app.pk, letters=False)

    assert run() == 0
    assert push_app.arrived == []
    (row,) = Notification.objects.all()
    assert (row.outcome, row.last_error) == (
        Outcome.DROPPED,
        "They turned these off for this channel.",
    )
    send_now(make_letter(jess, rory))  # owed no more while it is off
    assert Notification.objects.count() == 1


def test_a_withdrawn_letter_rings_nothing(clock, jess, rory, rory_app, push_app):
    letter = make_letter(jess, rory)
    letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=1))
    letters.withdraw(jess, letter.pk)

    clock.move_to(NOON + timedelta(hours=2))
    assert run() == 0
    assert push_app.arrived == []


def test_a_server_error_is_tried_again_after_a_minute_and_arrives_once(
    clock, jess, rory, rory_app, push_app
):
    push_app.answer = [500]
    send_now(make_letter(jess, rory))

    assert run() == 0
    (row,) = Notification.objects.all()
    assert (row.outcome, row.due_at, row.lease_token) == (
        Outcome.PENDING,
        NOON + timedelta(minutes=1),
        "",
    )
    assert "500" in row.last_error and "rory" not in row.last_error
    (shown,) = channels.listed(rory)
    assert "500" in shown.state

    clock.move_to(NOON + timedelta(seconds=59))
    assert run() == 0
    clock.move_to(NOON + timedelta(minutes=1))
    assert run() == 1
    assert run() == 0
    assert push_app.titles() == ["A letter from Jess"]
    (shown,) = channels.listed(rory)
    assert shown.state == "last sent 12:01"


def test_a_refusal_for_good_is_not_tried_again(clock, jess, rory, rory_app, push_app):
    push_app.answer = [404]
    send_now(make_letter(jess, rory))

    assert run() == 0
    (row,) = Notification.objects.all()
    assert row.outcome == Outcome.FAILED
    clock.move_to(NOON + timedelta(days=3))
    assert run() == 0
    assert push_app.arrived == []


def test_an_unreachable_push_app_is_tried_again(clock, home, jess, rory):
    channels.add_apprise(rory, "json://127.0.0.1:9/")  # nobody listens there
    send_now(make_letter(jess, rory))

    assert run() == 0
    row = Notification.objects.get(kind=Kind.LETTER)
    assert (row.outcome, row.due_at) == (Outcome.PENDING, NOON + timedelta(minutes=1))
    assert row.last_error == "the push app's server could not be reached"


def test_a_push_app_whose_answer_never_comes_counts_it_sent_and_never_sends_again(
    clock, home, jess, rory, push_app
):
    """The server took it; its answer came after Dear stopped waiting (``rto``: Apprise's
    read timeout, in seconds). It may well be on the phone: at most once."""
    channels.add_apprise(rory, push_app.json_url("hook?rto=0.2"))
    push_app.late = 1
    send_now(make_letter(jess, rory))

    run()
    clock.move_to(NOON + timedelta(hours=1))
    assert run() == 0

    assert push_app.titles() == ["Dear can reach you here", "A letter from Jess"]
    row = Notification.objects.get(kind=Kind.LETTER)
    assert row.outcome == Outcome.SENT
    assert "no answer from the push app's server" in row.last_error


def test_a_quiet_reminder_rings_a_channel_that_tells_of_reminders(
    clock, jess, rory, rory_app, push_app
):
    reminders.set_reminder(rory, jess.pk, after_days=7)
    clock.move_to(NOON + timedelta(days=7))

    assert reminders.queue_due() == 1
    assert reminders.queue_due() == 0
    assert run() == 1
    assert push_app.titles() == ["Seven days since you and Jess wrote."]


def test_push_apps_are_told_with_no_mail_server_at_all(clock, settings, jess, rory, rory_app):
    assert not settings.EMAIL_URL
    send_now(make_letter(jess, rory))

    (row,) = Notification.objects.all()
    assert row.channel_id == rory_app.pk
    assert run() == 1
