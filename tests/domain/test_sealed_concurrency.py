"""Two people sealing (or glancing) at the same instant meet exactly once: never twice,
never not at all. Real threads, each with its own database connection, started together
by a barrier; committed transactions, so the database's own locking is what is tested
(IMMEDIATE transactions on SQLite, the pair's advisory lock on PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from dear.letters.models import Letter, State
from dear.mutual import services as mutual
from dear.mutual.models import Glance, Kind, Moment
from tests.helpers import make_letter

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 12


def at_once(*calls):
    """Run each call in its own thread, all released at the same moment; their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    assert errors == []
    return results


def test_two_people_sealing_at_the_same_instant_open_exactly_one_pair(home, jess, rory):
    for round_ in range(ROUNDS):
        hers = make_letter(jess, rory, body=f"hers {round_}")
        his = make_letter(rory, jess, body=f"his {round_}")

        results = at_once(
            lambda h=hers: mutual.seal(jess, h.pk),
            lambda h=his: mutual.seal(rory, h.pk),
        )

        moments = [result.moment for result in results if result.moment is not None]
        assert len(moments) == 1, f"round {round_}: {len(moments)} pairs opened"
        hers.refresh_from_db()
        his.refresh_from_db()
        assert hers.opened_at is not None and hers.opened_at == his.opened_at
        assert {moments[0].first_letter_id, moments[0].second_letter_id} == {hers.pk, his.pk}
    assert Moment.objects.filter(kind=Kind.SEALED).count() == ROUNDS


def test_three_letters_each_way_sealed_at_once_open_as_exactly_three_pairs(home, jess, rory):
    hers = [make_letter(jess, rory, body=f"hers {n}") for n in range(3)]
    his = [make_letter(rory, jess, body=f"his {n}") for n in range(3)]

    calls = [lambda h=h: mutual.seal(jess, h.pk) for h in hers]
    calls += [lambda h=h: mutual.seal(rory, h.pk) for h in his]
    at_once(*calls)

    assert Moment.objects.count() == 3
    sealed = Letter.objects.filter(state=State.SEALED)
    assert sealed.count() == 6
    assert not sealed.filter(opened_at__isnull=True).exists()
    paired = Moment.objects.values_list("first_letter", "second_letter")
    assert {pk for pair in paired for pk in pair} == {one.pk for one in hers + his}


def test_a_withdrawal_racing_a_seal_back_either_opens_the_pair_or_leaves_nothing_open(
    home, jess, rory
):
    from dear.letters import services as letters
    from dear.lib.errors import Conflict

    for round_ in range(ROUNDS):
        hers = mutual.seal(jess, make_letter(jess, rory, body=f"hers {round_}").pk).letter
        his = make_letter(rory, jess, body=f"his {round_}")

        def withdraw(h=hers):
            try:
                return letters.withdraw(jess, h.pk)
            except Conflict:
                return None  # it had already opened

        withdrawn, sealing = at_once(withdraw, lambda h=his: mutual.seal(rory, h.pk))

        hers.refresh_from_db()
        if withdrawn is None:
            assert sealing.moment is not None and hers.opened_at is not None
        else:
            assert sealing.moment is None
            assert hers.state == State.KEPT and hers.opened_at is None
            mutual.seal(jess, hers.pk)  # seal it again: now it meets his
            hers.refresh_from_db()
            assert hers.opened_at is not None


def test_two_people_glancing_at_the_same_instant_share_exactly_one_moment(home, jess, rory):
    with time_machine.travel(timezone.now(), tick=True) as clock:
        for round_ in range(ROUNDS):
            results = at_once(
                lambda: mutual.glance(jess, rory.pk), lambda: mutual.glance(rory, jess.pk)
            )

            assert sorted(result.mutual for result in results) == [False, True], round_
            clock.shift(timedelta(minutes=61))
    assert Moment.objects.filter(kind=Kind.GLANCE).count() == ROUNDS
    assert not Glance.objects.filter(moment__isnull=True).exists()


def test_one_person_glancing_twice_at_once_is_counted_once(home, jess, rory):
    from dear.lib.errors import RateLimited

    def glance():
        try:
            return mutual.glance(jess, rory.pk)
        except RateLimited:
            return "refused"

    results = at_once(glance, glance, glance)

    assert results.count("refused") == 2
    assert Glance.objects.count() == 1
