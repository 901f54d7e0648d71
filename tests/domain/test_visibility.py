"""Rules 1 and 2: who sees a letter, and from when."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.letters import services
from dear.letters.access import letter_for_reader
from dear.letters.models import Letter
from dear.lib.errors import NotFound
from tests.helpers import make_letter, send_now


def visible(person, letter):
    return Letter.objects.visible_to(person).filter(pk=letter.pk).exists()


@pytest.mark.parametrize("state", ["draft", "kept", "discarded"])
def test_only_the_writer_sees_an_unsent_letter(people, state):
    jess, rory, sam, olive = (people[name] for name in ("jess", "rory", "sam", "olive"))
    letter = make_letter(jess, rory)
    if state == "kept":
        services.keep(jess, letter.pk)
    elif state == "discarded":
        services.discard(jess, letter.pk)
    assert visible(jess, letter)
    assert not visible(rory, letter)
    assert not visible(sam, letter)
    assert not visible(olive, letter)


def test_recipient_cannot_see_a_sent_letter_before_its_delivery_time(home, jess, rory):
    letter = make_letter(jess, rory)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.send(jess, letter.pk)
        assert not visible(rory, letter)
        clock.shift(timedelta(seconds=9))
        assert not visible(rory, letter)
        clock.shift(timedelta(seconds=2))
        assert visible(rory, letter)


def test_a_letter_to_one_housemate_stays_hidden_from_the_other(home, jess, rory, sam):
    letter = send_now(make_letter(jess, rory))
    assert visible(rory, letter)
    assert not visible(sam, letter)


def test_a_letter_to_two_housemates_reaches_both(home, jess, rory, sam):
    letter = send_now(make_letter(jess, [rory, sam]))
    assert visible(rory, letter) and visible(sam, letter)


def test_reader_lookup_answers_missing_and_not_yours_alike(home, other_home, jess, rory, olive):
    letter = send_now(make_letter(jess, rory))
    with pytest.raises(NotFound) as not_yours:
        letter_for_reader(olive, letter.pk)
    with pytest.raises(NotFound) as missing:
        letter_for_reader(olive, "0190d5a0-0000-7000-8000-000000000000")
    with pytest.raises(NotFound) as malformed:
        letter_for_reader(olive, "not-an-id")
    assert str(not_yours.value) == str(missing.value) == str(malformed.value)
