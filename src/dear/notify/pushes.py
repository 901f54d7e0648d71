"""Sending what the outbox owes through a person's channels: a push app through Apprise,
a browser through Web Push.

Neither speaks in two steps as SMTP does (``transport.Connection.send``), so the row is
marked sent, guarded by the lease, in a transaction of its own *before* the request
goes out. A worker killed after that never sends it again; one killed before leaves it
pending for the next. At most once, as for email. A temporary failure puts the row back
to pending for a later try; a permanent one ends it; a push service saying the
subscription is gone ends the channel too.

What a notification says: "A letter from Jess", with the letter's words only for a
channel whose owner chose words, cut to fit what a push carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dear.letters import seen
from dear.notify import channels, ledger, pushapps, reminders, transport
from dear.notify.models import Channel, ChannelKind, Kind, Notification, Outcome

# A letter's words, cut to this many characters: a push carries about 4 KB in all.
MOST_WORDS = 1500
# How long a push service keeps a notification for a device that is off.
TTL_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Message:
    title: str
    body: str  # the words, only when chosen; else empty
    path: str  # where in Dear it opens: "/letters/<id>"

    def payload(self) -> dict:
        """What a browser's service worker is given (Web Push)."""
        return {"title": self.title, "body": self.body, "url": self.path}

    def text(self) -> str:
        """The body a push app shows: the words if chosen, then the way to Dear."""
        link = (
            f"Open it in Dear: {settings.PUBLIC_URL.rstrip('/')}{self.path}"
            if settings.PUBLIC_URL
            else "Open Dear to read it."
        )
        return f"{self.body}\n\n{link}" if self.body else link


def deliver(notification: Notification, token: str, now: datetime) -> int:
    """Send one leased notification through its channel; 1 when it went out."""
    if not ledger.judge(notification, token, now):
        return 0
    channel = notification.channel
    try:
        message = for_notification(notification)
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the others
        error = f"The notification could not be made ({type(exc).__name__})."
        ledger.logger.error("notification %s (%s): %s", notification.pk, notification.kind, error)
        ledger.retry(notification, token, now, error, committed=False)
        return 0
    if not ledger.mark_sent(notification, token, now):
        return 0  # another worker has it now, or it stopped being owed meanwhile
    try:
        _send(channel, message)
    except transport.Unanswered as exc:
        ledger.doubt(notification, str(exc))
    except transport.TemporaryFailure as exc:
        _went_wrong(channel, str(exc))
        ledger.retry(notification, token, now, str(exc), committed=True)
        return 0
    except transport.PermanentFailure as exc:
        if _is_gone(channel, exc):
            channels.mark_gone(channel.pk, now, str(exc))
        else:
            _went_wrong(channel, str(exc))
        ledger.finish(notification, token, now, Outcome.FAILED, str(exc), was=Outcome.SENT)
        return 0
    Channel.objects.filter(pk=channel.pk).update(last_sent_at=now, last_error="")
    return 1


def _send(channel: Channel, message: Message) -> None:
    if channel.kind == ChannelKind.APPRISE:
        pushapps.send(channel.secret, title=message.title, body=message.text())
        return
    from dear.notify import webpush

    webpush.send(channels.subscription_of(channel), message.payload(), ttl=TTL_SECONDS)


def _is_gone(channel: Channel, exc: Exception) -> bool:
    if channel.kind != ChannelKind.WEBPUSH:
        return False
    from dear.notify import webpush

    return isinstance(exc, webpush.Gone)


def _went_wrong(channel: Channel, error: str) -> None:
    Channel.objects.filter(pk=channel.pk).update(last_error=error[:300])


def for_notification(notification: Notification) -> Message:
    builders = {
        Kind.LETTER: _letter,
        Kind.SEALED: _sealed,
        Kind.MOMENT: _moment,
        Kind.REMINDER: _reminder,
    }
    return builders[Kind(notification.kind)](notification)


def _words(shown) -> str:
    words = "\n\n".join(part for part in (shown.salutation, shown.body, shown.closing) if part)
    return words if len(words) <= MOST_WORDS else words[: MOST_WORDS - 1].rstrip() + "…"


def _letter(notification: Notification) -> Message:
    person = notification.recipient
    # The letter as its reader sees it in Dear (letters/seen.py), never more.
    shown = None
    if notification.channel.words:
        shown = next(iter(seen.by_ids(person, [notification.letter_id])), None)
    return Message(
        title=f"A letter from {notification.letter.writer.display_name}",
        body=_words(shown) if shown is not None else "",
        path=reverse("web:letter", args=[notification.letter_id]),
    )


def _sealed(notification: Notification) -> Message:
    moment, person = notification.moment, notification.recipient
    other = moment.other(person)
    theirs = moment.first_letter if moment.first_id == other.pk else moment.second_letter
    path = reverse("web:letter", args=[theirs.pk]) if theirs else reverse("web:moments")
    return Message(
        title=f"Your sealed letters opened: {other.display_name}'s is here",
        body="",
        path=path,
    )


def _moment(notification: Notification) -> Message:
    other = notification.moment.other(notification.recipient)
    return Message(
        title=f"You and {other.display_name} looked up at the same time",
        body="",
        path=reverse("web:moments"),
    )


def _reminder(notification: Notification) -> Message:
    other = notification.about
    days = max((timezone.now() - reminders.since_of(notification)).days, 0)
    return Message(
        title=reminders.sentence(days, other.display_name),
        body="",
        path=reverse("web:correspondence", args=[other.pk]),
    )
