"""Times in words, on whose clock: "tomorrow at 08:00 (Rory's time)".

The arithmetic lives in ``dear.lib.times`` and ``dear.letters.services.scheduling``;
this only says it, for the pages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from dear.letters.services.scheduling import Clock, clock_for
from dear.lib import words

SOON = timedelta(minutes=1)


def day(local: datetime, today: date) -> str:
    """ "8 December", or "8 December 2027" when not ``today``'s year: the house's one way
    of naming a day."""
    named = f"{local.day} {local:%B}"
    return named if local.year == today.year else f"{named} {local.year}"


def spoken(at: datetime, tz: ZoneInfo, now: datetime, *, relative: bool = True) -> str:
    """ "today at 21:30", "tomorrow at 08:00", "8 December at 08:00", "1 January 2028 at
    09:00" (the house's one date style): a day and a time on the clock of ``tz``. Without
    ``relative`` never "today" or "tomorrow": on someone else's clock those would be their
    today, not the reader's."""
    local = at.astimezone(tz)
    today = now.astimezone(tz).date()
    if relative and local.date() == today:
        named = "today"
    elif relative and local.date() == today + timedelta(days=1):
        named = "tomorrow"
    else:
        named = day(local, today)
    return f"{named} at {local:%H:%M}"


def together(people) -> str:
    """ "Rory", "Rory and Sam", "Ann, Rory and Sam"."""
    return words.together([person.display_name for person in people])


def possessive(people) -> str:
    """ "Rory's", "Jess's": a name that ends in s takes 's all the same."""
    return together(people) + "'s"


def label(clock: Clock) -> str:
    """Whose clock, for a form: "Rory's time (Europe/Lisbon)", "your time (UTC)"."""
    whose = possessive(clock.people) if clock.theirs else "your"
    return f"{whose} time ({clock.name})"


def reason(clock: Clock, writer, recipients) -> str:
    """Why the write page reads times on this clock, in a sentence."""
    if clock.theirs:
        return f"Times are read on {possessive(clock.people)} clock: {clock.name}."
    yours = writer.time_zone or "UTC, until you choose your time zone in Settings"
    unknown = [person for person in recipients if not person.time_zone]
    if unknown:
        verb = "has" if len(unknown) == 1 else "have"
        return (
            f"{together(unknown)} {verb} not set a time zone yet, "
            f"so times are read on yours: {yours}."
        )
    return f"They live on different clocks, so times are read on yours: {yours}."


def arrival(letter, viewer, now: datetime | None = None) -> str:
    """When a letter on its way arrives, as its writer reads it: on the letter's clock,
    and on the writer's own when that differs."""
    now = now or timezone.now()
    at = letter.deliver_at
    if at - now < SOON:
        return "in a few seconds"
    clock = clock_for(letter.writer, letter.recipients)
    if not clock.theirs:
        return f"{spoken(at, clock.zone, now)} (your time)"
    whose = possessive(clock.people)
    if is_viewers(clock, viewer):
        return f"{spoken(at, clock.zone, now)} ({whose} time and yours)"
    theirs = spoken(at, clock.zone, now, relative=False)
    return f"{theirs} ({whose} time; {spoken(at, viewer.zone, now)} your time)"


def is_viewers(clock: Clock, viewer) -> bool:
    return clock.name == (viewer.time_zone or "UTC")
