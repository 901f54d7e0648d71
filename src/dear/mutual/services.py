"""Sealed letters and glances: two ways to meet halfway, so neither has to go first.

The only code that changes glances and moments, and the only code that seals a letter.
Rules 3 and 8 of DESIGN.md live here. Each change that decides whether two people meet
holds their pair lock (``locks.lock_pair``) for its whole transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dear.homes.access import home_for_member
from dear.homes.models import Home
from dear.letters import services as letters
from dear.letters.access import letter_for_writer
from dear.letters.models import Letter, State
from dear.lib import cursor as cursors
from dear.lib.errors import Invalid, NotFound, RateLimited
from dear.mutual.access import housemate, moments_of, shared_home
from dear.mutual.locks import lock_pair
from dear.mutual.models import Glance, Kind, Moment
from dear.notify import services as notify

WINDOW_MINUTES = (5, 24 * 60)
PAGE_SIZE = 50


@dataclass
class Sealed:
    letter: Letter
    moment: Moment | None  # set when sealing it opened a pair


@dataclass
class Glanced:
    mutual: bool
    moment: Moment | None
    other: object  # the person glanced at
    window: str  # the home's window, in words


def _waiting(writer, reader, home):
    """Sealed letters from ``writer`` to ``reader`` in ``home`` that have not opened."""
    return Letter.objects.filter(
        home=home,
        writer=writer,
        state=State.SEALED,
        opened_at__isnull=True,
        deliveries__recipient=reader,
    ).order_by("sent_at", "pk")


def seal(writer, letter_id, *, blind: bool = False) -> Sealed:
    """Seal a letter to its one recipient. If they have sealed one back to ``writer`` that
    has not opened, the oldest unopened letter each way opens now, both in this
    transaction, and the two of them share a moment."""
    recipient = letters.sole_recipient(letter_for_writer(writer, letter_id))
    with transaction.atomic():
        lock_pair(writer, recipient)
        now = timezone.now()
        letter = letters.seal(writer, letter_id, recipient, blind=bool(blind), now=now)
        moment = _open_a_pair(letter.home, writer, recipient, now)
        if moment is not None:
            notify.pair_opened(moment)
    return Sealed(letter_for_writer(writer, letter.pk), moment)


def _open_a_pair(home, sealer, other, now) -> Moment | None:
    theirs = _waiting(other, sealer, home).select_for_update().first()
    if theirs is None:
        return None
    mine = _waiting(sealer, other, home).select_for_update().first()
    if mine is None:  # cannot happen: the caller has just sealed one
        return None
    letters.open_sealed([theirs.pk, mine.pk], now)
    return Moment.objects.create(
        home=home,
        kind=Kind.SEALED,
        first=other,
        second=sealer,
        at=now,
        first_letter=theirs,
        second_letter=mine,
    )


def window_words(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def glance(person, to, *, home=None) -> Glanced:
    """A silent "thinking of you" to a housemate. If they glanced at ``person`` within the
    home's window (and that glance has not made a moment yet), both share a moment now;
    otherwise nobody but ``person`` ever learns of it (rule 8).

    One glance per person per pair per window: a second is refused (429), and what the
    refusal says depends only on one's own glances, so it cannot be used to poll."""
    other = housemate(person, to)
    where = shared_home(person, other, home)
    with transaction.atomic():
        lock_pair(person, other)
        # Read again under the pair lock, which a leave holds too: both must still be
        # members, so a glance never reaches, or meets one from, someone who has left.
        # And this is the window as it is now.
        both = Home.objects.of_member(other).values("pk")
        where = Home.objects.of_member(person).filter(pk=where.pk, pk__in=both).first()
        if where is None:
            raise NotFound()
        minutes = where.glance_window_minutes
        now = timezone.now()
        since = now - timedelta(minutes=minutes)
        pair = {"home": where}
        last = (
            Glance.objects.filter(by=person, to=other, at__gt=since, **pair)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if last is not None:
            # On their own clock; UTC, said so, while their zone is not known.
            after = (last + timedelta(minutes=minutes)).astimezone(person.zone)
            zone = "" if person.time_zone else " UTC"
            again = f"{after:%H:%M}{zone} on {after.day} {after:%B}"
            raise RateLimited(
                f"You glanced at {other.display_name} less than {window_words(minutes)} ago. "
                f"One glance each per window, so you can glance again after {again}."
            )
        theirs = (
            Glance.objects.select_for_update()
            .filter(by=other, to=person, at__gt=since, moment__isnull=True, **pair)
            .order_by("at", "pk")
            .first()
        )
        mine = Glance.objects.create(by=person, to=other, at=now, **pair)
        words = window_words(minutes)
        if theirs is None:
            return Glanced(False, None, other, words)
        moment = Moment.objects.create(
            home=where, kind=Kind.GLANCE, first=other, second=person, at=now
        )
        Glance.objects.filter(pk__in=[theirs.pk, mine.pk]).update(moment=moment)
        notify.moment_made(moment)
        return Glanced(True, moment, other, words)


def forget_glances(person, home) -> None:
    """``person`` is leaving ``home``: their glances there that have not met, theirs and
    those at them, are dropped, so none can meet once they have left, nor if they come
    back. Nobody was ever shown one (rule 8), so nothing anyone saw is lost. Call inside
    the leave's transaction, under its pair locks."""
    Glance.objects.filter(Q(by=person) | Q(to=person), home=home, moment__isnull=True).delete()


def set_glance_window(person, home_id, minutes) -> Home:
    """Any member may change how close together two glances must be."""
    home = home_for_member(person, home_id)
    low, high = WINDOW_MINUTES
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(minutes, bool) or not low <= value <= high:
        raise Invalid(
            f"The glance window is a whole number of minutes from {low} to {high} (24 hours)."
        )
    home.glance_window_minutes = value
    home.save(update_fields=["glance_window_minutes"])
    return home


def moments_page(person, *, cursor: str | None = None, limit: int = PAGE_SIZE):
    """One page of ``person``'s moments, newest first: (moments, cursor of the next page)."""
    queryset = moments_of(person)
    if cursor:
        try:
            when, ident = cursors.decode(cursor)
        except cursors.BadCursor as exc:
            raise Invalid(str(exc)) from None
        queryset = queryset.filter(Q(at__lt=when) | Q(at=when, pk__lt=ident))
    found = list(queryset[: limit + 1])
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    return found, cursors.encode(found[-1].at, found[-1].pk)
