"""Sending what the outbox owes: each notification at most once, whatever dies on the way.

Emails go out here; notifications through a person's channels in ``pushes``, with the
same lease and the same bookkeeping (``ledger``).

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

import secrets
import threading
from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dear.notify import emails, ledger, pushes, transport
from dear.notify.ledger import MAX_ATTEMPTS, check
from dear.notify.models import Notification, Outcome

__all__ = ["MAX_ATTEMPTS", "check", "send_due", "stopping"]

CLAIM = 10  # notifications leased at a time: a dead worker delays no more than these

# Set when the worker is asked to stop: the notification in hand is finished, the rest
# handed back at once rather than when their leases run out.
stopping = threading.Event()


def send_due(now: datetime | None = None) -> int:
    """Send every notification that is due; answers how many went out. Emails only when
    a mail server is configured; a person's channels whatever the email setup."""
    clock: Callable[[], datetime] = (lambda: now) if now is not None else timezone.now
    sent = 0
    email = transport.configured()
    with _Mail() as mail:
        while not stopping.is_set():
            token, batch = _claim(clock(), email=email)
            if not batch:
                break
            for index, notification in enumerate(batch):
                if stopping.is_set():
                    ledger.hand_back(batch[index:], token)
                    break
                if notification.channel_id is not None:
                    sent += pushes.deliver(notification, token, clock())
                    continue
                if not email:
                    continue  # handed back below when the mail server went away
                try:
                    sent += _deliver(notification, token, clock(), mail)
                except _Unreachable as exc:
                    # Nothing more by email this run; the channels need no mail server.
                    email = False
                    for left in batch[index:]:
                        if left.channel_id is None:
                            ledger.retry(left, token, clock(), str(exc), committed=False)
    return sent


def _claim(now: datetime, *, email: bool = True) -> tuple[str, list[Notification]]:
    token = secrets.token_hex(16)
    with transaction.atomic():
        due = Notification.objects.due(now).order_by("due_at", "pk")
        if not email:
            due = due.filter(channel__isnull=False)
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
    held = held.select_related("recipient", "letter", "moment", "about", "channel")
    return token, list(held.order_by("due_at", "pk"))


def _deliver(notification: Notification, token: str, now: datetime, mail: _Mail) -> int:
    if not ledger.judge(notification, token, now):
        return 0
    try:
        message = emails.for_notification(notification)
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the others
        # The type only: an error's text could quote what a letter says.
        error = f"The email could not be made ({type(exc).__name__})."
        ledger.logger.error("notification %s (%s): %s", notification.pk, notification.kind, error)
        ledger.retry(notification, token, now, error, committed=False)
        return 0

    committed = False

    def commit() -> bool:
        nonlocal committed
        committed = ledger.mark_sent(notification, token, now)
        return committed

    try:
        taken = mail.connection().send(message, commit=commit)
    except transport.Unanswered as exc:
        # The server may have the message: trying again could send it twice. At most
        # once wins, so it stays sent, with the doubt written down.
        ledger.doubt(notification, str(exc))
        return 1
    except transport.TemporaryFailure as exc:
        ledger.retry(notification, token, now, str(exc), committed=committed)
        return 0
    except transport.PermanentFailure as exc:
        outcome = Outcome.SENT if committed else Outcome.PENDING
        ledger.finish(notification, token, now, Outcome.FAILED, str(exc), was=outcome)
        return 0
    # Not taken: another worker has it now, or it stopped being owed meanwhile.
    return 1 if taken else 0


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
