"""What Dear writes in its outbox when a letter is sent, taken back, or a moment happens
(dear.notify.services). Sending is the outbox's job: see test_outbox.py."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import time_machine
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dear.letters import services as letters
from dear.mutual import services as mutual
from dear.notify.models import Kind, Notification, Outcome
from tests.helpers import make_letter, send_now
from tests.notify.people import NOON, reachable

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def addresses(mailbox, jess, rory, sam):
    return [reachable(person) for person in (jess, rory, sam)]


def owed(**kw):
    return list(Notification.objects.filter(**kw).order_by("recipient__username"))


def test_a_sent_letter_owes_each_recipient_one_email_due_when_it_arrives(
    home, addresses, rory, sam
):
    letter = make_letter(addresses[0], [rory, sam])

    letters.send(letter.writer, letter.pk, deliver_at=NOON + timedelta(hours=3))

    rows = owed(kind=Kind.LETTER)
    assert [(row.recipient, row.key, row.letter_id) for row in rows] == [
        (rory, str(letter.pk), letter.pk),
        (sam, str(letter.pk), letter.pk),
    ]
    assert {row.due_at for row in rows} == {NOON + timedelta(hours=3)}
    assert {row.outcome for row in rows} == {Outcome.PENDING}


def test_a_letter_arriving_in_quiet_hours_owes_its_email_for_when_they_end(home, addresses, rory):
    reachable(rory, zone="Europe/Lisbon", quiet=(time(21, 0), time(8, 30)))
    letter = make_letter(addresses[0], rory)

    # 23:00 in Lisbon (UTC+0 in March): the letter arrives then, the email at 08:30.
    letters.send(letter.writer, letter.pk, deliver_at=NOON + timedelta(hours=11))

    (row,) = owed(kind=Kind.LETTER)
    assert row.due_at == NOON + timedelta(hours=20, minutes=30)


def test_a_note_left_at_a_place_owes_no_email(home, addresses, rory):
    from dear.homes import services as homes

    place = homes.create_place(addresses[0], home.pk, "Kitchen counter")
    letter = make_letter(addresses[0], rory)

    send_now(letter, place=place.pk)

    assert owed() == []


def test_everyone_a_letter_is_for_is_owed_its_email_address_or_not(home, mailbox, jess, rory, sam):
    # Rory may confirm an address before it arrives; the outbox decides at send time.
    reachable(sam)
    rory.email = "rory@home.test"  # given, never confirmed
    rory.save()

    send_now(make_letter(jess, [rory, sam]))

    assert [row.recipient for row in owed()] == [rory, sam]


def test_without_a_mail_server_nothing_is_owed_or_queued(home, jess, rory, settings):
    settings.EMAIL_URL = ""
    reachable(rory)

    send_now(make_letter(jess, rory))

    assert owed() == []
    assert not DBTaskResult.objects.exists()


def test_sending_queues_a_wake_up_for_when_the_email_is_due(
    home, addresses, rory, django_capture_on_commit_callbacks
):
    letter = make_letter(addresses[0], rory)

    with django_capture_on_commit_callbacks(execute=True):
        letters.send(letter.writer, letter.pk, deliver_at=NOON + timedelta(hours=2))

    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "dear.notify.tasks.deliver_due"
    assert task.status == TaskResultStatus.READY
    assert task.run_after == NOON + timedelta(hours=2)


def test_a_withdrawn_letter_owes_nothing_and_sent_again_owes_one_email(home, addresses, rory):
    letter = make_letter(addresses[0], rory)
    letters.send(letter.writer, letter.pk, deliver_at=NOON + timedelta(hours=1))

    letters.withdraw(letter.writer, letter.pk)
    (row,) = owed()
    assert row.outcome == Outcome.DROPPED

    letters.send(letter.writer, letter.pk, deliver_at=NOON + timedelta(hours=5))
    (row,) = owed()
    assert row.outcome == Outcome.PENDING
    assert row.due_at == NOON + timedelta(hours=5)
    assert (row.attempts, row.lease_token, row.done_at) == (0, "", None)


def test_an_email_already_sent_is_never_owed_again(home, addresses, rory):
    letter = make_letter(addresses[0], rory)
    send_now(letter)
    Notification.objects.update(outcome=Outcome.SENT)

    from dear.notify import services as notify

    notify.letter_sent(letter)

    (row,) = owed()
    assert row.outcome == Outcome.SENT


def test_a_sealed_letter_owes_nothing_until_its_pair_opens_then_both_are_told(
    home, addresses, jess, rory
):
    mutual.seal(jess, make_letter(jess, rory).pk)
    assert owed() == []

    opened = mutual.seal(rory, make_letter(rory, jess).pk)

    rows = owed()
    assert [(row.recipient, row.kind, row.about) for row in rows] == [
        (jess, Kind.SEALED, rory),
        (rory, Kind.SEALED, jess),
    ]
    assert {row.moment_id for row in rows} == {opened.moment.pk}
    assert {row.key for row in rows} == {str(opened.moment.pk)}
    assert not Notification.objects.filter(kind=Kind.LETTER).exists()


def test_glances_that_meet_owe_both_an_email_and_one_alone_owes_none(home, addresses, jess, rory):
    mutual.glance(jess, rory.pk)
    assert owed() == []

    met = mutual.glance(rory, jess.pk)

    rows = owed()
    assert [(row.recipient, row.kind, row.about) for row in rows] == [
        (jess, Kind.MOMENT, rory),
        (rory, Kind.MOMENT, jess),
    ]
    assert {row.moment_id for row in rows} == {met.moment.pk}


@override_settings(SEND_UNDO_SECONDS=30)
def test_a_letter_sent_now_is_owed_after_the_undo_window(home, addresses, rory):
    letter = make_letter(addresses[0], rory)

    letters.send(letter.writer, letter.pk)

    (row,) = owed()
    assert row.due_at == NOON + timedelta(seconds=30)
