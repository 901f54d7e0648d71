"""Places of a home: making, renaming, archiving, relabelling; who may reach one."""

from __future__ import annotations

import pytest

from dear.homes import services as homes
from dear.homes.access import place_for_label, place_for_member
from dear.homes.models import Place
from dear.lib.errors import Invalid, NotFound


def test_a_member_makes_a_spot_or_an_object(home, rory):
    spot = homes.create_place(rory, home.pk, "  the   counter ")
    book = homes.create_place(rory, home.pk, "The book he is reading", "object")

    assert (spot.name, spot.kind, spot.home) == ("the counter", "spot", home)
    assert (book.name, book.kind) == ("The book he is reading", "object")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the place a name"),
        ("   ", "Give the place a name"),
        ("x" * 81, "at most 80 characters; this one has 81"),
        ("the\x00counter", "control characters"),
        ("the\x07counter", "control characters"),
    ],
)
def test_a_place_name_is_1_to_80_characters_of_text(home, jess, name, message):
    with pytest.raises(Invalid, match=message):
        homes.create_place(jess, home.pk, name)
    assert not Place.objects.exists()


def test_a_name_of_exactly_80_characters_is_fine(home, jess):
    assert len(homes.create_place(jess, home.pk, "é" * 80).name) == 80


def test_markup_in_a_name_is_kept_as_text(home, jess):
    place = homes.create_place(jess, home.pk, "<b>the counter</b>")
    assert place.name == "<b>the counter</b>"


def test_a_kind_other_than_spot_or_object_is_refused(home, jess):
    with pytest.raises(Invalid, match="a spot or an object"):
        homes.create_place(jess, home.pk, "The shelf", "cupboard")


def test_an_outsider_cannot_make_a_place_in_a_home(home, olive):
    with pytest.raises(NotFound):
        homes.create_place(olive, home.pk, "Snooping")


def test_renaming_and_changing_kind(home, jess, sam):
    place = homes.create_place(jess, home.pk, "The book")
    homes.change_place(sam, place.pk, name="The red book", kind="object")
    place.refresh_from_db()
    assert (place.name, place.kind) == ("The red book", "object")


def test_renaming_validates_the_name(home, jess):
    place = homes.create_place(jess, home.pk, "The book")
    with pytest.raises(Invalid):
        homes.change_place(jess, place.pk, name="")
    place.refresh_from_db()
    assert place.name == "The book"


def test_archiving_and_bringing_back(home, jess, rory):
    place = homes.create_place(jess, home.pk, "The coat")
    archived = homes.archive_place(rory, place.pk)
    assert archived.archived_at is not None
    assert list(Place.objects.filter(home=home).open()) == []

    homes.restore_place(jess, place.pk)
    assert list(Place.objects.filter(home=home).open()) == [place]


def test_replacing_a_label_retires_the_old_code(home, jess, rory):
    place = homes.create_place(jess, home.pk, "The fridge")
    old = place.label

    new = homes.replace_label(rory, place.pk).label

    assert new != old
    assert place_for_label(jess, new) == place
    with pytest.raises(NotFound):
        place_for_label(jess, old)


def test_a_label_carries_at_least_128_random_bits(home, jess):
    labels = {homes.create_place(jess, home.pk, f"Place {n}").label for n in range(20)}
    assert len(labels) == 20
    # token_urlsafe(24): 24 random bytes, 32 URL-safe characters of 6 bits each.
    assert all(len(label) == 32 for label in labels)


@pytest.mark.parametrize("label", ["", "made-up", "x" * 65, "a\x00b"])
def test_a_made_up_label_is_not_found(home, jess, label):
    homes.create_place(jess, home.pk, "The fridge")
    with pytest.raises(NotFound):
        place_for_label(jess, label)


def test_an_outsider_gets_the_same_not_found_for_a_real_label(home, jess, olive, other_home):
    place = homes.create_place(jess, home.pk, "The fridge")
    with pytest.raises(NotFound) as real:
        place_for_label(olive, place.label)
    with pytest.raises(NotFound) as made_up:
        place_for_label(olive, "no-such-label-at-all")
    assert real.value.message == made_up.value.message


@pytest.mark.parametrize("place_id", ["not-a-uuid", None, "01900000-0000-7000-8000-000000000000"])
def test_a_missing_place_is_not_found(home, jess, place_id):
    with pytest.raises(NotFound):
        place_for_member(jess, place_id)


def test_someone_who_left_the_home_can_no_longer_reach_its_places(home, jess, rory):
    from django.utils import timezone

    place = homes.create_place(jess, home.pk, "The fridge")
    rory.memberships.filter(home=home).update(left_at=timezone.now())
    with pytest.raises(NotFound):
        place_for_member(rory, place.pk)
    with pytest.raises(NotFound):
        place_for_label(rory, place.label)
