"""The outbox sends what is owed, once, and only while it is still owed: checked again at
send time against the letter, the person's address, choices and quiet hours. A real
SMTP server on loopback receives; the clock is moved, never waited for."""

from __future__ import annotations

import logging
from datetime import time, timedelta

import pytest

from dear.letters import services as letters
from dear.letters.models import Letter, State
from dear.notify import outbox
from dear.notify.models import EmailChoices, Kind, Notification, Outcome
from tests.helpers import make_letter, send_now
from tests.notify.people import NOON, reachable

pytestmark = pytest.mark.django_db

TRY_LATER = "451 4.3.0 Try again later"


def the_row() -> Notification:
    (row,) = Notification.objects.all()
    return row


def test_a_delivered_letter_is_emailed_once_however_often_the_outbox_runs(
    clock, mailbox, reader, jess
):
    letter = send_now(make_letter(jess, reader, body="The words stay here."))

    assert outbox.send_due() == 1
    assert outbox.send_due() == 0

    (email,) = mailbox.to(reader.confirmed_email)
    assert email.subject == "A letter from Jess is waiting"
    assert str(letter.pk) in email.text()
    assert "The words stay here." not in email.text() + email.html()
    row = the_row()
    assert (row.outcome, row.done_at, row.attempts, row.last_error) == (
        Outcome.SENT,
        NOON,
        1,
        "",
    )


def test_each_recipient_gets_their_own_email(clock, mailbox, reader, jess, sam):
    reachable(sam)
    send_now(make_letter(jess, [reader, sam]))

    assert outbox.send_due() == 2

    assert sorted(m.envelope_to for m in mailbox.messages) == [
        ["rory@home.test"],
        ["sam@home.test"],
    ]


def test_nothing_is_sent_before_the_letter_arrives(clock, mailbox, reader, jess):
    letter = make_letter(jess, reader)
    letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=2))

    assert outbox.send_due() == 0
    clock.move_to(NOON + timedelta(hours=2))
    assert outbox.send_due() == 1
    assert len(mailbox.messages) == 1


def test_a_withdrawn_letter_is_never_emailed(clock, mailbox, reader, jess):
    letter = make_letter(jess, reader)
    letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=2))
    letters.withdraw(jess, letter.pk)

    clock.move_to(NOON + timedelta(days=1))
    assert outbox.send_due() == 0

    assert mailbox.messages == []
    assert the_row().outcome == Outcome.DROPPED


def test_a_letter_no_longer_sent_when_its_email_falls_due_is_not_emailed(
    clock, mailbox, reader, jess
):
    letter = send_now(make_letter(jess, reader))
    # However it left the sent state, with or without the hook: the check at send time
    # catches it.
    Letter.objects.filter(pk=letter.pk).update(state=State.KEPT)

    assert outbox.send_due() == 0

    assert mailbox.messages == []
    row = the_row()
    assert row.outcome == Outcome.DROPPED
    assert row.last_error == "The letter went back to the drawer."


def test_quiet_hours_hold_the_email_and_not_the_letter(clock, mailbox, reader, jess):
    reachable(reader, zone="Europe/Lisbon", quiet=(time(22, 0), time(7, 0)))
    clock.move_to(NOON + timedelta(hours=11))  # 23:00 in Lisbon
    letter = send_now(make_letter(jess, reader))

    assert Letter.objects.received_by(reader).filter(pk=letter.pk).exists()
    assert outbox.send_due() == 0
    assert mailbox.messages == []

    clock.move_to(NOON + timedelta(hours=18, minutes=59))
    assert outbox.send_due() == 0
    clock.move_to(NOON + timedelta(hours=19))  # 07:00 in Lisbon
    assert outbox.send_due() == 1
    assert len(mailbox.messages) == 1


def test_quiet_hours_begun_since_the_email_was_owed_hold_it_until_they_end(
    clock, mailbox, reader, jess
):
    send_now(make_letter(jess, reader))
    # Rory moves to Tokyo, where it is 21:00, and goes quiet from 20:00 until 06:00.
    reachable(reader, zone="Asia/Tokyo", quiet=(time(20, 0), time(6, 0)))

    assert outbox.send_due() == 0

    row = the_row()
    assert (row.outcome, row.attempts, row.lease_token) == (Outcome.PENDING, 0, "")
    assert row.due_at == NOON + timedelta(hours=9)  # 06:00 in Tokyo
    clock.move_to(row.due_at)
    assert outbox.send_due() == 1


