"""Sending what the outbox owes: each email at most once, whatever dies on the way.

A worker takes a lease on a few due notifications (a random token and an expiry, in one
short transaction), checks each again against how things are now, and hands the email
to the mail server. The row is marked sent, guarded by the token, in a transaction of
its own *before* the final "." that makes the server take the message
(``transport.Connection.send``). So a worker killed at any moment leaves each row
either pending, for another worker once the lease runs out, or sent: never sent twice.
A server that refuses the message after that commit gets it again later: the row goes
back to pending.

Log lines name notifications by id and kind, never what a letter says.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dear.letters.models import Delivery, Letter, State
from dear.lib import times
from dear.notify import emails, transport
from dear.notify.models import EmailChoices, Kind, Notification, Outcome

logger = logging.getLogger("dear.notify")

# After the first failed try, the next waits 1 minute, then 5, 30, 2 hours, 6, 12...
BACKOFF = tuple(
    timedelta(minutes=minutes) for minutes in (1, 5, 30, 2 * 60, 6 * 60, 12 * 60, 24 * 60)
)
MAX_ATTEMPTS = 8  # about two days of trying
CLAIM = 10  # notifications leased at a time: a dead worker delays no more than these
CHOICE = {Kind.LETTER: "letters", Kind.SEALED: "sealed", Kind.MOMENT: "moments"}

# Set when the worker is asked to stop: the email in hand is finished, the rest handed
# back at once rather than when their leases run out.
stopping = threading.Event()


@dataclass(frozen=True)
class Verdict:
    drop: str = ""  # why it will never be sent
    hold: datetime | None = None  # not yet: due again then


SEND = Verdict()


def send_due(now: datetime | None = None) -> int:
    """Send every notification that is due; answers how many the mail server took."""
    if not transport.configured():
        return 0
    clock: Callable[[], datetime] = (lambda: now) if now is not None else timezone.now
    sent = 0
    with _Mail() as mail:
        while not stopping.is_set():
            token, batch = _claim(clock())
            if not batch:
                break
            for index, notification in enumerate(batch):
                if stopping.is_set():
                    _hand_back(batch[index:], token)
                    break
                try:
                    sent += _deliver(notification, token, clock(), mail)
                except _Unreachable as exc:
                    for left in batch[index:]:
                        _retry(left, token, clock(), str(exc), committed=False)
                    return sent
    return sent


def _claim(now: datetime) -> tuple[str, list[Notification]]:
    token = secrets.token_hex(16)
    with transaction.atomic():
        due = Notification.objects.due(now).order_by("due_at", "pk")
        # On PostgreSQL two workers skip each other's rows; SQLite's IMMEDIATE
        # transactions already make one wait for the other, and then see its lease.
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:CLAIM])
        if not ids:
            return token, []
        Notification.objects.filter(pk__in=ids).update(
            lease_token=token,
            lease_until=now + timedelta(seconds=settings.EMAIL_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    held = Notification.objects.filter(pk__in=ids, lease_token=token)
    return token, list(
        held.select_related("recipient", "letter", "moment", "about").order_by("due_at", "pk")
    )


def _deliver(notification: Notification, token: str, now: datetime, mail: _Mail) -> int:
    if notification.attempts > MAX_ATTEMPTS:
        # Taken this often and never finished: each worker that tried died with it.
        _finish(notification, token, now, Outcome.FAILED, "Given up: no worker finished it.")
        return 0
    verdict = check(notification, now)
    if verdict.drop:
        _finish(notification, token, now, Outcome.DROPPED, verdict.drop)
        return 0
    if verdict.hold is not None:
        _hold(notification, token, verdict.hold)
        return 0
    try:
        message = emails.for_notification(notification)
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the others
        # The type only: an error's text could quote what a letter says.
        error = f"The email could not be made ({type(exc).__name__})."
        logger.error("notification %s (%s): %s", notification.pk, notification.kind, error)
        _retry(notification, token, now, error, committed=False)
        return 0

    committed = False

    def commit() -> bool:
        nonlocal committed
        with transaction.atomic():
            committed = (
                Notification.objects.filter(
                    pk=notification.pk, lease_token=token, outcome=Outcome.PENDING
                ).update(outcome=Outcome.SENT, done_at=now, lease_until=None, last_error="")
                == 1
            )
        return committed

    try:
        taken = mail.connection().send(message, commit=commit)
    except transport.Unanswered as exc:
        # The server may have the message: trying again could send it twice. At most
        # once wins, so it stays sent, with the doubt written down.
        Notification.objects.filter(pk=notification.pk, outcome=Outcome.SENT).update(
            last_error=str(exc)[:300]
        )
        logger.warning("notification %s (%s): %s", notification.pk, notification.kind, exc)
        return 1
    except transport.TemporaryFailure as exc:
        _retry(notification, token, now, str(exc), committed=committed)
        return 0
    except transport.PermanentFailure as exc:
        outcome = Outcome.SENT if committed else Outcome.PENDING
        _finish(notification, token, now, Outcome.FAILED, str(exc), was=outcome)
        return 0
    # Not taken: another worker has it now, or it stopped being owed meanwhile.
    return 1 if taken else 0


def check(notification: Notification, now: datetime) -> Verdict:
    """Whether ``notification`` should go now, judged on how things are at ``now``."""
    person = notification.recipient
    if not person.is_active:
        return Verdict(drop="Their account is disabled.")
    if not person.confirmed_email:
        return Verdict(drop="They have no confirmed address.")
    field = CHOICE.get(notification.kind)
    if field is not None:
        choices = EmailChoices.objects.filter(person=person).first() or EmailChoices()
        if not getattr(choices, field):
            return Verdict(drop="They turned these emails off.")
    if notification.kind == Kind.LETTER:
        verdict = _letter(notification, now)
    elif notification.kind in (Kind.SEALED, Kind.MOMENT):
        verdict = SEND if notification.moment_id else Verdict(drop="The moment is gone.")
    elif notification.kind == Kind.REMINDER:
        verdict = _reminder(notification, now)
    else:
        verdict = Verdict(drop=f"Nothing sends {notification.kind!r} emails.")
    if verdict != SEND:
        return verdict
    if times.in_quiet_hours(now, person.zone, person.quiet_from, person.quiet_until):
        return Verdict(hold=_quiet_end(person, now))
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

    for stretch in reminders.due(notification.recipient, now):
        if stretch.reminder.email and reminders.key(stretch) == notification.key:
            return SEND
    return Verdict(drop="They wrote to each other since, or the reminder was turned off.")


def _mine(notification: Notification, token: str, outcome: str = Outcome.PENDING):
    return Notification.objects.filter(pk=notification.pk, lease_token=token, outcome=outcome)


def _finish(notification, token, now, outcome, error, *, was=Outcome.PENDING) -> None:
    _mine(notification, token, was).update(
        outcome=outcome, done_at=now, lease_until=None, last_error=error[:300]
    )
    if outcome == Outcome.FAILED:
        logger.warning("notification %s (%s) failed: %s", notification.pk, notification.kind, error)


def _hold(notification: Notification, token: str, until: datetime) -> None:
    # Waiting for someone's morning is not a try: it does not count towards giving up.
    _mine(notification, token).update(
        due_at=until, lease_token="", lease_until=None, attempts=F("attempts") - 1
    )


def _hand_back(notifications: list[Notification], token: str) -> None:
    Notification.objects.filter(
        pk__in=[n.pk for n in notifications], lease_token=token, outcome=Outcome.PENDING
    ).update(lease_token="", lease_until=None, attempts=F("attempts") - 1)


def _retry(notification, token, now, error, *, committed: bool) -> None:
    """Try again after the backoff, or give up after the last try. ``committed``: the row
    was already marked sent when the server said no."""
    was = Outcome.SENT if committed else Outcome.PENDING
    if notification.attempts >= MAX_ATTEMPTS:
        _finish(notification, token, now, Outcome.FAILED, error, was=was)
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


class _Unreachable(Exception):
    """No session with the mail server: nothing in this batch can go now."""


class _Mail:
    """One SMTP session for a whole run, opened when the first email is ready."""

    def __init__(self) -> None:
        self._open = ExitStack()
        self._connection: transport.Connection | None = None

    def connection(self) -> transport.Connection:
        if self._connection is None:
            try:
                self._connection = self._open.enter_context(transport.connect())
            except (transport.TemporaryFailure, transport.PermanentFailure) as exc:
                raise _Unreachable(str(exc)) from None
        return self._connection

    def __enter__(self) -> _Mail:
        return self

    def __exit__(self, *exc_info) -> None:
        self._open.close()
