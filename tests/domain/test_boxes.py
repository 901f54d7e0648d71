from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.homes.models import Place
from dear.letters import boxes, services
from dear.letters.models import Delivery
from dear.lib.errors import Invalid
from tests.helpers import make_letter, send_now


def ids(letters):
    return [letter.pk for letter in letters]


def test_each_box_holds_the_letters_in_its_state(home, jess, rory):
    draft = make_letter(jess, rory)
    kept = make_letter(jess, rory)
    services.keep(jess, kept.pk)
    tossed = make_letter(jess, rory)
    services.discard(jess, tossed.pk)
    sent = send_now(make_letter(jess, rory))
    assert ids(boxes.page(jess, box="drafts")[0]) == [draft.pk]
    assert ids(boxes.page(jess, box="drawer")[0]) == [kept.pk]
    assert ids(boxes.page(jess, box="basket")[0]) == [tossed.pk]
    assert ids(boxes.page(jess, box="sent")[0]) == [sent.pk]
    assert ids(boxes.page(rory, box="inbox")[0]) == [sent.pk]
    for box in ("drafts", "drawer", "basket", "sent"):
        assert boxes.page(rory, box=box)[0] == []


def test_an_unfound_note_is_in_no_box_until_its_place_is_opened(home, jess, rory):
    counter = Place.objects.create(home=home, name="the counter")
    note = send_now(make_letter(jess, rory))
    type(note).objects.filter(pk=note.pk).update(place=counter)
    assert boxes.page(rory, box="inbox")[0] == []
    assert boxes.page(rory, with_person=jess)[0] == []
    Delivery.objects.filter(letter=note).update(found_at=timezone.now())
    assert ids(boxes.page(rory, box="inbox")[0]) == [note.pk]


def test_the_inbox_pages_newest_first_without_repeats(home, jess, rory):
    start = timezone.now()
    sent = []
    for minute in range(7):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            sent.append(send_now(make_letter(jess, rory, body=f"letter {minute}")).pk)
    seen, cursor = [], None
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        while True:
            letters, cursor = boxes.page(rory, box="inbox", cursor=cursor, limit=3)
            seen += ids(letters)
            if cursor is None:
                break
    assert seen == list(reversed(sent))


def test_letters_sent_in_the_same_instant_still_page_cleanly(home, jess, rory):
    with time_machine.travel(timezone.now(), tick=False):
        sent = {send_now(make_letter(jess, rory)).pk for _ in range(5)}
        first, cursor = boxes.page(rory, box="inbox", limit=2)
        second, cursor = boxes.page(rory, box="inbox", cursor=cursor, limit=2)
        third, cursor = boxes.page(rory, box="inbox", cursor=cursor, limit=2)
    assert cursor is None
    assert set(ids(first + second + third)) == sent and len(first + second + third) == 5


def test_the_correspondence_holds_both_directions_oldest_first(home, jess, rory, sam):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = send_now(make_letter(jess, rory))
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        answer = send_now(make_letter(rory, jess, in_reply_to=first.pk))
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        send_now(make_letter(jess, sam))
        make_letter(jess, rory)  # a draft is not part of the correspondence
        assert ids(boxes.page(jess, with_person=rory)[0]) == [first.pk, answer.pk]
        assert ids(boxes.page(rory, with_person=jess)[0]) == [first.pk, answer.pk]


def test_a_letter_still_in_its_undo_window_is_in_the_writers_correspondence_only(home, jess, rory):
    letter = make_letter(jess, rory)
    services.send(jess, letter.pk)
    assert ids(boxes.page(jess, with_person=rory)[0]) == [letter.pk]
    assert boxes.page(rory, with_person=jess)[0] == []


@pytest.mark.parametrize("cursor", ["garbage", "eyJhIjogMX0", ""])
def test_a_cursor_not_made_by_dear_is_refused(home, jess, cursor):
    if cursor == "":
        assert boxes.page(jess, box="inbox", cursor=cursor) == ([], None)
        return
    with pytest.raises(Invalid):
        boxes.page(jess, box="inbox", cursor=cursor)


def test_an_unknown_box_is_refused(home, jess):
    with pytest.raises(Invalid):
        boxes.page(jess, box="attic")


def test_a_box_costs_the_same_queries_however_full(
    home, jess, rory, sam, django_assert_num_queries
):
    for _ in range(3):
        send_now(make_letter(jess, [rory, sam]))
    with django_assert_num_queries(2):
        boxes.page(rory, box="inbox")
    for _ in range(30):
        send_now(make_letter(jess, [rory, sam]))
    with django_assert_num_queries(2):
        boxes.page(rory, box="inbox")
