"""A leave racing a seal-back or a glance-back: one happens wholly before the other, so no
pair ever opens halfway and no glance meets someone who has left. Real threads and
committed transactions, as in test_sealed_concurrency."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.homes import services as homes
from dear.homes.access import is_member
from dear.homes.models import Membership
from dear.letters.models import State
from dear.lib.errors import Invalid, NotFound
from dear.mutual import services as mutual
from dear.mutual.models import Glance, Moment
from tests.domain.test_sealed_concurrency import at_once
from tests.helpers import make_letter

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 8


def come_back(person, home, host) -> None:
    if not is_member(person, home):
        homes.accept_invite(person, homes.create_invite(host, home.pk).code)


def test_a_leave_racing_a_seal_back_opens_the_whole_pair_or_none_of_it(home, jess, rory):
    for round_ in range(ROUNDS):
        come_back(jess, home, rory)
        come_back(rory, home, jess)
        hers = mutual.seal(jess, make_letter(jess, rory, body=f"hers {round_}").pk).letter
        his = make_letter(rory, jess, body=f"his {round_}")
        leaver = jess if round_ % 2 else rory  # she who waits, or he who seals back

        def seal_back(h=his):
            try:
                return mutual.seal(rory, h.pk)
            except Invalid:
                return None  # the leave came first

        at_once(lambda who=leaver: homes.leave_home(who, home.pk), seal_back)

        hers.refresh_from_db()
        his.refresh_from_db()
        assert hers.opened_at == his.opened_at, f"round {round_}: half a pair opened"
        if hers.opened_at is None:
            assert hers.state == State.KEPT, round_
            assert his.state == State.DRAFT, round_
        else:
            assert Moment.objects.filter(first_letter=hers, second_letter=his).exists()


def test_a_leave_racing_a_glance_back_never_makes_a_moment_after_it(home, jess, rory):
    with time_machine.travel(timezone.now(), tick=True) as clock:
        for round_ in range(ROUNDS):
            come_back(jess, home, rory)
            mutual.glance(jess, rory.pk)

            def glance_back():
                try:
                    return mutual.glance(rory, jess.pk)
                except NotFound:
                    return None  # the leave came first

            _, glanced = at_once(lambda: homes.leave_home(jess, home.pk), glance_back)

            left_at = Membership.objects.filter(home=home, person=jess).latest("left_at").left_at
            if glanced is not None and glanced.mutual:
                assert glanced.moment.at <= left_at, round_
            assert not Glance.objects.filter(to=jess, moment__isnull=True).exists(), round_
            assert not Glance.objects.filter(by=jess, moment__isnull=True).exists(), round_
            clock.shift(timedelta(minutes=61))
