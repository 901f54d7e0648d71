"""The notifications Dear owes, by email and through each person's channels, written
down where the thing they tell of happens.

Each hook runs inside the transaction that sends a letter, takes one back or makes a
moment, so the email owed (a ``Notification``, the outbox) commits or rolls back with
it. After the commit a task wakes a worker at the due time. The row is the record, not
the task: a worker killed mid-task leaves its task row running forever, and the sweep
every worker runs each minute (``tasks.sweep``) sends what is due whatever became of
the tasks. ``outbox.send_due`` checks everything again before it sends.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dear.letters.models import Letter, State
from dear.lib import times
from dear.notify import transport
from dear.notify.ledger import CHOICE
from dear.notify.models import Channel, Kind, Notification, Outcome


def letter_sent(letter: Letter) -> None:
    """``letter`` was just sent: each recipient is owed "A letter from … is waiting" once
    it reaches them, held until their quiet hours end: by email, and through each of
    their channels that tells of letters. A note left at a place sends none (it is meant
    to be found); a sealed letter none either (its pair's opening does).

    Owed by email to everyone it is for, address or not: someone who confirms an address
    before a letter scheduled for them arrives gets its email. The outbox drops the rest."""
    if letter.place_id is not None or letter.state != State.SENT:
        return
    deliveries = [
        delivery
        for delivery in letter.deliveries.select_related("recipient")
        if delivery.delivered_at is not None
    ]
    ways = _ways([delivery.recipient_id for delivery in deliveries], "letters")
    due = set()
    for delivery in deliveries:
        for channel in ways.get(delivery.recipient_id, ()):
            due.add(
                _owe(
                    delivery.recipient,
                    Kind.LETTER,
                    letter.pk,
                    delivery.delivered_at,
                    channel=channel,
                    letter=letter,
                )
            )
    _wake(due)


def letter_withdrawn(letter: Letter) -> None:
    """``letter`` went back to the drawer: nothing about it is owed any more. A worker
    holding one of these loses it too: its lease no longer matches a pending row."""
    Notification.objects.filter(
        kind=Kind.LETTER, key=str(letter.pk), outcome=Outcome.PENDING
    ).update(
        outcome=Outcome.DROPPED,
        done_at=timezone.now(),
        lease_token="",
        lease_until=None,
        last_error="The letter went back to the drawer.",
    )


def pair_opened(moment) -> None:
    """Two sealed letters opened together: both people are told."""
    _tell_both(moment, Kind.SEALED)


def moment_made(moment) -> None:
    """Two glances met: both people are told."""
    _tell_both(moment, Kind.MOMENT)


def _tell_both(moment, kind: str) -> None:
    people = ((moment.first, moment.second), (moment.second, moment.first))
    ways = _ways([person.pk for person, _ in people], CHOICE[kind])
    due = set()
    for person, other in people:
        for channel in ways.get(person.pk, ()):
            told = {"moment": moment, "about": other}
            due.add(_owe(person, kind, moment.pk, moment.at, channel=channel, **told))
    _wake(due)


def _ways(person_ids: list, choice: str) -> dict:
    """How each of these people is told of something their ``choice`` covers: email
    (``None``) when a mail server is configured, and each channel with that choice on
    that the push service has not called gone. One query."""
    ways: dict = {pk: [None] if transport.configured() else [] for pk in person_ids}
    found = Channel.objects.filter(
        person_id__in=person_ids, gone_at__isnull=True, **{choice: True}
    ).values_list("person_id", "pk")
    for person_id, channel_id in found.order_by("created_at", "pk"):
        ways[person_id].append(channel_id)
    return ways


def _owe(person, kind: str, key, at: datetime, *, channel=None, **about) -> datetime:
    """Owe ``person`` one notification of ``kind`` about ``key`` by email (``channel``
    None) or through that channel, due at ``at`` or when their quiet hours end. A letter
    sent again after a withdrawal finds its old row and makes it owed again; a row
    already sent stays sent, so nobody is told twice."""
    due_at = times.quiet_end(at, person.zone, person.quiet_from, person.quiet_until)
    row, created = Notification.objects.get_or_create(
        recipient=person,
        kind=kind,
        key=str(key),
        channel_id=channel,
        defaults={"due_at": due_at, **about},
    )
    if not created and row.outcome != Outcome.SENT:
        # A new lease token of nobody's: a worker still holding the old row cannot
        # finish it, whatever it decided about the letter as it was.
        Notification.objects.filter(pk=row.pk).exclude(outcome=Outcome.SENT).update(
            outcome=Outcome.PENDING,
            due_at=due_at,
            attempts=0,
            lease_token="",
            lease_until=None,
            done_at=None,
            last_error="",
            **about,
        )
    return due_at


def _wake(due: set[datetime]) -> None:
    if not due:
        return
    # Here, not at the top: sending a letter needs none of the mail machinery behind the
    # tasks (the outbox, the email builder) unless there is email to send.
    from dear.notify import tasks

    # robust: a wake-up that cannot be queued must not turn a letter sent into an error
    # page; the next sweep sends the email all the same.
    transaction.on_commit(lambda: tasks.wake_at(sorted(due)), robust=True)
