"""Rule 5 and the state machine: what each state allows, and that a refusal changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.letters import services
from dear.letters.models import Letter
from dear.lib.errors import Conflict, Invalid, NotFound, StaleRevision
from tests.helpers import make_letter, send_now


def snapshot(letter):
    fresh = Letter.objects.get(pk=letter.pk)
    return (fresh.state, fresh.body, fresh.revision, fresh.revisions.count(), fresh.sent_at)


def test_a_new_letter_is_a_draft_addressed_by_name_and_signed(home, jess, rory):
    letter = make_letter(jess, rory, body="")
    assert letter.state == "draft"
    assert letter.salutation == "Dear Rory,"
    assert letter.closing == "Jess"
    assert letter.revision == 1


def test_two_recipients_are_named_together(home, jess, rory, sam):
    letter = make_letter(jess, [rory, sam])
    assert letter.salutation in ("Dear Rory and Sam,", "Dear Sam and Rory,")


def test_writing_to_someone_outside_the_home_is_refused(home, other_home, jess, olive):
    with pytest.raises(Invalid):
        make_letter(jess, olive, home=home)


def test_writing_in_a_home_you_are_not_in_answers_404(home, other_home, jess, olive):
    with pytest.raises(NotFound):
        make_letter(jess, olive, home=other_home)


def test_keep_discard_restore_round_trip(home, jess, rory):
    letter = make_letter(jess, rory)
    assert services.keep(jess, letter.pk).state == "kept"
    assert services.discard(jess, letter.pk).state == "discarded"
    assert services.restore(jess, letter.pk).state == "kept"


@pytest.mark.parametrize(
    "action",
    [
        lambda w, pk: services.crumple(w, pk),
        lambda w, pk: services.keep(w, pk),
        lambda w, pk: services.discard(w, pk),
        lambda w, pk: services.restore(w, pk),
        lambda w, pk: services.send(w, pk),
        lambda w, pk: services.restore_revision(w, pk, 1),
    ],
    ids=["crumple", "keep", "discard", "restore", "send", "restore_revision"],
)
def test_a_delivered_letter_refuses_every_change_and_stays_as_it_was(home, jess, rory, action):
    letter = send_now(make_letter(jess, rory))
    before = snapshot(letter)
    with pytest.raises(Conflict):
        action(jess, letter.pk)
    assert snapshot(letter) == before


def test_a_save_reaching_a_sent_letter_keeps_its_text_and_changes_nothing(home, jess, rory):
    letter = send_now(make_letter(jess, rory, body="as sent"))
    with pytest.raises(StaleRevision) as refused:
        services.save_letter(jess, letter.pk, revision=1, body="typed on the phone meanwhile")
    fresh = Letter.objects.get(pk=letter.pk)
    assert (fresh.state, fresh.body, fresh.revision) == ("sent", "as sent", 1)
    kept = fresh.revisions.get(number=refused.value.kept_as)
    assert kept.body == "typed on the phone meanwhile" and kept.conflict


def test_a_save_of_the_same_text_to_a_sent_letter_is_refused_and_keeps_nothing(home, jess, rory):
    letter = send_now(make_letter(jess, rory, body="as sent"))
    with pytest.raises(Conflict):
        services.save_letter(jess, letter.pk, revision=1, body="as sent")
    assert letter.revisions.count() == 1


def test_sending_a_discarded_letter_is_refused(home, jess, rory):
    letter = make_letter(jess, rory)
    services.discard(jess, letter.pk)
    with pytest.raises(Conflict):
        services.send(jess, letter.pk)
    assert Letter.objects.get(pk=letter.pk).state == "discarded"


def test_an_empty_letter_cannot_be_sent(home, jess, rory):
    letter = make_letter(jess, rory, body="   ")
    with pytest.raises(Invalid):
        services.send(jess, letter.pk)


def test_withdraw_inside_the_undo_window_puts_it_back_in_the_drawer(home, jess, rory):
    letter = make_letter(jess, rory)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.send(jess, letter.pk)
        clock.shift(timedelta(seconds=5))
        withdrawn = services.withdraw(jess, letter.pk)
        assert withdrawn.state == "kept"
        assert withdrawn.deliver_at is None
        clock.shift(timedelta(seconds=60))
        assert not Letter.objects.visible_to(rory).filter(pk=letter.pk).exists()


def test_withdraw_after_delivery_is_refused(home, jess, rory):
    letter = make_letter(jess, rory)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.send(jess, letter.pk)
        clock.shift(timedelta(seconds=11))
        with pytest.raises(Conflict):
            services.withdraw(jess, letter.pk)
    assert Letter.objects.get(pk=letter.pk).state == "sent"


def test_withdraw_in_the_last_second_before_delivery_is_refused(home, jess, rory):
    letter = make_letter(jess, rory)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.send(jess, letter.pk)
        clock.shift(timedelta(seconds=9.5))
        with pytest.raises(Conflict):
            services.withdraw(jess, letter.pk)
    assert Letter.objects.get(pk=letter.pk).state == "sent"


def test_a_later_delivery_time_holds_the_letter_until_then(home, jess, rory):
    letter = make_letter(jess, rory)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.send(jess, letter.pk, deliver_at=timezone.now() + timedelta(days=3))
        clock.shift(timedelta(days=2))
        assert services.withdraw(jess, letter.pk).state == "kept"


@pytest.mark.parametrize("delta", [timedelta(seconds=-1), timedelta(days=3700)])
def test_a_delivery_time_in_the_past_or_beyond_ten_years_is_refused(home, jess, rory, delta):
    letter = make_letter(jess, rory)
    with pytest.raises(Invalid):
        services.send(jess, letter.pk, deliver_at=timezone.now() + delta)
    assert Letter.objects.get(pk=letter.pk).state == "draft"


def test_only_the_writer_may_act_on_a_letter(home, jess, rory):
    letter = send_now(make_letter(jess, rory))
    with pytest.raises(NotFound):
        services.withdraw(rory, letter.pk)


def test_reading_marks_the_delivery_read_once(home, jess, rory):
    letter = send_now(make_letter(jess, rory))
    with time_machine.travel(timezone.now(), tick=False):
        first = services.mark_read(rory, letter.pk).read_at
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        again = services.mark_read(rory, letter.pk).read_at
    assert first is not None and again == first


def test_the_writer_opening_a_letter_marks_nothing_read(home, jess, rory):
    letter = send_now(make_letter(jess, rory))
    services.mark_read(jess, letter.pk)
    assert letter.deliveries.get().read_at is None


def test_a_reply_must_answer_a_letter_the_writer_can_see(home, jess, rory, sam):
    to_sam = send_now(make_letter(jess, sam))
    with pytest.raises(NotFound):
        make_letter(rory, jess, in_reply_to=to_sam.pk)
    to_rory = send_now(make_letter(jess, rory))
    reply = make_letter(rory, jess, in_reply_to=to_rory.pk)
    assert reply.in_reply_to_id == to_rory.pk
