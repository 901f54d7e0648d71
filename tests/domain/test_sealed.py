"""Rule 3: a sealed letter opens only when its recipient seals one back; then both open
together. Told or blind; withdrawable until it opens; paper once it has."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from dear.letters import boxes
from dear.letters import services as letters
from dear.letters.access import letter_for_reader
from dear.letters.models import Letter, State
from dear.lib.errors import Conflict, Invalid, NotFound
from dear.mutual import services as mutual
from dear.mutual.models import Kind, Moment
from tests.helpers import make_home, make_letter


def visible(person, letter) -> bool:
    return Letter.objects.visible_to(person).filter(pk=letter.pk).exists()


def sealed(writer, to, body="I never sent mine because I didn't think you'd care.", **kw):
    return mutual.seal(writer, make_letter(writer, to, body=body).pk, **kw)


def test_a_sealed_letter_is_unreadable_to_its_recipient_until_they_seal_one_back(home, jess, rory):
    result = sealed(jess, rory)

    assert result.letter.state == State.SEALED
    assert result.moment is None
    assert visible(jess, result.letter)
    assert not visible(rory, result.letter)
    with pytest.raises(NotFound):
        letter_for_reader(rory, result.letter.pk)


def test_sealing_one_back_opens_both_letters_together(home, jess, rory):
    hers = sealed(jess, rory).letter
    with time_machine.travel("2031-05-01 20:00Z", tick=False):
        back = sealed(rory, jess, body="I never sent mine because I didn't think you would.")

        assert back.moment is not None
        assert back.moment.kind == Kind.SEALED
        hers.refresh_from_db()
        his = back.letter
        assert hers.opened_at == his.opened_at == datetime(2031, 5, 1, 20, 0, tzinfo=UTC)
        assert visible(rory, hers) and visible(jess, his)
        assert visible(jess, hers) and visible(rory, his)
        assert (back.moment.first, back.moment.second) == (jess, rory)
        assert (back.moment.first_letter, back.moment.second_letter) == (hers, his)


def test_an_opened_pair_reaches_each_inbox(home, jess, rory):
    hers = sealed(jess, rory).letter
    his = sealed(rory, jess).letter

    jess_inbox, _ = boxes.page(jess, box="inbox")
    rory_inbox, _ = boxes.page(rory, box="inbox")
    assert [one.pk for one in jess_inbox] == [his.pk]
    assert [one.pk for one in rory_inbox] == [hers.pk]


def test_nobody_else_ever_sees_a_sealed_letter_opened_or_not(people, home):
    jess, rory, sam, olive = (people[n] for n in ("jess", "rory", "sam", "olive"))
    hers = sealed(jess, rory).letter
    assert not visible(sam, hers) and not visible(olive, hers)
    sealed(rory, jess)
    assert not visible(sam, hers) and not visible(olive, hers)


def test_pairing_takes_the_oldest_unopened_letter_each_way(home, jess, rory):
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        first = sealed(jess, rory, body="first").letter
        clock.shift(60)
        second = sealed(jess, rory, body="second").letter
        clock.shift(60)
        his = sealed(rory, jess).letter

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.opened_at is not None and his.opened_at is not None
    assert second.opened_at is None
    # Rory's next sealed letter opens the one still waiting.
    again = sealed(rory, jess, body="and another")
    second.refresh_from_db()
    assert again.moment is not None and second.opened_at is not None
    assert Moment.objects.count() == 2


def test_a_letter_sealed_to_someone_else_opens_nothing(home, jess, rory, sam):
    hers = sealed(jess, rory).letter
    result = sealed(sam, jess)

    assert result.moment is None
    hers.refresh_from_db()
    assert hers.opened_at is None


def test_pairs_form_within_one_home(jess, rory):
    flat = make_home("The flat", jess, rory)
    cabin = make_home("The cabin", jess, rory)
    hers = mutual.seal(jess, make_letter(jess, rory, home=flat).pk).letter
    result = mutual.seal(rory, make_letter(rory, jess, home=cabin).pk)

    assert result.moment is None
    hers.refresh_from_db()
    assert hers.opened_at is None


def test_told_mode_shows_the_recipient_a_stub_and_blind_shows_nothing(home, jess, rory, sam):
    told = sealed(jess, rory).letter
    sealed(sam, rory, blind=True)

    assert list(Letter.objects.sealed_for(rory)) == [told]
    found, _ = boxes.page(rory, box="sealed")
    assert [(one.id, one.stub, one.body) for one in found] == [(told.pk, True, None)]


def test_the_sealed_box_holds_what_i_sealed_opened_or_not(home, jess, rory, sam):
    to_rory = sealed(jess, rory).letter
    to_sam = sealed(jess, sam, blind=True).letter
    sealed(rory, jess)

    found, _ = boxes.page(jess, box="sealed")
    assert {one.pk for one in found} == {to_rory.pk, to_sam.pk}
    only_sam, _ = boxes.page(jess, box="sealed", with_person=sam)
    assert [one.pk for one in only_sam] == [to_sam.pk]


def test_an_opened_blind_letter_is_read_like_any_other(home, jess, rory):
    hers = sealed(jess, rory, blind=True).letter
    sealed(rory, jess)

    assert visible(rory, hers)
    assert letter_for_reader(rory, hers.pk).body.startswith("I never sent")


def test_the_writer_can_withdraw_a_sealed_letter_until_it_opens(home, jess, rory):
    hers = sealed(jess, rory, blind=True).letter

    back = letters.withdraw(jess, hers.pk)

    assert back.state == State.KEPT
    assert back.sent_at is None and not back.blind
    # Sealing back now opens nothing: there is nothing waiting.
    assert sealed(rory, jess).moment is None


def test_an_opened_sealed_letter_is_paper(home, jess, rory):
    hers = sealed(jess, rory).letter
    sealed(rory, jess)

    with pytest.raises(Conflict, match="opened"):
        letters.withdraw(jess, hers.pk)
    for change in (letters.crumple, letters.keep, letters.discard, letters.send):
        with pytest.raises(Conflict):
            change(jess, hers.pk)
    with pytest.raises(Conflict):
        letters.save_letter(jess, hers.pk, revision=1, body="changed my mind")
    with pytest.raises(Conflict):
        mutual.seal(jess, hers.pk)


def test_an_unopened_sealed_letter_cannot_be_edited_or_sent(home, jess, rory):
    hers = sealed(jess, rory).letter
    with pytest.raises(Conflict):
        letters.save_letter(jess, hers.pk, revision=1, body="changed")
    with pytest.raises(Conflict):
        letters.send(jess, hers.pk)


def test_a_kept_letter_can_be_sealed_from_the_drawer(home, jess, rory):
    letter = make_letter(jess, rory)
    letters.keep(jess, letter.pk)

    assert mutual.seal(jess, letter.pk).letter.state == State.SEALED


def test_sealing_needs_exactly_one_recipient_and_some_words(home, jess, rory, sam):
    with pytest.raises(Invalid, match="one person"):
        mutual.seal(jess, make_letter(jess, [rory, sam]).pk)
    with pytest.raises(Invalid, match="Write something"):
        mutual.seal(jess, make_letter(jess, rory, body="   ").pk)


def test_only_the_writer_can_seal_a_letter(home, jess, rory, olive):
    letter = make_letter(jess, rory)
    for someone in (rory, olive):
        with pytest.raises(NotFound):
            mutual.seal(someone, letter.pk)
    with pytest.raises(NotFound):
        mutual.seal(jess, "not-a-letter")


def test_a_recipient_who_left_the_home_cannot_be_sealed_to(home, jess, rory):
    letter = make_letter(jess, rory)
    home.memberships.filter(person=rory).update(left_at=timezone.now())

    with pytest.raises(Invalid, match="still be a member"):
        mutual.seal(jess, letter.pk)


def test_a_failed_seal_changes_nothing(home, jess, rory):
    letter = make_letter(jess, rory, body="")
    with pytest.raises(Invalid):
        mutual.seal(jess, letter.pk)
    letter.refresh_from_db()
    assert letter.state == State.DRAFT and letter.sent_at is None
