"""Wall-clock arithmetic across daylight-saving changes, both ways, in three zones.

The nights used (2025): London springs forward at 01:00 UTC on 30 March and falls back at
01:00 UTC on 26 October; New York at 07:00 UTC on 9 March and 06:00 UTC on 2 November;
Sydney (southern summer) falls back at 16:00 UTC on 5 April and springs forward at 16:00
UTC on 4 October.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dear.lib import times

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
QUIET = (time(22, 0), time(7, 0))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "wall", "instant", "reads"),
    [
        (LONDON, datetime(2025, 3, 30, 1, 30), utc(2025, 3, 30, 1, 30), "02:30"),
        (NEW_YORK, datetime(2025, 3, 9, 2, 30), utc(2025, 3, 9, 7, 30), "03:30"),
        (SYDNEY, datetime(2025, 10, 5, 2, 30), utc(2025, 10, 4, 16, 30), "03:30"),
    ],
)
def test_a_time_the_clocks_skip_lands_as_long_after_the_jump(tz, wall, instant, reads):
    arrives = times.local_to_utc(wall, tz)

    assert arrives == instant
    assert f"{arrives.astimezone(tz):%H:%M}" == reads


@pytest.mark.parametrize(
    ("tz", "wall", "first"),
    [
        (LONDON, datetime(2025, 10, 26, 1, 30), utc(2025, 10, 26, 0, 30)),
        (NEW_YORK, datetime(2025, 11, 2, 1, 30), utc(2025, 11, 2, 5, 30)),
        (SYDNEY, datetime(2025, 4, 6, 2, 30), utc(2025, 4, 5, 15, 30)),
    ],
)
def test_a_time_shown_twice_in_autumn_is_its_first_showing(tz, wall, first):
    assert times.local_to_utc(wall, tz) == first


def test_an_ordinary_time_is_read_on_its_own_clock():
    assert times.local_to_utc(datetime(2025, 7, 1, 8, 0), LONDON) == utc(2025, 7, 1, 7, 0)
    assert times.local_to_utc(datetime(2025, 1, 1, 8, 0), LONDON) == utc(2025, 1, 1, 8, 0)


def test_a_wall_clock_time_must_come_without_a_zone():
    with pytest.raises(ValueError, match="without a zone"):
        times.local_to_utc(utc(2025, 7, 1, 8, 0), LONDON)


@pytest.mark.parametrize(
    ("tz", "now", "morning"),
    [
        # The night the clocks spring forward: 08:00 the next day is an hour earlier in UTC.
        (LONDON, utc(2025, 3, 29, 12, 0), utc(2025, 3, 30, 7, 0)),
        (NEW_YORK, utc(2025, 3, 8, 20, 0), utc(2025, 3, 9, 12, 0)),
        (SYDNEY, utc(2025, 10, 4, 0, 0), utc(2025, 10, 4, 21, 0)),
        # The night they fall back: an hour later in UTC.
        (LONDON, utc(2025, 10, 25, 12, 0), utc(2025, 10, 26, 8, 0)),
        (NEW_YORK, utc(2025, 11, 1, 20, 0), utc(2025, 11, 2, 13, 0)),
        (SYDNEY, utc(2025, 4, 5, 0, 0), utc(2025, 4, 5, 22, 0)),
    ],
)
def test_next_morning_is_eight_on_the_local_clock_across_a_change(tz, now, morning):
    found = times.next_morning(now, tz)

    assert found == morning
    assert found.astimezone(tz).time() == time(8, 0)


def test_next_morning_is_today_before_eight_and_tomorrow_from_eight_on():
    assert times.next_morning(utc(2025, 7, 1, 6, 59), LONDON) == utc(2025, 7, 1, 7, 0)
    assert times.next_morning(utc(2025, 7, 1, 7, 0), LONDON) == utc(2025, 7, 2, 7, 0)


def test_next_morning_in_new_york_late_at_night_utc_is_still_the_same_local_day():
    # 03:00 UTC on 2 July is 23:00 on 1 July in New York: the morning is the 2nd's.
    assert times.next_morning(utc(2025, 7, 2, 3, 0), NEW_YORK) == utc(2025, 7, 2, 12, 0)


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [("21:59", False), ("22:00", True), ("23:30", True), ("00:00", True), ("06:59", True),
     ("07:00", False), ("12:00", False)],
)  # fmt: skip
def test_quiet_hours_run_across_midnight(clock, quiet):
    hour, minute = map(int, clock.split(":"))
    at = times.local_to_utc(datetime(2025, 7, 1, hour, minute), LONDON)

    assert times.in_quiet_hours(at, LONDON, *QUIET) is quiet


def test_quiet_hours_within_one_day_are_a_plain_stretch():
    nap = (time(13, 0), time(15, 0))
    assert times.in_quiet_hours(utc(2025, 1, 1, 14, 0), LONDON, *nap)
    assert not times.in_quiet_hours(utc(2025, 1, 1, 15, 0), LONDON, *nap)
    assert not times.in_quiet_hours(utc(2025, 1, 1, 12, 59), LONDON, *nap)


def test_equal_start_and_end_mean_no_quiet_hours_at_all():
    same = (time(7, 0), time(7, 0))
    for hour in range(24):
        at = utc(2025, 7, 1, hour, 0)
        assert not times.in_quiet_hours(at, SYDNEY, *same)
        assert times.quiet_end(at, SYDNEY, *same) == at


def test_outside_quiet_hours_an_email_goes_at_once():
    at = utc(2025, 7, 1, 12, 0)
    assert times.quiet_end(at, LONDON, *QUIET) == at


def test_quiet_hours_end_at_seven_on_the_local_clock_the_night_clocks_spring_forward():
    late = utc(2025, 3, 29, 23, 0)  # 23:00 GMT

    ends = times.quiet_end(late, LONDON, *QUIET)

    assert ends == utc(2025, 3, 30, 6, 0)  # 07:00 BST
    assert ends.astimezone(LONDON).time() == time(7, 0)


def test_quiet_hours_in_new_york_end_at_seven_there_not_in_utc():
    late = utc(2025, 11, 2, 4, 0)  # 00:00 EDT, the night they fall back

    assert times.quiet_end(late, NEW_YORK, *QUIET) == utc(2025, 11, 2, 12, 0)  # 07:00 EST


def test_quiet_hours_ending_inside_the_autumn_fold_end_at_its_second_showing_too():
    # Quiet until 01:30. At 01:15 on the second pass through 01:00–02:00 (GMT), the
    # clock reads 01:30 again a quarter of an hour later: not the next night.
    second_pass = utc(2025, 10, 26, 1, 15)
    assert second_pass.astimezone(LONDON).time() == time(1, 15)

    ends = times.quiet_end(second_pass, LONDON, time(22, 0), time(1, 30))

    assert ends == utc(2025, 10, 26, 1, 30)


def test_quiet_hours_ending_inside_the_autumn_fold_end_at_its_first_showing_when_due():
    first_pass = utc(2025, 10, 26, 0, 15)  # 01:15 BST

    ends = times.quiet_end(first_pass, LONDON, time(22, 0), time(1, 30))

    assert ends == utc(2025, 10, 26, 0, 30)


@pytest.mark.parametrize("name", ["", None, "Nowhere/Else", "America", "x" * 300, "../etc"])
def test_a_blank_or_unknown_zone_is_utc(name):
    assert times.zone(name) == ZoneInfo("UTC")


def test_zone_names_are_the_iana_ones_and_not_the_servers_own_clock():
    assert times.is_zone_name("Europe/Lisbon")
    assert times.is_zone_name("UTC")
    for name in ("", "America", "localtime", "Europe/Nowhere", "europe/lisbon"):
        assert not times.is_zone_name(name)


def test_the_zones_offered_are_places_with_utc_first():
    offered = times.zone_choices()

    assert offered[0] == "UTC"
    assert {"Europe/Lisbon", "America/New_York", "Australia/Sydney"} <= set(offered)
    assert "US/Eastern" not in offered  # an old alias: accepted, not offered
    assert times.is_zone_name("US/Eastern")
    assert offered[1:] == sorted(offered[1:])
