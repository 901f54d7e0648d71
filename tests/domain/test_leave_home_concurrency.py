"""A leave racing a seal-back, a glance-back or a send: one happens wholly before the
other, so no pair ever opens halfway, no glance meets someone who has left and no letter
goes to or from them. Real threads and committed transactions, as in
test_sealed_concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from dear.homes import services as homes
from dear.homes.access import is_member
from dear.homes.models import Membership
from dear.letters import services as letters
from dear.letters.models import State
from dear.letters.services import leaving, lifecycle
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


# The send-and-leave races below hold one side open at a chosen point until the other
# is waiting for a lock (or has finished without one), watched through pg_locks.
postgres_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="watches PostgreSQL's row locks; SQLite's IMMEDIATE transactions never overlap",
)


class Racer:
    """The other side of a race, as the side held open sees it."""

    def __init__(self) -> None:
        self.pid = None
        self.ready = threading.Event()
        self.done = threading.Event()

    def run(self, call):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
        self.ready.set()
        try:
            return call()
        finally:
            self.done.set()

    def wait_until_blocked_or_done(self) -> None:
        assert self.ready.wait(timeout=30), "the other side never started"
        for _ in range(3000):
            if self.done.wait(timeout=0.01):
                return
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)",
                    [self.pid],
                )
                if cursor.fetchone()[0]:
                    return
        raise AssertionError("the other side neither finished nor waited for a lock")


def later():
    # Well after the undo window: a letter on its way, which a leave sends back.
    return timezone.now() + timedelta(hours=1)


@postgres_only
@pytest.mark.parametrize("leaver", ["writer", "reader"])
def test_a_send_that_checked_the_members_before_a_leave_goes_back_to_the_drawer(
    home, jess, rory, monkeypatch, leaver
):
    letter = make_letter(jess, rory)
    who = jess if leaver == "writer" else rory
    checked = threading.Event()
    leave = Racer()
    letter_sent = lifecycle.notify.letter_sent

    def about_to_commit(sent):
        # The send has checked who is a member and is about to commit: the leave goes now.
        checked.set()
        leave.wait_until_blocked_or_done()
        letter_sent(sent)

    monkeypatch.setattr(lifecycle.notify, "letter_sent", about_to_commit)

    def leaves():
        assert checked.wait(timeout=30)
        return homes.leave_home(who, home.pk)

    sent, left = at_once(
        lambda: letters.send(jess, letter.pk, deliver_at=later()), lambda: leave.run(leaves)
    )

    assert sent.state == State.SENT  # it went first; the leave then sent it back
    letter.refresh_from_db()
    assert (letter.state, letter.sent_at, letter.deliver_at) == (State.KEPT, None, None)
    assert {d.delivered_at for d in letter.deliveries.all()} == {None}
    assert left.back_in_drawer == (1 if leaver == "writer" else 0)
    assert not is_member(who, home)


@postgres_only
@pytest.mark.parametrize(
    ("leaver", "message"),
    [
        ("writer", "You have left this letter's home"),
        ("reader", "Everyone a letter is to must still be a member of its home."),
    ],
)
def test_a_send_while_a_leave_is_under_way_waits_for_it_and_is_refused(
    home, jess, rory, monkeypatch, leaver, message
):
    letter = make_letter(jess, rory)
    who = jess if leaver == "writer" else rory
    holding = threading.Event()
    send = Racer()
    return_letters = leaving.return_letters

    def membership_locked(*args):
        # The leave holds the leaver's membership and has not looked at letters yet.
        holding.set()
        send.wait_until_blocked_or_done()
        return return_letters(*args)

    monkeypatch.setattr(leaving, "return_letters", membership_locked)

    def sends():
        assert holding.wait(timeout=30)
        try:
            return letters.send(jess, letter.pk, deliver_at=later())
        except Invalid as refused:
            return refused.message

    refused, _ = at_once(lambda: send.run(sends), lambda: homes.leave_home(who, home.pk))

    assert isinstance(refused, str) and refused.startswith(message)
    letter.refresh_from_db()
    assert (letter.state, letter.sent_at, letter.deliver_at) == (State.DRAFT, None, None)
    assert {d.delivered_at for d in letter.deliveries.all()} == {None}
