"""Quiet reminders: "Nine days since you and Rory wrote."

A person may ask, per housemate, to be told when ``after_days`` pass without a letter
between them. The quiet stretch starts at the last letter between the two that reached its
reader, either way, or when the reminder was set if that is later. Only what the person
asking may see counts (rules 1–3): a draft, a letter still on its way, a sealed letter
that has not opened (blind or told) and a note nobody has found change nothing, and a note
of theirs counts from its finding only when receipts would show them that finding, so a
reminder never tells more than the letters themselves do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dear.accounts.models import Person
from dear.homes.access import housemate
from dear.homes.models import Membership
from dear.letters.models import Letter
from dear.lib import times, words
from dear.lib.errors import Invalid
from dear.notify import transport
from dear.notify.models import Channel, Kind, Notification, Reminder

DEFAULT_DAYS = 7
MIN_DAYS, MAX_DAYS = 1, 365


@dataclass(frozen=True)
class Stretch:
    """The quiet between ``reminder.person`` and ``reminder.other`` as it stands now."""

    reminder: Reminder
    since: datetime  # the last letter between them that reached its reader, or the setting
    days: int  # whole days since

    @property
    def other(self) -> Person:
        return self.reminder.other

    @property
    def due(self) -> bool:
        return self.days >= self.reminder.after_days

    @property
    def line(self) -> str:
        return sentence(self.days, self.other.display_name)


def sentence(days: int, name: str) -> str:
    """The reminder in words: "Nine days since you and Rory wrote." (the page and email)."""
    said = words.days(days)
    return f"{said[0].upper()}{said[1:]} since you and {name} wrote."


def _clean_days(after_days) -> int:
    value = None
    if isinstance(after_days, int) and not isinstance(after_days, bool):
        value = after_days
    elif isinstance(after_days, str) and re.fullmatch(r"[0-9]{1,3}", after_days.strip()):
        # Plain digits only: str.isdigit() also takes "²", which int() refuses.
        value = int(after_days.strip())
    if value is None or not MIN_DAYS <= value <= MAX_DAYS:
        raise Invalid(
            f"Remind after a whole number of days from {MIN_DAYS} to {MAX_DAYS} (a year)."
        )
    return value


def set_reminder(person, other_id, *, after_days=DEFAULT_DAYS, email: bool | None = False):
    """Remind ``person`` after ``after_days`` of quiet with ``other_id``; set again to
    change it. ``email=None`` keeps the email choice as it was (off for a new one). The
    stretch keeps its start: changing the days does not restart the count."""
    other = housemate(person, other_id)
    days = _clean_days(after_days)
    defaults: dict = {"after_days": days}
    if email is not None:
        defaults["email"] = bool(email)
    reminder, _ = Reminder.objects.update_or_create(person=person, other=other, defaults=defaults)
    reminder.other = other
    return reminder


def clear_reminder(person, other_id) -> Person:
    """Stop reminding; nothing to stop is fine, but only for a current housemate."""
    other = housemate(person, other_id)
    Reminder.objects.filter(person=person, other=other).delete()
    return other


def _reached(letters: QuerySet) -> QuerySet:
    # received_by joined the reader's delivery: a note reached them when they found it.
    return letters.annotate(reached=Coalesce(F("deliveries__found_at"), F("arrived_at")))


def _last_letters(reminders: QuerySet, now: datetime) -> QuerySet:
    """``reminders`` (of any people) annotated with the last letter each way that reached
    its reader as the reminder's person may know it: ``last_in`` and ``last_out``. Two
    correlated subqueries, so a page costs one query however many reminders or letters."""
    incoming = _reached(
        Letter.objects.received_by(OuterRef("person"), now).filter(writer=OuterRef("other"))
    )
    # Their own letters reached the other person: they know a letter was delivered (it
    # left their hands), but a note's finding only through receipts (letters.receipts).
    outgoing = (
        _reached(
            Letter.objects.received_by(OuterRef("other"), now).filter(writer=OuterRef("person"))
        )
        .annotate(
            found=F("deliveries__found_at"),
            their_receipts=F("deliveries__recipient__receipts"),
            their_since=F("deliveries__recipient__receipts_since"),
            my_receipts=F("writer__receipts"),
            my_since=F("writer__receipts_since"),
        )
        .filter(
            Q(place__isnull=True)
            | (
                Q(my_receipts=True, their_receipts=True)
                & (Q(my_since__isnull=True) | Q(found__gte=F("my_since")))
                & (Q(their_since__isnull=True) | Q(found__gte=F("their_since")))
            )
        )
    )
    # Someone who left every home they shared is nobody's housemate: their reminder sleeps.
    theirs = Membership.objects.current().filter(person=OuterRef(OuterRef("person")))
    shared = (
        Membership.objects.current()
        .filter(person=OuterRef("other"))
        .filter(home_id__in=theirs.values("home_id"))
    )
    return reminders.filter(Exists(shared)).annotate(
        last_in=Subquery(incoming.order_by("-reached").values("reached")[:1]),
        last_out=Subquery(outgoing.order_by("-reached").values("reached")[:1]),
    )


def _stretch(reminder: Reminder, now: datetime) -> Stretch:
    letters = (reminder.last_in, reminder.last_out)  # type: ignore[attr-defined]
    since = max([reminder.created_at, *(t for t in letters if t is not None)])
    return Stretch(reminder=reminder, since=since, days=max(0, (now - since) // timedelta(days=1)))


def stretches(person, now: datetime | None = None) -> list[Stretch]:
    """Every reminder ``person`` set with a current housemate, with its quiet so far,
    ordered by name. One query."""
    now = now or timezone.now()
    mine = Reminder.objects.filter(person=person).select_related("other")
    found = _last_letters(mine, now).order_by("other__display_name", "other__id")
    return [_stretch(reminder, now) for reminder in found]


def stretch_with(person, other, now: datetime | None = None) -> Stretch | None:
    """The reminder ``person`` set about ``other`` and its quiet so far, if they set one.
    One query."""
    now = now or timezone.now()
    mine = Reminder.objects.filter(person=person, other=other).select_related("other")
    found = _last_letters(mine, now).first()
    return _stretch(found, now) if found is not None else None


def due(person, now: datetime | None = None) -> list[Stretch]:
    """The quiet stretches long enough to mention: one gentle line each on the home page."""
    return [stretch for stretch in stretches(person, now) if stretch.due]


def key(stretch: Stretch) -> str:
    """Once per quiet stretch: a letter between them starts a new one, with a new key."""
    return f"{stretch.reminder.other_id}:{stretch.since.isoformat()}"


def since_of(notification: Notification) -> datetime:
    """When the quiet stretch a reminder notification is about began (for its email)."""
    return datetime.fromisoformat(notification.key.split(":", 1)[1])


def queue_due(now: datetime | None = None) -> int:
    """Owe a notification for every reminder that is due, once per quiet stretch and way:
    by email when the reminder asks for it (with a mail server configured and a confirmed
    address), and through each channel of the person's that tells of reminders. Held
    until their quiet hours end; the outbox sends it. Returns how many were new."""
    now = now or timezone.now()
    email = transport.configured()
    ways = Q(
        Exists(
            Channel.objects.filter(person=OuterRef("person"), reminders=True, gone_at__isnull=True)
        )
    )
    if email:
        ways |= Q(email=True, person__email_confirmed_at__isnull=False) & ~Q(person__email="")
    wanted = (
        Reminder.objects.filter(person__is_active=True)
        .filter(ways)
        .select_related("person", "other")
    )
    due = [
        (reminder, stretch)
        for reminder in _last_letters(wanted, now).order_by("pk")
        if (stretch := _stretch(reminder, now)).due
    ]
    channels: dict = {}
    for person_id, channel_id in Channel.objects.filter(
        person_id__in={reminder.person_id for reminder, _ in due},
        reminders=True,
        gone_at__isnull=True,
    ).values_list("person_id", "pk"):
        channels.setdefault(person_id, []).append(channel_id)
    made = 0
    for reminder, stretch in due:
        person = reminder.person
        by_email = email and reminder.email and bool(person.confirmed_email)
        for channel in ([None] if by_email else []) + channels.get(person.pk, []):
            _, created = Notification.objects.get_or_create(
                recipient=person,
                kind=Kind.REMINDER,
                key=key(stretch),
                channel_id=channel,
                defaults={
                    "about": reminder.other,
                    "due_at": times.quiet_end(
                        now, person.zone, person.quiet_from, person.quiet_until
                    ),
                },
            )
            made += created
    return made
