"""Receipts go both ways or not at all: left → found → read, as the writer sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.letters import notes
from dear.letters import services as letters
from dear.letters.access import letter_for_reader
from dear.letters.receipts import receipt
from dear.lib.errors import Conflict
from tests.helpers import make_letter, send_now


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def seen_by_writer(writer, note):
    now = timezone.now()
    letter = letter_for_reader(writer, note.pk)
    return [receipt(writer, d, now) for d in letter.deliveries.all()][0]


def test_the_writer_sees_left_then_found_then_read(counter, jess, rory):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        note = send_now(make_letter(jess, rory), place=counter.pk)
        left = seen_by_writer(jess, note)
        clock.shift(timedelta(hours=1))
        notes.find_notes(rory, counter)
        found = seen_by_writer(jess, note)
        clock.shift(timedelta(hours=1))
        letters.mark_read(rory, note.pk)
        read = seen_by_writer(jess, note)

    assert left.delivered_at is not None and left.found_at is None and left.read_at is None
    assert found.found_at == left.delivered_at + timedelta(hours=1)
    assert found.read_at is None
    assert read.read_at == left.delivered_at + timedelta(hours=2)
    assert not read.hidden


def test_a_reader_with_receipts_off_shows_nothing(counter, jess, rory):
    set_receipts(rory, False)
    note = send_now(make_letter(jess, rory), place=counter.pk)
    notes.find_notes(rory, counter)
    letters.mark_read(rory, note.pk)

    shown = seen_by_writer(jess, note)

    assert (shown.found_at, shown.read_at, shown.hidden) == (None, None, True)
    assert shown.delivered_at is not None  # that it was left is the writer's own doing


def test_a_writer_with_receipts_off_sees_nobodys(counter, jess, rory):
    set_receipts(jess, False)
    jess.refresh_from_db()
    note = send_now(make_letter(jess, rory), place=counter.pk)
    notes.find_notes(rory, counter)
    letters.mark_read(rory, note.pk)

    shown = seen_by_writer(jess, note)

    assert (shown.found_at, shown.read_at, shown.hidden) == (None, None, True)


def test_turning_receipts_back_on_never_reveals_what_happened_while_off(counter, jess, rory):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        set_receipts(rory, False)
        note = send_now(make_letter(jess, rory), place=counter.pk)
        notes.find_notes(rory, counter)
        letters.mark_read(rory, note.pk)
        clock.shift(timedelta(days=1))
        set_receipts(rory, True)
        rory.refresh_from_db()
        later = send_now(make_letter(jess, rory, body="Another."))
        letters.mark_read(rory, later.pk)

        before = seen_by_writer(jess, note)
        after = seen_by_writer(jess, later)

    assert (before.found_at, before.read_at, before.hidden) == (None, None, False)
    assert after.read_at is not None


def test_a_writer_switching_off_and_on_cannot_peek_at_earlier_reads(counter, jess, rory):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        set_receipts(jess, False)
        note = send_now(make_letter(jess, rory))
        letters.mark_read(rory, note.pk)
        clock.shift(timedelta(minutes=5))
        set_receipts(jess, True)
        jess.refresh_from_db()

        assert seen_by_writer(jess, note).read_at is None


def test_with_receipts_off_a_note_stays_put_alike_whether_found_or_not(counter, jess, rory):
    book = homes.create_place(jess, counter.home_id, "The book", "object")
    set_receipts(rory, False)
    rory.refresh_from_db()
    found = send_now(make_letter(jess, rory, body="Found."), place=counter.pk)
    notes.find_notes(rory, counter)
    unfound = send_now(make_letter(jess, rory, body="Not found."), place=counter.pk)
    homes.archive_place(jess, counter.pk)

    # Neither offered nor movable, so neither the list nor a refusal tells which was found.
    assert list(notes.stranded_notes(jess)) == []
    for note in (found, unfound):
        assert not notes.may_move(jess, letter_for_reader(jess, note.pk))
        with pytest.raises(Conflict, match="receipts cannot show you"):
            notes.move_note(jess, note.pk, book.pk)


def test_reading_still_clears_the_readers_own_unread_mark_with_receipts_off(home, jess, rory):
    set_receipts(rory, False)
    note = send_now(make_letter(jess, rory))
    letters.mark_read(rory, note.pk)
    delivery = letter_for_reader(rory, note.pk).deliveries.get(recipient=rory)
    assert delivery.read_at is not None


def test_turning_receipts_on_when_already_on_keeps_the_old_start(jess):
    set_receipts(jess, True)
    jess.refresh_from_db()
    assert (jess.receipts, jess.receipts_since) == (True, None)
