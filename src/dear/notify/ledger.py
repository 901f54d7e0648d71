"""What a worker writes down about a notification it holds, and whether it is still owed.

Shared by every way Dear tells people (email in ``outbox``, channels in ``pushes``): the
check at send time against how things are now, and the bookkeeping of a leased row —
marked sent, finished, held until someone's morning, handed back, or tried again after
a back-off. Every write is guarded by the lease token, so a worker that lost its lease
(it took too long, the letter was withdrawn, the row was owed anew) changes nothing.

Log lines name notifications by id and kind, never what a letter says.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from dear.letters.models import Delivery, Letter, State
from dear.lib import times
from dear.notify import channels
from dear.notify.models import EmailChoices, Kind, Notification, Outcome

logger = logging.getLogger("dear.notify")

# After the first failed try, the next waits 1 minute, then 5, 30, 2 hours, 6, 12...
BACKOFF = tuple(
    timedelta(minutes=minutes) for minutes in (1, 5, 30, 2 * 60, 6 * 60, 12 * 60, 24 * 60)
)
MAX_ATTEMPTS = 8  # about two days of trying
# The choice, on EmailChoices or a Channel, that turns each kind off. A reminder asks
# for email on the reminder itself; a channel has a choice of its own.
CHOICE = {Kind.LETTER: "letters", Kind.SEALED: "sealed", Kind.MOMENT: "moments"}
CHANNEL_CHOICE = {**CHOICE, Kind.REMINDER: "reminders"}


@dataclass(frozen=True)
class Verdict:
    drop: str = ""  # why it will never be sent
    hold: datetime | None = None  # not yet: due again then


SEND = Verdict()


def judge(notification: Notification, token: str, now: datetime) -> bool:
    """Whether the worker holding ``notification`` should send it now. If not, the row
    is already written down as given up, dropped or held."""
    if notification.attempts > MAX_ATTEMPTS:
        # Taken this often and never finished: each worker that tried died with it.
        finish(notification, token, now, Outcome.FAILED, "Given up: no worker finished it.")
        return False
    verdict = check(notification, now)
    if verdict.drop:
        finish(notification, token, now, Outcome.DROPPED, verdict.drop)
        return False
    if verdict.hold is not None:
        hold(notification, token, verdict.hold)
        return False
    return True


def check(notification: Notification, now: datetime) -> Verdict:
    """Whether ``notification`` should go now, judged on how things are at ``now``."""
    person = notification.recipient
    if not person.is_active:
        return Verdict(drop="Their account is disabled.")
    way = _channel(notification) if notification.channel_id else _email(notification)
    if way != SEND:
        return way
    if notification.kind == Kind.LETTER:
        verdict = _letter(notification, now)
    elif notification.kind in (Kind.SEALED, Kind.MOMENT):
        verdict = SEND if notification.moment_id else Verdict(drop="The moment is gone.")
    elif notification.kind == Kind.REMINDER:
        verdict = _reminder(notification, now)
    else:
        verdict = Verdict(drop=f"Nothing sends {notification.kind!r} notifications.")
    if verdict != SEND:
        return verdict
    if times.in_quiet_hours(now, person.zone, person.quiet_from, person.quiet_until):
        return Verdict(hold=_quiet_end(person, now))
    return SEND


def _email(notification: Notification) -> Verdict:
    person = notification.recipient
    if not person.confirmed_email:
        return Verdict(drop="They have no confirmed address.")
    field = CHOICE.get(notification.kind)
    if field is not None:
        choices = EmailChoices.objects.filter(person=person).first() or EmailChoices()
        if not getattr(choices, field):
            return Verdict(drop="They turned these emails off.")
    return SEND


def _channel(notification: Notification) -> Verdict:
    channel = notification.channel
    if channel is None or channel.person_id != notification.recipient_id:
        return Verdict(drop="The channel is gone.")
    if channel.gone_at is not None:
        return Verdict(drop="The push service says this device is gone.")
    if channels.session_ended(channel):
        # Whoever uses that browser now is not told of the letters of the one who left.
        channels.forget_session(channel.session_key)
        return Verdict(drop="That browser is no longer signed in.")
    field = CHANNEL_CHOICE.get(notification.kind)
    if field is not None and not getattr(channel, field):
        return Verdict(drop="They turned these off for this channel.")
    return SEND


def _quiet_end(person, at: datetime) -> datetime:
    return times.quiet_end(at, person.zone, person.quiet_from, person.quiet_until)


def _letter(notification: Notification, now: datetime) -> Verdict:
    letter, person = notification.letter, notification.recipient
    if letter is None:
        return Verdict(drop="The letter is gone.")
    if letter.place_id is not None:
        return Verdict(drop="A note is found, not announced.")
    if letter.state != State.SENT:
        return Verdict(drop="The letter went back to the drawer.")
    arrives = (
        Delivery.objects.filter(letter=letter, recipient=person)
        .values_list("delivered_at", flat=True)
        .first()
    )
    if arrives is not None and arrives > now:
        return Verdict(hold=_quiet_end(person, arrives))
    if not Letter.objects.received_by(person, now).filter(pk=letter.pk).exists():
        return Verdict(drop="The letter is no longer theirs to read.")
    return SEND


def _reminder(notification: Notification, now: datetime) -> Verdict:
    from dear.notify import reminders

    by_email = notification.channel_id is None
    for stretch in reminders.due(notification.recipient, now):
        if (stretch.reminder.email or not by_email) and reminders.key(stretch) == notification.key:
            return SEND
    return Verdict(drop="They wrote to each other since, or the reminder was turned off.")


def _mine(notification: Notification, token: str, outcome: str = Outcome.PENDING):
    return Notification.objects.filter(pk=notification.pk, lease_token=token, outcome=outcome)


def mark_sent(notification: Notification, token: str, now: datetime) -> bool:
    """Written down as sent before it goes out, in a transaction of its own: a worker
    killed after this never sends it again. False: the row is no longer this worker's."""
    with transaction.atomic():
        return (
            _mine(notification, token).update(
                outcome=Outcome.SENT, done_at=now, lease_until=None, last_error=""
            )
            == 1
        )


