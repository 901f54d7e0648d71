"""People who can be emailed, for the outbox's tests."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.utils import timezone

# A weekday noon in UTC: outside everyone's default quiet hours (22:00-07:00).
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def reachable(person, *, zone: str = "", quiet: tuple[time, time] | None = None):
    """``person`` with a confirmed address (username@home.test), on ``zone``'s clock."""
    person.email = f"{person.username}@home.test"
    person.email_confirmed_at = timezone.now()
    person.time_zone = zone
    if quiet is not None:
        person.quiet_from, person.quiet_until = quiet
    person.save()
    return person
