"""When a letter arrives: now, "in the morning", or "on" a date and time read on a clock.

Which clock: the recipients' own when they all keep the same known time zone (a letter
to Rory in Lisbon "on 28 March at 08:30" arrives when Rory's clock says so); otherwise the
writer's. That "otherwise" covers recipients on different clocks, where no one reading
would be right for all, and a recipient who has not told us their zone yet, where their
housemate's clock is a better guess than UTC. The faces say which clock they read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from dear.lib import times
from dear.lib.errors import Invalid


@dataclass(frozen=True)
class Clock:
    """The clock a letter's "when" is read on."""

    zone: ZoneInfo
    name: str  # the IANA name; "UTC" for someone whose zone is not known yet
    # Whose clock it is: the recipients, or nobody for the writer's own.
    people: tuple = ()

    @property
    def theirs(self) -> bool:
        return bool(self.people)


def clock_for(writer, recipients) -> Clock:
    recipients = list(recipients)
    names = {person.time_zone for person in recipients}
    if recipients and len(names) == 1 and "" not in names:
        name = names.pop()
        return Clock(times.zone(name), name, tuple(recipients))
    return Clock(writer.zone, writer.time_zone or "UTC")


def arrival(writer, letter, *, morning: bool = False, local=None, now=None) -> datetime:
    """The instant ``letter`` arrives: the next 08:00 on its clock, or the wall-clock time
    ``local`` (naive) read on it. A time the clocks skip lands just after the jump; a
    time shown twice is the first showing (``dear.lib.times.local_to_utc``)."""
    if morning and local is not None:
        raise Invalid("Choose either the morning or a date and time, not both.")
    clock = clock_for(writer, letter.recipients)
    if morning:
        return times.next_morning(now or timezone.now(), clock.zone)
    if local is None:
        raise Invalid("Choose the day and the time it should arrive.")
    if local.tzinfo is not None:
        raise Invalid(
            "arrives_on is a time on the recipient's clock, without a zone; "
            "for an exact instant give deliver_at instead."
        )
    try:
        return times.local_to_utc(local, clock.zone)
    except OverflowError:
        # The first or last hours of the calendar, which no clock can carry over to UTC:
        # far outside the ten years a letter may wait, either way.
        raise Invalid("Choose a day between now and ten years from now.") from None
