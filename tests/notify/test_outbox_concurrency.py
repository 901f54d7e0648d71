"""Two workers emptying the outbox at the same instant send each email once: never twice,
never not at all. Real threads, each with its own database connection and its own SMTP
session, released together by a barrier, on committed data, so what is tested is the
database's own locking (IMMEDIATE transactions on SQLite, SKIP LOCKED on PostgreSQL)
and the lease token that guards the commit."""

from __future__ import annotations

from collections import Counter

import pytest
import time_machine

from dear.notify import outbox
from dear.notify.models import Notification, Outcome
from tests.domain.test_sealed_concurrency import at_once
from tests.helpers import make_letter, make_person, send_now
from tests.notify.people import NOON, reachable

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3
LETTERS = 25


@pytest.fixture
def readers(mailbox, home, rory, sam):
    from dear.homes.models import Membership

    people = [reachable(rory), reachable(sam)]
    for n in range(3):
        person = reachable(make_person(f"reader{n}"))
        Membership.objects.create(home=home, person=person)
        people.append(person)
    return people


def test_two_workers_at_once_send_each_email_exactly_once(mailbox, jess, readers):
    with time_machine.travel(NOON, tick=False):
        for round_ in range(ROUNDS):
            for n in range(LETTERS):
                send_now(make_letter(jess, readers[n % len(readers)], body=f"{round_}.{n}"))
            pending = set(Notification.objects.filter(outcome=Outcome.PENDING).values_list("pk"))

            counts = at_once(outbox.send_due, outbox.send_due, outbox.send_due)

            assert sum(counts) == len(pending) == LETTERS, round_
    assert len(mailbox.messages) == ROUNDS * LETTERS
    assert Notification.objects.exclude(outcome=Outcome.SENT).count() == 0
    assert one_email_per_letter(mailbox.messages)


def one_email_per_letter(messages) -> bool:
    """Each owed letter email reached its reader in exactly one message (its link names
    the letter)."""
    owed = {
        str(row.letter_id): row.recipient.confirmed_email
        for row in Notification.objects.select_related("recipient")
    }
    seen: Counter = Counter()
    for message in messages:
        (letter,) = [letter for letter in owed if letter in message.text()]
        assert message.envelope_to == [owed[letter]]
        seen[letter] += 1
    return seen == Counter(dict.fromkeys(owed, 1))
