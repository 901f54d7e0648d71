"""Rule 8: a glance is shown to the other person only when it is mutual."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.lib.errors import Invalid, NotFound, RateLimited
from dear.mutual import services as mutual
from dear.mutual.access import moments_of
from dear.mutual.models import Glance, Kind, Moment
from tests.helpers import make_home


@pytest.fixture
def clock():
    with time_machine.travel("2030-03-01 08:00Z", tick=False) as traveller:
        yield traveller


def test_a_one_sided_glance_makes_no_moment(home, jess, rory, clock):
    result = mutual.glance(jess, rory.pk)

    assert not result.mutual and result.moment is None
    assert not moments_of(rory).exists() and not moments_of(jess).exists()


def test_glancing_back_within_the_window_makes_a_moment_for_both(home, jess, rory, clock):
    mutual.glance(jess, rory.pk)
    clock.shift(timedelta(minutes=59))

    result = mutual.glance(rory, jess.pk)

    assert result.mutual
    assert result.moment.kind == Kind.GLANCE
    assert list(moments_of(jess)) == list(moments_of(rory)) == [result.moment]
    assert (result.moment.first, result.moment.second) == (jess, rory)


def test_glancing_back_after_the_window_makes_no_moment(home, jess, rory, clock):
    mutual.glance(jess, rory.pk)
    clock.shift(timedelta(minutes=60))

    assert not mutual.glance(rory, jess.pk).mutual
    assert not Moment.objects.exists()


def test_the_window_is_the_homes_setting(home, jess, rory, sam, clock):
    mutual.set_glance_window(jess, home.pk, 5)
    mutual.glance(jess, rory.pk)
    clock.shift(timedelta(minutes=6))
    assert not mutual.glance(rory, jess.pk).mutual

    mutual.set_glance_window(rory, home.pk, 24 * 60)
    mutual.glance(sam, jess.pk)
    clock.shift(timedelta(hours=20))
    assert mutual.glance(jess, sam.pk).mutual  # Sam's glance of 20 hours ago


def test_a_second_glance_inside_the_window_is_refused_and_changes_nothing(home, jess, rory, clock):
    mutual.glance(jess, rory.pk)
    clock.shift(timedelta(minutes=30))

    with pytest.raises(RateLimited, match="again after 09:00 UTC on 1 March"):
        mutual.glance(jess, rory.pk)
    assert Glance.objects.count() == 1

    clock.shift(timedelta(minutes=30))
    assert not mutual.glance(jess, rory.pk).mutual


def test_the_refusal_is_the_same_whether_or_not_they_glanced_back(home, jess, rory, sam, clock):
    mutual.glance(jess, rory.pk)
    mutual.glance(jess, sam.pk)
    mutual.glance(sam, jess.pk)  # Sam glanced back (a moment); Rory did not
    clock.shift(timedelta(minutes=1))

    with pytest.raises(RateLimited) as at_rory:
        mutual.glance(jess, rory.pk)
    with pytest.raises(RateLimited) as at_sam:
        mutual.glance(jess, sam.pk)
    assert at_rory.value.message.replace("Rory", "X") == at_sam.value.message.replace("Sam", "X")


def test_a_glance_makes_at_most_one_moment(home, jess, rory, clock):
    mutual.glance(jess, rory.pk)
    clock.shift(timedelta(minutes=10))
    assert mutual.glance(rory, jess.pk).mutual
    clock.shift(timedelta(minutes=55))

    # Jess may glance again; Rory's glance already met hers, so it does not meet this one.
    assert not mutual.glance(jess, rory.pk).mutual
    assert Moment.objects.count() == 1


def test_glances_are_per_pair(home, jess, rory, sam, clock):
    mutual.glance(jess, rory.pk)

    assert not mutual.glance(sam, jess.pk).mutual
    assert mutual.glance(jess, sam.pk).mutual  # Sam glanced at Jess, not Rory
    assert Moment.objects.count() == 1


def test_only_a_housemate_can_be_glanced_at(people, home, clock):
    jess, olive = people["jess"], people["olive"]
    with pytest.raises(NotFound):
        mutual.glance(jess, olive.pk)
    with pytest.raises(NotFound):
        mutual.glance(jess, "not-a-person")
    with pytest.raises(Invalid, match="not for yourself"):
        mutual.glance(jess, jess.pk)


def test_two_shared_homes_need_to_be_told_apart(jess, rory, clock):
    flat = make_home("The flat", jess, rory)
    make_home("The cabin", jess, rory)

    with pytest.raises(Invalid, match="more than one home"):
        mutual.glance(jess, rory.pk)
    mutual.glance(jess, rory.pk, home=flat.pk)
    assert mutual.glance(rory, jess.pk, home=flat.pk).mutual


def test_a_home_the_other_is_not_in_is_not_found(people, home, other_home, clock):
    with pytest.raises(NotFound):
        mutual.glance(people["jess"], people["rory"].pk, home=other_home.pk)


@pytest.mark.parametrize("minutes", [4, 1441, 0, -5, "sixty", None, "", True])
def test_the_window_is_from_5_minutes_to_24_hours(home, jess, minutes):
    with pytest.raises(Invalid, match="from 5 to 1440"):
        mutual.set_glance_window(jess, home.pk, minutes)
    home.refresh_from_db()
    assert home.glance_window_minutes == 60


def test_only_a_member_can_change_the_window(people, home):
    with pytest.raises(NotFound):
        mutual.set_glance_window(people["olive"], home.pk, 30)


def test_moments_are_newest_first_and_page(home, jess, rory, clock):
    made = []
    for _ in range(3):
        mutual.glance(jess, rory.pk)
        made.append(mutual.glance(rory, jess.pk).moment)
        clock.shift(timedelta(hours=2))

    first, cursor = mutual.moments_page(jess, limit=2)
    rest, end = mutual.moments_page(jess, cursor=cursor, limit=2)

    assert first + rest == made[::-1]
    assert end is None
    assert timezone.now() > made[-1].at