def doubt(notification: Notification, error: str) -> None:
    """Sent, as far as anyone can tell: the answer never came back."""
    Notification.objects.filter(pk=notification.pk, outcome=Outcome.SENT).update(
        last_error=error[:300]
    )
    logger.warning("notification %s (%s): %s", notification.pk, notification.kind, error)


def finish(notification, token, now, outcome, error, *, was=Outcome.PENDING) -> None:
    _mine(notification, token, was).update(
        outcome=outcome, done_at=now, lease_until=None, last_error=error[:300]
    )
    if outcome == Outcome.FAILED:
        logger.warning("notification %s (%s) failed: %s", notification.pk, notification.kind, error)


def hold(notification: Notification, token: str, until: datetime) -> None:
    # Waiting for someone's morning is not a try: it does not count towards giving up.
    _mine(notification, token).update(
        due_at=until, lease_token="", lease_until=None, attempts=F("attempts") - 1
    )


def hand_back(notifications: list[Notification], token: str) -> None:
    Notification.objects.filter(
        pk__in=[n.pk for n in notifications], lease_token=token, outcome=Outcome.PENDING
    ).update(lease_token="", lease_until=None, attempts=F("attempts") - 1)


def retry(notification, token, now, error, *, committed: bool) -> None:
    """Try again after the backoff, or give up after the last try. ``committed``: the row
    was already marked sent when the server said no."""
    was = Outcome.SENT if committed else Outcome.PENDING
    if notification.attempts >= MAX_ATTEMPTS:
        finish(notification, token, now, Outcome.FAILED, error, was=was)
        return
    wait = BACKOFF[min(notification.attempts, len(BACKOFF)) - 1]
    _mine(notification, token, was).update(
        outcome=Outcome.PENDING,
        due_at=now + wait,
        done_at=None,
        lease_token="",
        lease_until=None,
        last_error=error[:300],
    )
    logger.warning(
        "notification %s (%s) not sent, trying again in %s: %s",
        notification.pk,
        notification.kind,
        wait,
        error,
    )
