"""Quiet reminders: when the quiet between two people is long enough to mention, and what
never moves it (a draft, a letter still on its way, a sealed letter or a note not yet
reached). The clock is moved, never waited for."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.homes.models import Membership
from dear.letters import notes
from dear.letters import services as letters
from dear.lib.errors import Invalid, NotFound
from dear.mutual.services import seal
from dear.notify import reminders
from dear.notify.models import Kind, Notification, Reminder
from tests.helpers import make_home, make_letter, send_now

START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock(home):
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def later(clock, days: float) -> None:
    clock.move_to(START + days * DAY)


def lines(person) -> list[str]:
    return [stretch.line for stretch in reminders.due(person)]


def stretch_of(person):
    (stretch,) = reminders.stretches(person)
    return (stretch.since, stretch.days, stretch.due)


# When the line shows


def test_no_line_after_six_days_of_quiet(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk, after_days=7)
    later(clock, 6.9)
    assert lines(jess) == []


def test_the_line_shows_after_seven_days_of_quiet(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk, after_days=7)
    later(clock, 7)
    assert lines(jess) == ["Seven days since you and Rory wrote."]
    later(clock, 9.5)
    assert lines(jess) == ["Nine days since you and Rory wrote."]


def test_the_line_is_only_for_whoever_asked(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 30)
    assert lines(rory) == []
    assert reminders.stretches(rory) == []


def test_each_reminder_counts_its_own_days(clock, jess, rory, sam):
    reminders.set_reminder(jess, rory.pk, after_days=3)
    reminders.set_reminder(jess, sam.pk, after_days=10)
    later(clock, 4)
    assert lines(jess) == ["Four days since you and Rory wrote."]
    later(clock, 21)
    assert lines(jess) == [
        "Twenty-one days since you and Rory wrote.",
        "Twenty-one days since you and Sam wrote.",
    ]


def test_a_long_quiet_is_counted_in_digits(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk, after_days=1)
    later(clock, 1)
    assert lines(jess) == ["One day since you and Rory wrote."]
    later(clock, 120)
    assert lines(jess) == ["120 days since you and Rory wrote."]


# What starts the quiet again


def test_a_letter_from_them_starts_the_quiet_again(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk, after_days=7)
    later(clock, 5)
    send_now(make_letter(rory, jess))
    later(clock, 11.9)
    assert lines(jess) == []
    later(clock, 12)
    assert lines(jess) == ["Seven days since you and Rory wrote."]


def test_a_letter_to_them_starts_the_quiet_again(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk, after_days=7)
    later(clock, 8)
    assert lines(jess)
    send_now(make_letter(jess, rory))
    assert lines(jess) == []
    assert stretch_of(jess) == (START + 8 * DAY, 0, False)


def test_a_letter_to_them_and_someone_else_counts(clock, jess, rory, sam):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 8)
    send_now(make_letter(jess, [sam, rory]))
    assert lines(jess) == []


def test_a_letter_with_someone_else_does_not_count(clock, jess, rory, sam):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 8)
    send_now(make_letter(sam, jess))
    send_now(make_letter(jess, sam))
    assert lines(jess) == ["Eight days since you and Rory wrote."]


def test_a_letter_before_the_reminder_was_set_starts_nothing_earlier(clock, jess, rory):
    send_now(make_letter(rory, jess))
    later(clock, 3)
    reminders.set_reminder(jess, rory.pk, after_days=7)
    later(clock, 9)
    assert lines(jess) == []
    later(clock, 10)
    assert lines(jess) == ["Seven days since you and Rory wrote."]


def test_a_draft_or_a_kept_letter_changes_nothing(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 8)
    before = stretch_of(jess)
    make_letter(rory, jess)
    letters.keep(rory, make_letter(rory, jess).pk)
    letters.keep(jess, make_letter(jess, rory).pk)
    assert stretch_of(jess) == before


def test_a_letter_scheduled_for_later_counts_only_once_it_arrives(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk)
    reminders.set_reminder(rory, jess.pk)
    later(clock, 8)
    letters.send(rory, make_letter(rory, jess).pk, deliver_at=START + 10 * DAY)
    assert lines(jess) == ["Eight days since you and Rory wrote."]
    assert lines(rory) == ["Eight days since you and Jess wrote."]
    later(clock, 10)
    assert lines(jess) == lines(rory) == []
    assert stretch_of(jess)[0] == stretch_of(rory)[0] == START + 10 * DAY


def test_a_withdrawn_letter_changes_nothing(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 8)
    letter = letters.send(jess, make_letter(jess, rory).pk, deliver_at=START + 9 * DAY)
    letters.withdraw(jess, letter.pk)
    later(clock, 9)
    assert lines(jess) == ["Nine days since you and Rory wrote."]


# Rule 3: a sealed letter moves nothing until it opens


@pytest.mark.parametrize("blind", [True, False])
def test_a_sealed_letter_from_them_changes_nothing_they_are_told(clock, jess, rory, blind):
    reminders.set_reminder(jess, rory.pk)
    reminders.set_reminder(rory, jess.pk)
    later(clock, 8)
    before = stretch_of(jess), stretch_of(rory)
    seal(rory, make_letter(rory, jess).pk, blind=blind)
    assert (stretch_of(jess), stretch_of(rory)) == before
    assert lines(jess) == ["Eight days since you and Rory wrote."]


def test_a_sealed_pair_that_opens_starts_the_quiet_again_for_both(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk)
    reminders.set_reminder(rory, jess.pk)
    later(clock, 8)
    seal(rory, make_letter(rory, jess).pk, blind=True)
    later(clock, 9)
    seal(jess, make_letter(jess, rory).pk)
    assert lines(jess) == lines(rory) == []
    assert stretch_of(jess)[0] == stretch_of(rory)[0] == START + 9 * DAY


# Rule 2: a note counts once found, and its finding only as receipts would show it


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def test_an_unfound_note_changes_nothing(clock, jess, rory, counter):
    reminders.set_reminder(jess, rory.pk)
    reminders.set_reminder(rory, jess.pk)
    later(clock, 8)
    before = stretch_of(jess), stretch_of(rory)
    send_now(make_letter(rory, jess), place=counter.pk, hint=True)
    assert (stretch_of(jess), stretch_of(rory)) == before


def test_a_note_counts_from_when_it_was_found(clock, jess, rory, counter):
    reminders.set_reminder(jess, rory.pk)
    reminders.set_reminder(rory, jess.pk)
    later(clock, 8)
    send_now(make_letter(rory, jess), place=counter.pk)
    later(clock, 9)
    notes.find_notes(jess, counter)
    assert stretch_of(jess) == (START + 9 * DAY, 0, False)
    assert stretch_of(rory) == (START + 9 * DAY, 0, False)


def test_a_note_found_by_someone_else_changes_nothing(clock, jess, rory, sam, counter):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 8)
    send_now(make_letter(rory, [jess, sam]), place=counter.pk)
    notes.find_notes(sam, counter)
    assert lines(jess) == ["Eight days since you and Rory wrote."]


def test_a_note_found_with_receipts_off_tells_its_writer_nothing(clock, jess, rory, counter):
    reminders.set_reminder(jess, rory.pk)
    reminders.set_reminder(rory, jess.pk)
    set_receipts(jess, False)
    later(clock, 8)
    send_now(make_letter(rory, jess), place=counter.pk)
    later(clock, 9)
    notes.find_notes(jess, counter)
    assert lines(rory) == ["Nine days since you and Jess wrote."]
    assert lines(jess) == []


def test_a_note_found_before_receipts_came_back_on_stays_untold(clock, jess, rory, counter):
    reminders.set_reminder(rory, jess.pk)
    set_receipts(jess, False)
    later(clock, 8)
    send_now(make_letter(rory, jess), place=counter.pk)
    notes.find_notes(jess, counter)
    later(clock, 9)
    set_receipts(jess, True)
    assert lines(rory) == ["Nine days since you and Jess wrote."]


# Who a reminder may be about


def test_a_reminder_may_be_only_about_a_housemate(clock, people, jess):
    for who in (people["olive"].pk, jess.pk, uuid.uuid4(), "not-an-id", None):
        with pytest.raises(NotFound):
            reminders.set_reminder(jess, who)
        with pytest.raises(NotFound):
            reminders.clear_reminder(jess, who)
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("days", [0, 366, -1, "seven", "", None, True, 2.5])
def test_days_must_be_a_whole_number_from_one_to_a_year(clock, jess, rory, days):
    with pytest.raises(Invalid):
        reminders.set_reminder(jess, rory.pk, after_days=days)
    assert not Reminder.objects.exists()


def test_setting_again_changes_it_and_keeps_the_quiet_counting(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk, after_days=7, email=True)
    later(clock, 5)
    reminders.set_reminder(jess, rory.pk, after_days="3", email=None)
    reminder = Reminder.objects.get()
    assert (reminder.after_days, reminder.email, reminder.created_at) == (3, True, START)
    assert lines(jess) == ["Five days since you and Rory wrote."]


def test_clearing_stops_it_and_clearing_twice_is_fine(clock, jess, rory):
    reminders.set_reminder(jess, rory.pk)
    reminders.clear_reminder(jess, rory.pk)
    reminders.clear_reminder(jess, rory.pk)
    later(clock, 30)
    assert reminders.stretches(jess) == []


def test_a_reminder_sleeps_while_they_share_no_home(clock, jess, rory, sam, home):
    reminders.set_reminder(jess, rory.pk)
    later(clock, 8)
    Membership.objects.filter(person=rory, home=home).update(left_at=START + 8 * DAY)
    assert reminders.stretches(jess) == []
    with pytest.raises(NotFound):
        reminders.clear_reminder(jess, rory.pk)
    make_home("Elsewhere", jess, rory)
    assert lines(jess) == ["Eight days since you and Rory wrote."]


# The email: owed once per quiet stretch


@pytest.fixture
def email_on(settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:2525"


def confirm(person, address="jess@home.test"):
    person.email = address
    person.email_confirmed_at = START - DAY
    person.save()


def test_a_due_reminder_with_email_is_owed_one_notification(clock, email_on, jess, rory):
    confirm(jess)
    reminders.set_reminder(jess, rory.pk, email=True)
    later(clock, 6)
    assert reminders.queue_due() == 0
    later(clock, 7)
    assert reminders.queue_due() == 1
    later(clock, 8)
    assert reminders.queue_due() == 0
    (owed,) = Notification.objects.filter(kind=Kind.REMINDER)
    assert (owed.recipient, owed.kind, owed.about, owed.due_at) == (
        jess,
        Kind.REMINDER,
        rory,
        START + 7 * DAY,
    )
    assert owed.key == f"{rory.pk}:{START.isoformat()}"
    assert reminders.since_of(owed) == START


def test_each_quiet_stretch_is_emailed_once(clock, email_on, jess, rory):
    confirm(jess)
    reminders.set_reminder(jess, rory.pk, email=True)
    later(clock, 7)
    assert reminders.queue_due() == 1
    later(clock, 8)
    send_now(make_letter(rory, jess))
    later(clock, 14)
    assert reminders.queue_due() == 0
    later(clock, 15)
    assert reminders.queue_due() == 1
    assert reminders.queue_due() == 0
    keys = set(Notification.objects.filter(kind=Kind.REMINDER).values_list("key", flat=True))
    assert keys == {f"{rory.pk}:{START.isoformat()}", f"{rory.pk}:{(START + 8 * DAY).isoformat()}"}


def test_the_email_waits_for_the_end_of_quiet_hours(clock, email_on, jess, rory):
    confirm(jess)
    jess.time_zone = "America/New_York"
    jess.quiet_from, jess.quiet_until = time(22, 0), time(7, 0)
    jess.save()
    reminders.set_reminder(jess, rory.pk, email=True)
    clock.move_to(datetime(2025, 3, 11, 3, 0, tzinfo=UTC))  # 23:00 in New York
    assert reminders.queue_due() == 1
    assert Notification.objects.get(kind=Kind.REMINDER).due_at == datetime(
        2025, 3, 11, 11, 0, tzinfo=UTC
    )


def test_no_notification_without_email_chosen(clock, email_on, jess, rory):
    confirm(jess)
    reminders.set_reminder(jess, rory.pk, email=False)
    later(clock, 30)
    assert reminders.queue_due() == 0
    assert lines(jess)
    assert not Notification.objects.filter(kind=Kind.REMINDER).exists()


def test_no_notification_without_a_confirmed_address(clock, email_on, jess, rory):
    jess.email = "jess@home.test"
    jess.save()
    reminders.set_reminder(jess, rory.pk, email=True)
    later(clock, 30)
    assert reminders.queue_due() == 0


def test_no_notification_when_email_is_not_configured(clock, settings, jess, rory):
    settings.EMAIL_URL = ""
    confirm(jess)
    reminders.set_reminder(jess, rory.pk, email=True)
    later(clock, 30)
    assert reminders.queue_due() == 0
    assert not Notification.objects.filter(kind=Kind.REMINDER).exists()


def test_a_blind_sealed_letter_never_moves_the_email(clock, email_on, jess, rory):
    confirm(jess)
    reminders.set_reminder(jess, rory.pk, email=True)
    later(clock, 7)
    reminders.queue_due()
    seal(rory, make_letter(rory, jess).pk, blind=True)
    later(clock, 8)
    assert reminders.queue_due() == 0
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 1


def test_no_notification_about_someone_who_left(clock, email_on, jess, rory, home):
    confirm(jess)
    reminders.set_reminder(jess, rory.pk, email=True)
    Membership.objects.filter(person=rory, home=home).update(left_at=START)
    later(clock, 30)
    assert reminders.queue_due() == 0
