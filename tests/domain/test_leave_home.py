"""Leaving a home: the leaver keeps their letters and loses the home; what had not arrived
between them and the others goes back to its writer's drawer; the home goes on."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.accounts.services import set_receipts
from dear.archive.search import search
from dear.homes import services as homes
from dear.homes.access import home_for_member, housemates_of, members_of, place_for_member
from dear.homes.models import Home, Membership
from dear.letters import boxes, notes
from dear.letters import services as letters
from dear.letters.access import letter_for_reader
from dear.letters.models import Letter, State
from dear.lib.errors import Gone, Invalid, NotFound
from dear.mutual import services as mutual
from dear.mutual.models import Glance, Moment
from tests.helpers import make_home, make_letter, send_now


@pytest.fixture
def clock():
    with time_machine.travel("2030-03-01 08:00Z", tick=False) as traveller:
        yield traveller


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def scheduled(writer, to, days=1, **kw):
    letter = make_letter(writer, to, **kw)
    return letters.send(writer, letter.pk, deliver_at=timezone.now() + timedelta(days=days))


def sealed(writer, to, *, blind=False):
    return mutual.seal(writer, make_letter(writer, to).pk, blind=blind).letter


def back_in_the_drawer(letter) -> Letter:
    letter.refresh_from_db()
    assert letter.state == State.KEPT
    assert (letter.sent_at, letter.deliver_at, letter.opened_at, letter.place_id) == (
        None,
        None,
        None,
        None,
    )
    assert all(
        (d.delivered_at, d.found_at, d.read_at) == (None, None, None)
        for d in letter.deliveries.all()
    )
    return letter


def still(letter, state) -> Letter:
    letter.refresh_from_db()
    assert letter.state == state
    return letter


# The home, its places and its members


def test_leaving_ends_the_membership_and_the_home_is_gone_for_the_leaver(home, rory, counter):
    left = homes.leave_home(rory, home.pk)

    assert left.home == home
    assert Membership.objects.get(home=home, person=rory).left_at is not None
    assert not Home.objects.of_member(rory).exists()
    for lookup, ident in ((home_for_member, home.pk), (place_for_member, counter.pk)):
        with pytest.raises(NotFound):
            lookup(rory, ident)
    assert rory not in members_of(home)
    assert not housemates_of(rory).exists()


def test_the_home_goes_on_for_those_who_stay(home, jess, rory, sam, counter, clock):
    homes.leave_home(rory, home.pk)

    assert list(members_of(home)) == [jess, sam]
    assert list(housemates_of(jess)) == [sam]
    send_now(make_letter(jess, sam, body="Still here."), place=counter.pk)
    assert mutual.glance(jess, sam.pk).other == sam
    assert mutual.glance(sam, jess.pk).mutual


def test_the_last_member_may_leave_too(home, jess, rory, sam):
    for person in (jess, rory, sam):
        homes.leave_home(person, home.pk)

    assert Home.objects.filter(pk=home.pk).exists()
    assert not members_of(home).exists()


def test_someone_who_left_may_come_back_only_with_an_invite(home, jess, rory):
    homes.leave_home(rory, home.pk)

    homes.accept_invite(rory, homes.create_invite(jess, home.pk).code)

    assert rory in members_of(home)
    assert Membership.objects.filter(home=home, person=rory).count() == 2


def test_the_leavers_unused_invites_stop_working_for_them_and_anyone(home, jess, rory, olive):
    theirs = homes.create_invite(rory, home.pk).code
    jess_s = homes.create_invite(jess, home.pk).code

    homes.leave_home(rory, home.pk)

    for person in (rory, olive):
        with pytest.raises(Gone):
            homes.accept_invite(person, theirs)
    homes.accept_invite(olive, jess_s)  # a stayer's invite still works
    assert olive in members_of(home)


def test_when_the_last_member_leaves_no_invite_opens_the_empty_home(home, jess, rory, sam, olive):
    code = homes.create_invite(jess, home.pk).code
    for person in (rory, sam, jess):
        homes.leave_home(person, home.pk)

    with pytest.raises(Gone):
        homes.accept_invite(olive, code)
    assert not members_of(home).exists()


def test_an_outsider_or_someone_who_already_left_cannot_leave(home, rory, olive, other_home):
    homes.leave_home(rory, home.pk)

    for person in (rory, olive):
        with pytest.raises(NotFound):
            homes.leave_home(person, home.pk)
    with pytest.raises(NotFound):
        homes.leave_home(olive, "not-an-id")


def test_leaving_one_home_leaves_the_others_as_they_were(home, jess, rory, clock):
    shed = make_home("The shed", jess, rory)
    on_its_way = scheduled(jess, rory, home=shed)

    homes.leave_home(rory, home.pk)

    assert still(on_its_way, State.SENT).deliver_at is not None
    assert list(housemates_of(rory)) == [jess]


# What the leaver keeps


def test_the_leaver_keeps_every_letter_they_wrote_and_that_reached_them(home, jess, rory, clock):
    got = send_now(make_letter(jess, rory, body="A kettle, left on."))
    wrote = send_now(make_letter(rory, jess, body="The kettle, thank you."))
    draft = make_letter(rory, jess, body="Unfinished kettle.")

    homes.leave_home(rory, home.pk)

    for letter in (got, wrote, draft):
        assert letter_for_reader(rory, letter.pk).pk == letter.pk
    inbox, _ = boxes.page(rory, box="inbox")
    sent, _ = boxes.page(rory, box="sent")
    assert [[one.id for one in inbox], [one.id for one in sent]] == [[got.pk], [wrote.pk]]
    assert {hit.letter.pk for hit in search(rory, "kettle")} == {got.pk, wrote.pk, draft.pk}
    assert letter_for_reader(jess, wrote.pk).pk == wrote.pk  # and the reader keeps it too


def test_the_leaver_can_no_longer_write_send_or_seal_there(home, jess, rory, clock):
    kept = make_letter(rory, jess)
    letters.keep(rory, kept.pk)
    got = send_now(make_letter(jess, rory))

    homes.leave_home(rory, home.pk)

    with pytest.raises(NotFound):
        make_letter(rory, jess, home=home)
    with pytest.raises(NotFound):
        letters.create_letter(rory, home=home.pk, to=[jess.pk], in_reply_to=got.pk)
    with pytest.raises(Invalid, match="You have left this letter's home"):
        letters.send(rory, kept.pk)
    with pytest.raises(Invalid, match="You have left this letter's home"):
        mutual.seal(rory, kept.pk)
    with pytest.raises(NotFound):
        mutual.glance(rory, jess.pk)
    assert still(kept, State.KEPT)


def test_nobody_can_send_or_seal_a_letter_to_someone_who_left(home, jess, rory):
    draft = make_letter(jess, rory)

    homes.leave_home(rory, home.pk)

    with pytest.raises(Invalid, match="must still be a member"):
        letters.send(jess, draft.pk)
    with pytest.raises(Invalid, match="must still be a member"):
        mutual.seal(jess, draft.pk)
    with pytest.raises(NotFound):
        mutual.glance(jess, rory.pk)


# Letters to the leaver that had not arrived go back to their writers


def test_a_letter_scheduled_to_the_leaver_goes_back_to_its_writers_drawer(home, jess, rory, clock):
    letter = scheduled(jess, rory, days=30)

    homes.leave_home(rory, home.pk)

    back_in_the_drawer(letter)
    clock.shift(timedelta(days=31))
    assert not Letter.objects.received_by(rory).exists()


def test_a_letter_for_several_scheduled_to_the_leaver_goes_back_whole(home, jess, rory, sam, clock):
    letter = scheduled(jess, [rory, sam])

    homes.leave_home(rory, home.pk)

    back_in_the_drawer(letter)
    clock.shift(timedelta(days=2))
    assert not Letter.objects.received_by(sam).exists()
    with pytest.raises(Invalid, match="must still be a member"):
        letters.send(jess, letter.pk)


def test_a_letter_already_delivered_to_the_leaver_stays_theirs(home, jess, rory, clock):
    letter = send_now(make_letter(jess, rory))

    homes.leave_home(rory, home.pk)

    assert still(letter, State.SENT).deliveries.get().delivered_at is not None
    assert list(Letter.objects.received_by(rory)) == [letter]


def test_a_note_the_leaver_never_found_goes_back_to_its_writer(home, jess, rory, counter, clock):
    hinted = send_now(make_letter(jess, rory), place=counter.pk, hint=True)
    hidden = send_now(make_letter(jess, rory), place=counter.pk)

    homes.leave_home(rory, home.pk)

    back_in_the_drawer(hinted)
    assert not back_in_the_drawer(hidden).hint


def test_a_note_the_leaver_found_stays_theirs(home, jess, rory, counter, clock):
    note = send_now(make_letter(jess, rory), place=counter.pk)
    notes.find_notes(rory, counter)

    homes.leave_home(rory, home.pk)

    assert still(note, State.SENT).place_id == counter.pk
    assert letter_for_reader(rory, note.pk) == note


def test_a_note_someone_else_found_stays_at_its_place(home, jess, rory, sam, counter, clock):
    note = send_now(make_letter(jess, [rory, sam]), place=counter.pk)
    notes.find_notes(sam, counter)

    homes.leave_home(rory, home.pk)

    assert still(note, State.SENT).place_id == counter.pk
    assert letter_for_reader(sam, note.pk) == note


def test_a_note_comes_back_only_if_its_writer_could_see_nobody_found_it(
    home, jess, rory, sam, counter, clock
):
    # Sam hides receipts: a note for Rory and Sam coming back would tell Jess that Sam
    # has not found it. Rory's own receipts do not count: he is the one leaving.
    set_receipts(sam, False)
    set_receipts(rory, False)
    for_both = send_now(make_letter(jess, [rory, sam]), place=counter.pk)
    for_rory = send_now(make_letter(jess, rory), place=counter.pk)

    homes.leave_home(rory, home.pk)

    assert still(for_both, State.SENT).place_id == counter.pk
    back_in_the_drawer(for_rory)


@pytest.mark.parametrize("leaver", ["jess", "sam"])
def test_a_note_found_before_receipts_were_on_stays_whoever_leaves(
    leaver, home, jess, rory, sam, clock, people
):
    # Rory finds one of two notes while his receipts are off, then turns them on: Jess
    # sees the two alike, so a leave must not sort them for her either.
    set_receipts(rory, False)
    book = homes.create_place(jess, home.pk, "The book")
    shelf = homes.create_place(jess, home.pk, "The shelf")
    found = send_now(make_letter(jess, [rory, sam]), place=book.pk)
    unfound = send_now(make_letter(jess, [rory, sam]), place=shelf.pk)
    notes.find_notes(rory, book)
    clock.shift(timedelta(minutes=1))
    set_receipts(rory, True)

    left = homes.leave_home(people[leaver], home.pk)

    assert left.back_in_drawer == 0
    assert still(found, State.SENT).place_id == book.pk
    assert still(unfound, State.SENT).place_id == shelf.pk


def test_sealed_letters_for_the_leaver_go_back_to_their_writers(home, jess, rory, sam, clock):
    told = sealed(jess, rory)
    blind = sealed(sam, rory, blind=True)

    homes.leave_home(rory, home.pk)

    assert not back_in_the_drawer(told).blind
    assert not back_in_the_drawer(blind).blind
    assert not Letter.objects.sealed_for(rory).exists()


def test_an_opened_sealed_pair_stays_open(home, jess, rory, clock):
    hers = sealed(jess, rory)
    his = sealed(rory, jess)

    homes.leave_home(rory, home.pk)

    assert still(hers, State.SEALED).opened_at == still(his, State.SEALED).opened_at
    assert letter_for_reader(rory, hers.pk) == hers
    assert Moment.objects.count() == 1


# The leaver's own letters that had not arrived come back to their drawer


def test_the_leavers_own_letters_on_their_way_come_back_to_their_drawer(
    home, jess, rory, sam, counter, clock
):
    on_its_way = scheduled(rory, [jess, sam])
    note = send_now(make_letter(rory, jess), place=counter.pk)
    seal = sealed(rory, sam, blind=True)
    delivered = send_now(make_letter(rory, jess))

    left = homes.leave_home(rory, home.pk)

    for letter in (on_its_way, note, seal):
        back_in_the_drawer(letter)
    assert left.back_in_drawer == 3
    assert still(delivered, State.SENT)
    assert letter_for_reader(jess, delivered.pk) == delivered


def test_the_leavers_note_stays_where_receipts_hide_whether_it_was_found(
    home, jess, rory, counter, clock
):
    set_receipts(jess, False)
    note = send_now(make_letter(rory, jess), place=counter.pk)

    left = homes.leave_home(rory, home.pk)

    assert left.back_in_drawer == 0
    assert still(note, State.SENT).place_id == counter.pk
    notes.find_notes(jess, counter)
    assert letter_for_reader(jess, note.pk) == note


def test_letters_due_this_very_second_are_not_taken_back(home, jess, rory, clock):
    # withdraw()'s margin: a letter due now may already be open on its reader's screen.
    due = letters.send(
        jess, make_letter(jess, rory).pk, deliver_at=timezone.now() + timedelta(milliseconds=500)
    )

    homes.leave_home(rory, home.pk)

    assert still(due, State.SENT).deliver_at is not None


# Glances


def test_glances_waiting_between_the_leaver_and_the_others_are_dropped(
    home, jess, rory, sam, clock
):
    mutual.glance(jess, rory.pk)
    mutual.glance(rory, sam.pk)
    mutual.glance(sam, jess.pk)
    met = mutual.glance(jess, sam.pk).moment

    homes.leave_home(rory, home.pk)

    assert set(Glance.objects.values_list("by", "to")) == {(sam.pk, jess.pk), (jess.pk, sam.pk)}
    assert Moment.objects.get() == met


def test_a_glance_from_before_leaving_never_meets_one_after_coming_back(home, jess, rory, clock):
    mutual.set_glance_window(jess, home.pk, 24 * 60)
    mutual.glance(jess, rory.pk)
    homes.leave_home(rory, home.pk)
    homes.accept_invite(rory, homes.create_invite(jess, home.pk).code)

    assert not mutual.glance(rory, jess.pk).mutual
    assert not Moment.objects.exists()
