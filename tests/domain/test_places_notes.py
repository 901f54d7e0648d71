"""Notes left at a place: leaving one, finding it (rule 2), moving it, taking it back."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.homes.models import Place
from dear.letters import boxes, notes
from dear.letters import services as letters
from dear.letters.models import Delivery, Letter, State
from dear.lib.errors import Conflict, Invalid
from tests.helpers import make_home, make_letter, send_now


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


@pytest.fixture
def book(home, rory):
    return homes.create_place(rory, home.pk, "The book he is reading", "object")


def leave(writer, to, place, *, hint=False, body="Under yesterday's cup."):
    return send_now(make_letter(writer, to, body=body), place=place.pk, hint=hint)


def test_leaving_a_note_sends_it_with_its_place(counter, jess, rory):
    note = leave(jess, rory, counter, hint=True)
    assert (note.state, note.place, note.hint) == (State.SENT, counter, True)


def test_a_note_reaches_nobody_until_they_open_its_place(counter, jess, rory):
    note = leave(jess, rory, counter)

    assert not Letter.objects.received_by(rory).exists()
    assert not Letter.objects.visible_to(rory).filter(pk=note.pk).exists()
    assert boxes.page(rory, box="inbox")[0] == []
    assert boxes.page(rory, with_person=jess)[0] == []

    opened = notes.find_notes(rory, counter)

    assert [n.pk for n in opened.notes] == [note.pk]
    assert opened.found_now == {note.pk}
    assert [n.pk for n in boxes.page(rory, box="inbox")[0]] == [note.pk]
    assert [n.pk for n in boxes.page(rory, with_person=jess)[0]] == [note.pk]


def test_opening_marks_found_once_and_lists_the_note_again_later(counter, jess, rory):
    note = leave(jess, rory, counter)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = notes.find_notes(rory, counter)
        found_at = Delivery.objects.get(letter=note).found_at
        clock.shift(timedelta(hours=2))
        second = notes.find_notes(rory, counter)

    assert first.found_now == {note.pk}
    assert second.found_now == set()
    assert [n.pk for n in second.notes] == [note.pk]
    assert Delivery.objects.get(letter=note).found_at == found_at


def test_opening_finds_only_what_was_left_for_the_opener(counter, jess, rory, sam):
    for_rory = leave(jess, rory, counter)
    for_sam = leave(jess, sam, counter)

    opened = notes.find_notes(sam, counter)

    assert opened.found_now == {for_sam.pk}
    assert Delivery.objects.get(letter=for_rory).found_at is None


def test_opening_another_place_finds_nothing(counter, book, jess, rory):
    note = leave(jess, rory, counter)
    assert notes.find_notes(rory, book).notes == []
    assert Delivery.objects.get(letter=note).found_at is None


def test_a_note_with_several_recipients_is_found_by_each_on_their_own(counter, jess, rory, sam):
    note = send_now(make_letter(jess, [rory, sam]), place=counter.pk)
    notes.find_notes(rory, counter)

    assert Letter.objects.visible_to(rory).filter(pk=note.pk).exists()
    assert not Letter.objects.visible_to(sam).filter(pk=note.pk).exists()


def test_a_note_due_later_cannot_be_found_before_it_is_due(counter, jess, rory):
    when = timezone.now() + timedelta(days=1)
    note = letters.send(jess, make_letter(jess, rory).pk, deliver_at=when, place=counter.pk)

    assert notes.find_notes(rory, counter).notes == []
    assert Delivery.objects.get(letter=note).found_at is None
    with time_machine.travel(when + timedelta(minutes=1)):
        assert [n.pk for n in notes.find_notes(rory, counter).notes] == [note.pk]


def test_a_note_in_the_undo_window_cannot_be_found_yet(counter, jess, rory):
    with override_settings(SEND_UNDO_SECONDS=30):
        note = letters.send(jess, make_letter(jess, rory).pk, place=counter.pk)
    assert notes.find_notes(rory, counter).notes == []
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert [n.pk for n in notes.find_notes(rory, counter).notes] == [note.pk]


def test_the_writer_opening_the_place_finds_nothing_of_their_own(counter, jess, rory):
    note = leave(jess, rory, counter)
    assert notes.find_notes(jess, counter).notes == []
    assert Delivery.objects.get(letter=note).found_at is None


def test_an_archived_place_keeps_its_notes_but_gives_none_up(counter, jess, rory):
    note = leave(jess, rory, counter)
    homes.archive_place(jess, counter.pk)
    counter.refresh_from_db()

    assert notes.find_notes(rory, counter).notes == []
    assert Letter.objects.filter(pk=note.pk, place=counter).exists()


def test_a_found_note_stays_in_the_inbox_after_its_place_is_archived(counter, jess, rory):
    note = leave(jess, rory, counter)
    notes.find_notes(rory, counter)
    homes.archive_place(jess, counter.pk)

    assert [n.pk for n in boxes.page(rory, box="inbox")[0]] == [note.pk]


def test_a_hint_marks_the_place_waiting_for_its_recipient_only(counter, book, jess, rory, sam):
    leave(jess, rory, counter, hint=True)
    leave(jess, rory, book, hint=False)

    def waiting(person):
        places = Place.objects.filter(home=counter.home).with_waiting(person)
        return {p.name for p in places if p.waiting}

    assert waiting(rory) == {"The counter"}
    assert waiting(sam) == waiting(jess) == set()
    notes.find_notes(rory, counter)
    assert waiting(rory) == set()


# Leaving: where a note may go.


def test_a_note_cannot_be_left_at_another_homes_place(home, jess, rory, olive, other_home):
    theirs = homes.create_place(olive, other_home.pk, "Olive's shelf")
    draft = make_letter(jess, rory)
    with pytest.raises(Invalid, match="no such place"):
        send_now(draft, place=theirs.pk)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_note_cannot_be_left_at_a_place_of_the_writers_other_home(home, jess, rory):
    elsewhere = make_home("Jess's studio", jess)
    studio_shelf = homes.create_place(jess, elsewhere.pk, "The studio shelf")
    with pytest.raises(Invalid, match="no such place"):
        send_now(make_letter(jess, rory, home=home), place=studio_shelf.pk)


@pytest.mark.parametrize("place", ["not-a-uuid", "01900000-0000-7000-8000-000000000000"])
def test_a_made_up_place_is_refused(home, jess, rory, place):
    with pytest.raises(Invalid, match="no such place"):
        send_now(make_letter(jess, rory), place=place)


def test_a_note_cannot_be_left_at_an_archived_place(counter, jess, rory):
    homes.archive_place(jess, counter.pk)
    with pytest.raises(Invalid, match="archived"):
        send_now(make_letter(jess, rory), place=counter.pk)


def test_a_hint_needs_a_place(home, jess, rory):
    with pytest.raises(Invalid, match="A hint goes with a place"):
        send_now(make_letter(jess, rory), hint=True)


def test_sending_a_kept_note_plainly_clears_its_place(counter, jess, rory):
    note = leave(jess, rory, counter, hint=True)
    notes.take_back(jess, note.pk)
    sent = send_now(Letter.objects.get(pk=note.pk))
    assert (sent.place, sent.hint) == (None, False)
    assert Letter.objects.received_by(rory).filter(pk=note.pk).exists()


# Archived places: the writer moves the note or takes it back.


def test_notes_at_an_archived_place_are_offered_to_their_writer(counter, book, jess, rory):
    found = leave(jess, rory, counter, body="Found already.")
    notes.find_notes(rory, counter)
    stranded = leave(jess, rory, counter)
    leave(jess, rory, book)  # at an open place: nothing to do
    homes.archive_place(rory, counter.pk)

    assert [n.pk for n in notes.stranded_notes(jess)] == [stranded.pk]
    assert found.pk not in [n.pk for n in notes.stranded_notes(jess)]
    assert list(notes.stranded_notes(rory)) == []


def test_moving_a_note_lets_it_be_found_at_the_new_place(counter, book, jess, rory):
    note = leave(jess, rory, counter)
    homes.archive_place(jess, counter.pk)

    notes.move_note(jess, note.pk, book.pk, hint=True)

    assert list(notes.stranded_notes(jess)) == []
    assert [n.pk for n in notes.find_notes(rory, book).notes] == [note.pk]


def test_a_note_cannot_be_moved_to_an_archived_place_or_by_anyone_else(counter, book, jess, rory):
    note = leave(jess, rory, counter)
    homes.archive_place(jess, book.pk)
    with pytest.raises(Invalid, match="archived"):
        notes.move_note(jess, note.pk, book.pk)
    from dear.lib.errors import NotFound

    with pytest.raises(NotFound):
        notes.move_note(rory, note.pk, counter.pk)


def test_only_a_note_can_be_moved(home, counter, jess, rory):
    letter = send_now(make_letter(jess, rory))
    with pytest.raises(Conflict, match="Only a note"):
        notes.move_note(jess, letter.pk, counter.pk)


def test_taking_back_an_unfound_note_puts_it_in_the_drawer(counter, jess, rory):
    note = leave(jess, rory, counter, hint=True)
    homes.archive_place(jess, counter.pk)

    kept = notes.take_back(jess, note.pk)

    assert (kept.state, kept.place, kept.hint, kept.sent_at) == (State.KEPT, None, False, None)
    assert Delivery.objects.get(letter=note).delivered_at is None
    assert list(notes.stranded_notes(jess)) == []


# A found note is history: its place, time and receipts stay as they were.


def as_it_stands(note) -> tuple:
    letter = Letter.objects.get(pk=note.pk)
    deliveries = Delivery.objects.filter(letter=note).order_by("pk")
    return (
        letter.state,
        letter.place_id,
        letter.hint,
        letter.sent_at,
        letter.deliver_at,
        [(d.delivered_at, d.found_at, d.read_at) for d in deliveries],
    )


def test_a_found_note_can_be_neither_moved_nor_taken_back(counter, book, jess, rory):
    note = leave(jess, rory, counter, hint=True)
    notes.find_notes(rory, counter)
    letters.mark_read(rory, note.pk)
    before = as_it_stands(note)

    with pytest.raises(Conflict) as moving:
        notes.move_note(jess, note.pk, book.pk, hint=False)
    with pytest.raises(Conflict) as taking:
        notes.take_back(jess, note.pk)

    message = "Rory has found this note, so it stays where it was found."
    assert moving.value.message == taking.value.message == message
    assert as_it_stands(note) == before
    assert not notes.may_move(jess, Letter.objects.with_people().get(pk=note.pk))
    assert [n.pk for n in notes.find_notes(rory, counter).notes] == [note.pk]
    assert notes.find_notes(rory, book).notes == []


def test_a_found_note_at_an_archived_place_stays_there(counter, book, jess, rory):
    note = leave(jess, rory, counter)
    notes.find_notes(rory, counter)
    homes.archive_place(jess, counter.pk)
    before = as_it_stands(note)

    with pytest.raises(Conflict, match="stays where it was found"):
        notes.move_note(jess, note.pk, book.pk)
    assert as_it_stands(note) == before


@pytest.mark.parametrize("receipts_off", ["writer", "reader"])
def test_with_receipts_off_moving_is_refused_alike_found_or_not(
    counter, book, jess, rory, receipts_off
):
    set_receipts(jess if receipts_off == "writer" else rory, False)
    found = leave(jess, rory, counter, body="Found.")
    notes.find_notes(rory, counter)
    unfound = leave(jess, rory, counter, body="Not found.")

    refusals = set()
    for note in (found, unfound):
        before = as_it_stands(note)
        with pytest.raises(Conflict) as moving:
            notes.move_note(jess, note.pk, book.pk)
        with pytest.raises(Conflict) as taking:
            notes.take_back(jess, note.pk)
        refusals |= {moving.value.message, taking.value.message.replace("taken back", "moved")}
        assert as_it_stands(note) == before

    [refusal] = refusals
    assert "receipts cannot show you whether it was found" in refusal
    assert "Rory" not in refusal


def test_a_note_left_before_receipts_came_back_on_stays_put(counter, book, jess, rory):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        set_receipts(rory, False)
        note = leave(jess, rory, counter)
        clock.shift(timedelta(minutes=5))
        set_receipts(rory, True)
        clock.shift(timedelta(minutes=5))
        # Unfound, but it lay there while receipts were off: the writer cannot tell.
        with pytest.raises(Conflict, match="receipts cannot show you"):
            notes.move_note(jess, note.pk, book.pk)
        later = leave(jess, rory, counter, body="Left with receipts on.")
        assert notes.move_note(jess, later.pk, book.pk).place == book


def test_a_found_note_cannot_be_withdrawn_either(counter, jess, rory):
    note = leave(jess, rory, counter)
    notes.find_notes(rory, counter)
    before = as_it_stands(note)

    with pytest.raises(Conflict, match="cannot be withdrawn"):
        letters.withdraw(jess, note.pk)
    assert as_it_stands(note) == before


def test_an_unfound_note_can_still_be_moved_and_taken_back(counter, book, jess, rory):
    note = leave(jess, rory, counter)

    moved = notes.move_note(jess, note.pk, book.pk, hint=True)
    assert (moved.place, moved.hint) == (book, True)

    kept = notes.take_back(jess, note.pk)
    assert (kept.state, kept.place) == (State.KEPT, None)


def test_a_note_not_due_yet_can_be_moved_even_with_receipts_off(counter, book, jess, rory):
    set_receipts(rory, False)
    when = timezone.now() + timedelta(days=1)
    note = letters.send(jess, make_letter(jess, rory).pk, deliver_at=when, place=counter.pk)

    assert notes.move_note(jess, note.pk, book.pk).place == book


def test_a_note_to_two_found_by_one_cannot_be_moved(counter, book, jess, rory, sam):
    note = send_now(make_letter(jess, [rory, sam]), place=counter.pk)
    notes.find_notes(sam, counter)
    homes.archive_place(jess, counter.pk)
    before = as_it_stands(note)

    with pytest.raises(Conflict, match="Sam has found this note"):
        notes.move_note(jess, note.pk, book.pk)
    with pytest.raises(Conflict, match="Sam has found this note"):
        notes.take_back(jess, note.pk)
    assert as_it_stands(note) == before
    # Rory cannot find it at the archived place now, and Jess may not move it: not offered.
    assert list(notes.stranded_notes(jess)) == []
