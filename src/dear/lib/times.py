"""Wall-clock arithmetic in a person's own time zone, daylight saving included.

Everything Dear stores is UTC; these turn "08:00 where Rory is" into an instant and tell
whether an instant falls inside someone's quiet hours.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MORNING = time(8, 0)


def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; UTC for a blank or unknown name."""
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name that is a folder of zones ("America") or too long for a path.
        return ZoneInfo("UTC")


def is_zone_name(name: str) -> bool:
    return name in _zone_names()


# Regions of the world, as the zone database names them; its other names are old aliases
# ("US/Eastern", "GB") that a person is not offered but may still hold.
REGIONS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip
# In the database but not places: the server's own clock and a placeholder.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})

_NAMES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _NAMES
    if _NAMES is None:
        _NAMES = frozenset(available_timezones()) - NOT_PLACES
    return _NAMES


def zone_choices() -> list[str]:
    """The zones to offer a person, sorted: one per place ("Europe/Lisbon"), and UTC."""
    return ["UTC"] + sorted(n for n in _zone_names() if n.split("/")[0] in REGIONS)


def local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """The instant a clock in ``tz`` shows ``naive``.

    A time the clocks skip in spring (01:30 on the night they jump from 01:00 to 02:00) is
    read on the clock before the jump, so it lands as long after the jump as it was after
    its start (02:30); a time shown twice in autumn is the first of the two.
    """
    if naive.tzinfo is not None:
        raise ValueError("expected a wall-clock time without a zone")
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def next_at(now: datetime, tz: ZoneInfo, at: time) -> datetime:
    """The next instant after ``now`` when the clock in ``tz`` shows ``at``."""
    local = now.astimezone(tz)
    day = local.date()
    for offset in range(3):
        wall = datetime.combine(day + timedelta(days=offset), at, tzinfo=tz)
        # On the night clocks go back a time is shown twice: the second showing counts
        # too, or someone whose quiet hours end at 01:30 would wait a whole extra day.
        # (For a time the clocks skip, fold=1 is the earlier reading: never chosen.)
        for fold in (0, 1):
            candidate = wall.replace(fold=fold).astimezone(UTC)
            if candidate > now:
                return candidate
    raise AssertionError("a clock time recurs within three days")  # pragma: no cover


def next_morning(now: datetime, tz: ZoneInfo) -> datetime:
    """ "In the morning": the next 08:00 on the recipient's clock."""
    return next_at(now, tz, MORNING)


def in_quiet_hours(at: datetime, tz: ZoneInfo, start: time, end: time) -> bool:
    """Whether the clock in ``tz`` at ``at`` reads within [start, end), across midnight
    when start is later than end. Equal start and end mean no quiet hours."""
    if start == end:
        return False
    clock = at.astimezone(tz).time().replace(tzinfo=None)
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def quiet_end(at: datetime, tz: ZoneInfo, start: time, end: time) -> datetime:
    """``at`` itself when it is outside quiet hours, otherwise the moment they end."""
    if not in_quiet_hours(at, tz, start, end):
        return at
    return next_at(at, tz, end)