def test_someone_who_turned_letter_emails_off_gets_none(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    EmailChoices.objects.create(person=reader, letters=False)

    assert outbox.send_due() == 0

    assert mailbox.messages == []
    assert the_row().outcome == Outcome.DROPPED


def test_an_address_removed_before_sending_gets_nothing(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    reader.email_confirmed_at = None
    reader.save()

    assert outbox.send_due() == 0

    assert mailbox.messages == []
    assert the_row().outcome == Outcome.DROPPED


def test_an_address_confirmed_after_sending_and_before_arrival_gets_the_email(
    clock, mailbox, home, jess, rory
):
    letter = make_letter(jess, rory)
    letters.send(jess, letter.pk, deliver_at=NOON + timedelta(days=2))

    clock.move_to(NOON + timedelta(days=1))
    reader = reachable(rory)
    clock.move_to(NOON + timedelta(days=2, minutes=1))

    assert outbox.send_due() == 1
    assert len(mailbox.to(reader.confirmed_email)) == 1


def test_someone_who_never_confirmed_an_address_is_sent_nothing(clock, mailbox, home, jess, rory):
    rory.email = "rory@home.test"
    rory.save()
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 0

    assert mailbox.messages == []
    row = the_row()
    assert row.outcome == Outcome.DROPPED


def test_a_refusal_is_tried_again_with_growing_waits_then_sent(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    mailbox.refuse.extend([TRY_LATER, TRY_LATER])

    assert outbox.send_due() == 0
    row = the_row()
    assert (row.outcome, row.attempts, row.due_at) == (
        Outcome.PENDING,
        1,
        NOON + timedelta(minutes=1),
    )
    assert "451" in row.last_error
    assert outbox.send_due() == 0  # not due yet: nothing is tried

    clock.move_to(NOON + timedelta(minutes=1))
    assert outbox.send_due() == 0
    assert the_row().due_at == NOON + timedelta(minutes=6)

    clock.move_to(NOON + timedelta(minutes=6))
    assert outbox.send_due() == 1
    assert len(mailbox.messages) == 1
    row = the_row()
    assert (row.outcome, row.attempts) == (Outcome.SENT, 3)


def test_the_outbox_gives_up_after_the_last_try(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    mailbox.refuse.extend([TRY_LATER] * outbox.MAX_ATTEMPTS)

    for _ in range(outbox.MAX_ATTEMPTS):
        assert outbox.send_due() == 0
        row = the_row()
        if row.outcome != Outcome.PENDING:
            break
        clock.move_to(row.due_at)

    row = the_row()
    assert (row.outcome, row.attempts) == (Outcome.FAILED, outbox.MAX_ATTEMPTS)
    assert mailbox.messages == []
    clock.move_to(NOON + timedelta(days=30))
    assert outbox.send_due() == 0


def test_a_permanent_refusal_is_not_tried_again(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    mailbox.refuse.append("554 5.7.1 Not for this mailbox")

    assert outbox.send_due() == 0

    row = the_row()
    assert (row.outcome, row.attempts) == (Outcome.FAILED, 1)
    assert "554" in row.last_error


def test_a_reply_lost_after_the_message_counts_as_sent_so_it_never_goes_twice(
    clock, mailbox, reader, jess
):
    send_now(make_letter(jess, reader))
    mailbox.hang_up = 1

    assert outbox.send_due() == 1
    clock.move_to(NOON + timedelta(days=30))
    assert outbox.send_due() == 0

    assert len(mailbox.to(reader.confirmed_email)) == 1
    row = the_row()
    assert row.outcome == Outcome.SENT
    assert "no answer" in row.last_error


def test_an_unreachable_server_leaves_the_emails_owed_for_later(
    clock, mailbox, reader, jess, sam, settings
):
    reachable(sam)
    send_now(make_letter(jess, [reader, sam]))
    settings.EMAIL_URL = "smtp://127.0.0.1:9"  # nothing listens on the discard port

    assert outbox.send_due() == 0

    rows = Notification.objects.all()
    assert {(row.outcome, row.attempts) for row in rows} == {(Outcome.PENDING, 1)}
    assert {row.due_at for row in rows} == {NOON + timedelta(minutes=1)}
    settings.EMAIL_URL = mailbox.url
    clock.move_to(NOON + timedelta(minutes=1))
    assert outbox.send_due() == 2


def test_a_notification_another_worker_holds_is_left_alone_until_its_lease_runs_out(
    clock, mailbox, reader, jess
):
    send_now(make_letter(jess, reader))
    Notification.objects.update(lease_token="theirs", lease_until=NOON + timedelta(seconds=30))

    assert outbox.send_due() == 0
    clock.move_to(NOON + timedelta(seconds=31))  # that worker died holding it
    assert outbox.send_due() == 1

    assert len(mailbox.messages) == 1


def test_a_worker_whose_lease_was_taken_over_does_not_send(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    token, (held,) = outbox._claim(NOON)
    # Its lease ran out while it was slow, and another worker took the notification.
    Notification.objects.update(lease_token="another")

    with outbox._Mail() as mail:
        assert outbox._deliver(held, token, NOON, mail) == 0

    assert mailbox.messages == []
    assert the_row().outcome == Outcome.PENDING


def test_a_letter_withdrawn_and_sent_again_while_a_worker_holds_it_is_emailed_once(
    clock, mailbox, reader, jess
):
    letter = make_letter(jess, reader)
    letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=1))
    clock.move_to(NOON + timedelta(hours=1))
    token, (held,) = outbox._claim(NOON + timedelta(hours=1))
    # Meanwhile it is owed afresh, as a letter withdrawn and sent again would be: the
    # old lease no longer counts.
    from dear.notify import services as notify

    letter.refresh_from_db()
    notify.letter_sent(letter)

    with outbox._Mail() as mail:
        assert outbox._deliver(held, token, NOON + timedelta(hours=1), mail) == 0
    assert mailbox.messages == []
    assert outbox.send_due() == 1
    assert len(mailbox.messages) == 1


def test_a_note_is_never_emailed_even_when_owed_by_mistake(clock, mailbox, reader, jess, home):
    from dear.homes import services as homes

    place = homes.create_place(jess, home.pk, "Under the coffee cup")
    letter = send_now(make_letter(jess, reader), place=place.pk)
    Notification.objects.create(
        recipient=reader, kind=Kind.LETTER, key=str(letter.pk), letter=letter, due_at=NOON
    )

    assert outbox.send_due() == 0

    assert mailbox.messages == []
    assert the_row().outcome == Outcome.DROPPED


def test_nothing_is_attempted_without_a_mail_server(clock, reader, jess, settings):
    send_now(make_letter(jess, reader))
    settings.EMAIL_URL = ""

    assert outbox.send_due() == 0

    row = the_row()
    assert (row.outcome, row.attempts) == (Outcome.PENDING, 0)


def test_when_a_sealed_pair_opens_both_are_emailed(clock, mailbox, reader, jess):
    from dear.mutual import services as mutual

    reachable(jess)
    mutual.seal(jess, make_letter(jess, reader).pk)
    mutual.seal(reader, make_letter(reader, jess).pk)

    assert outbox.send_due() == 2

    assert sorted(m.envelope_to[0] for m in mailbox.messages) == [
        "jess@home.test",
        "rory@home.test",
    ]
    assert {m.subject for m in mailbox.messages} == {
        "Your sealed letters to each other have opened"
    }


def test_someone_who_turned_moment_emails_off_is_not_told_of_one(clock, mailbox, reader, jess):
    from dear.mutual import services as mutual

    reachable(jess)
    EmailChoices.objects.create(person=jess, moments=False)
    mutual.glance(jess, reader.pk)
    mutual.glance(reader, jess.pk)

    assert outbox.send_due() == 1

    assert [m.envelope_to for m in mailbox.messages] == [["rory@home.test"]]
    dropped = Notification.objects.get(outcome=Outcome.DROPPED)
    assert (dropped.recipient, dropped.kind) == (jess, Kind.MOMENT)


def test_a_reminder_is_emailed_while_the_quiet_lasts(clock, mailbox, reader, jess):
    from dear.notify import reminders
    from dear.notify.models import Reminder

    Reminder.objects.create(
        person=reader, other=jess, email=True, created_at=NOON - timedelta(days=10)
    )
    assert reminders.queue_due(NOON) == 1

    assert outbox.send_due() == 1

    (email,) = mailbox.messages
    assert email.envelope_to == ["rory@home.test"]


def test_a_reminder_waiting_for_the_morning_is_dropped_when_a_letter_arrives_first(
    clock, mailbox, reader, jess
):
    from dear.notify import reminders
    from dear.notify.models import Reminder

    Reminder.objects.create(
        person=reader, other=jess, email=True, created_at=NOON - timedelta(days=10)
    )
    clock.move_to(NOON + timedelta(hours=11))  # 23:00 on Rory's clock: quiet
    assert reminders.queue_due() == 1
    send_now(make_letter(jess, reader))

    clock.move_to(NOON + timedelta(hours=19))  # 07:00
    assert outbox.send_due() == 1

    (email,) = mailbox.messages
    assert email.subject == "A letter from Jess is waiting"
    reminder = Notification.objects.get(kind=Kind.REMINDER)
    assert reminder.outcome == Outcome.DROPPED


def test_no_log_line_or_recorded_error_holds_a_letters_words(
    clock, mailbox, reader, jess, caplog, monkeypatch
):
    words = "Under the coffee cup, the words."
    EmailChoices.objects.create(person=reader, words=True)
    send_now(make_letter(jess, reader, body=words))
    mailbox.refuse.append(TRY_LATER)

    with caplog.at_level(logging.DEBUG):
        assert outbox.send_due() == 0  # refused
        clock.move_to(NOON + timedelta(minutes=1))
        with monkeypatch.context() as patched:
            patched.setattr(outbox.emails, "for_notification", fail_quoting(words))
            assert outbox.send_due() == 0  # the builder failed, quoting the letter
        clock.move_to(NOON + timedelta(minutes=6))
        assert outbox.send_due() == 1

    assert words in mailbox.messages[0].text()  # Rory asked for the words in the email
    # Everything Dear logged; "mail.log" is the test's own mail server, which has it all.
    ours = [record.getMessage() for record in caplog.records if record.name != "mail.log"]
    assert any("not sent, trying again" in line for line in ours)
    assert not any(words in line for line in ours)
    errors = Notification.objects.values_list("last_error", flat=True)
    assert not any(words in error for error in errors)


def fail_quoting(words):
    def build(notification):
        raise ValueError(f"cannot render {words!r}")

    return build
