"""When a letter arrives: on whose clock, "in the morning", "on" a day, and the list of
letters on their way (the writer's `scheduled` box)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dear.letters import boxes
from dear.letters import services as letters
from dear.letters.models import State
from dear.letters.services import scheduling
from dear.lib.errors import Invalid
from tests.helpers import make_home, make_letter, make_person

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)  # a Monday evening in London


def zones(*pairs):
    """zones((rory, "Europe/Lisbon"), …): each person's time zone, saved."""
    for person, name in pairs:
        person.time_zone = name
        person.save(update_fields=["time_zone"])


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_clock_is_the_recipients_when_they_share_a_known_zone(home, jess, rory, sam):
    zones((jess, "Europe/London"), (rory, "Europe/Lisbon"), (sam, "Europe/Lisbon"))

    on = scheduling.clock_for(jess, [rory, sam])

    assert (on.name, on.theirs, on.people) == ("Europe/Lisbon", True, (rory, sam))


def test_recipients_on_different_clocks_read_times_on_the_writers(home, jess, rory, sam):
    jess.time_zone, rory.time_zone, sam.time_zone = "Europe/London", "Europe/Lisbon", "Asia/Tokyo"

    on = scheduling.clock_for(jess, [rory, sam])

    assert (on.name, on.theirs) == ("Europe/London", False)


def test_a_recipient_with_no_zone_yet_has_times_read_on_the_writers_clock(home, jess, rory):
    jess.time_zone = "America/New_York"

    assert scheduling.clock_for(jess, [rory]).name == "America/New_York"


def test_nobody_with_a_zone_means_utc(home, jess, rory):
    on = scheduling.clock_for(jess, [rory])

    assert (on.name, on.zone, on.theirs) == ("UTC", ZoneInfo("UTC"), False)


def test_a_letter_arrives_on_a_day_and_time_on_the_recipients_clock(clock, home, jess, rory):
    zones((jess, "Asia/Tokyo"), (rory, "Europe/Lisbon"))
    letter = make_letter(jess, rory)

    # 28 March 2027 is the morning Lisbon's clocks go forward (at 01:00 UTC).
    sent = letters.send(jess, letter.pk, arrives_on=datetime(2027, 3, 28, 8, 30))

    assert sent.deliver_at == datetime(2027, 3, 28, 7, 30, tzinfo=UTC)
    assert sent.deliver_at.astimezone(ZoneInfo("Europe/Lisbon")).hour == 8
    assert {d.delivered_at for d in sent.deliveries.all()} == {sent.deliver_at}


def test_a_time_the_recipients_clocks_skip_arrives_just_after_the_jump(clock, home, jess, rory):
    zones((rory, "Europe/Lisbon"))
    letter = make_letter(jess, rory)

    sent = letters.send(jess, letter.pk, arrives_on=datetime(2027, 3, 28, 1, 30))

    assert sent.deliver_at.astimezone(ZoneInfo("Europe/Lisbon")).strftime("%H:%M") == "02:30"


def test_in_the_morning_is_the_recipients_next_eight_oclock(clock, home, jess, rory):
    zones((jess, "Europe/London"), (rory, "Australia/Sydney"))
    letter = make_letter(jess, rory)

    sent = letters.send(jess, letter.pk, morning=True)

    # 20:00 in London is 07:00 on Tuesday in Sydney: its 08:00 is an hour away.
    assert sent.deliver_at == datetime(2026, 12, 7, 21, 0, tzinfo=UTC)


def test_in_the_morning_across_a_clock_change_is_still_eight_there(home, jess, rory):
    zones((rory, "America/New_York"))
    letter = make_letter(jess, rory)

    with time_machine.travel(datetime(2027, 3, 13, 20, 0, tzinfo=UTC), tick=False):
        sent = letters.send(jess, letter.pk, morning=True)

    # New York springs forward on 14 March 2027: 08:00 EDT is 12:00 UTC, not 13:00.
    assert sent.deliver_at == datetime(2027, 3, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "when",
    [{"morning": True}, {"arrives_on": datetime(2026, 12, 8, 8, 0)}],
    ids=["morning", "arrives_on"],
)
def test_eight_oclock_seconds_away_still_waits_the_undo_window(settings, home, jess, rory, when):
    settings.SEND_UNDO_SECONDS = 30
    zones((rory, "Europe/Lisbon"))
    letter = make_letter(jess, rory)
    now = datetime(2026, 12, 8, 7, 59, 50, tzinfo=UTC)  # 07:59:50 in Lisbon

    with time_machine.travel(now, tick=False):
        sent = letters.send(jess, letter.pk, **when)
        letters.withdraw(jess, sent.pk)  # the writer changed their mind in time

    assert sent.deliver_at == now + timedelta(seconds=30)
    letter.refresh_from_db()
    assert (letter.state, letter.deliver_at) == (State.KEPT, None)


def test_a_time_on_the_clock_that_is_now_is_refused_not_moved_on(settings, home, jess, rory):
    settings.SEND_UNDO_SECONDS = 30
    letter = make_letter(jess, rory)

    at_eight = datetime(2026, 12, 8, 8, 0)
    with (
        time_machine.travel(at_eight.replace(tzinfo=UTC), tick=False),
        pytest.raises(Invalid, match="in the future"),
    ):
        letters.send(jess, letter.pk, arrives_on=at_eight)

    letter.refresh_from_db()
    assert (letter.state, letter.deliver_at) == (State.DRAFT, None)


def test_a_letter_to_people_on_different_clocks_is_read_on_the_writers(
    clock, home, jess, rory, sam
):
    zones((jess, "America/New_York"), (rory, "Europe/Lisbon"), (sam, "Asia/Tokyo"))
    letter = make_letter(jess, [rory, sam])

    sent = letters.send(jess, letter.pk, arrives_on=datetime(2027, 1, 5, 9, 0))

    assert sent.deliver_at == datetime(2027, 1, 5, 14, 0, tzinfo=UTC)  # 09:00 EST


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"arrives_on": datetime(2027, 1, 5, 9, 0), "morning": True}, "one way only"),
        ({"deliver_at": NOW + timedelta(days=1), "morning": True}, "one way only"),
        (
            {"deliver_at": NOW + timedelta(days=1), "arrives_on": datetime(2027, 1, 5, 9, 0)},
            "one way only",
        ),
        ({"arrives_on": datetime(2027, 1, 5, 9, 0, tzinfo=UTC)}, "without a zone"),
        ({"arrives_on": datetime(2026, 12, 7, 19, 0)}, "in the future"),
        ({"arrives_on": datetime(2036, 12, 9, 9, 0)}, "at most ten years"),
    ],
)
def test_a_time_that_cannot_be_is_refused_and_nothing_is_sent(
    clock, home, jess, rory, when, message
):
    letter = make_letter(jess, rory)

    with pytest.raises(Invalid, match=message):
        letters.send(jess, letter.pk, **when)

    letter.refresh_from_db()
    assert (letter.state, letter.deliver_at) == (State.DRAFT, None)
    assert {d.delivered_at for d in letter.deliveries.all()} == {None}


def test_a_letter_may_wait_up_to_ten_years(clock, home, jess, rory):
    letter = make_letter(jess, rory)

    sent = letters.send(jess, letter.pk, arrives_on=datetime(2036, 12, 1, 9, 0))

    assert sent.deliver_at.year == 2036


def test_the_scheduled_box_holds_what_has_not_arrived_yet_soonest_first(clock, home, jess, rory):
    later = letters.send(jess, make_letter(jess, rory).pk, arrives_on=datetime(2027, 6, 1, 8, 0))
    sooner = letters.send(jess, make_letter(jess, rory).pk, morning=True)
    in_undo_window = letters.send(jess, make_letter(jess, rory).pk)
    arrived = letters.send(jess, make_letter(jess, rory).pk)
    clock.shift(timedelta(minutes=5))
    withdrawn = letters.send(jess, make_letter(jess, rory).pk, morning=True)
    letters.withdraw(jess, withdrawn.pk)
    just_sent = letters.send(jess, make_letter(jess, rory).pk)

    found, _ = boxes.page(jess, box="scheduled")

    assert [letter.pk for letter in found] == [just_sent.pk, sooner.pk, later.pk]
    assert arrived.pk not in {letter.pk for letter in found}
    assert in_undo_window.pk not in {letter.pk for letter in found}
    assert boxes.page(rory, box="scheduled")[0] == []


def test_the_scheduled_box_pages_by_arrival(clock, home, jess, rory):
    sent = [
        letters.send(jess, make_letter(jess, rory).pk, arrives_on=datetime(2027, 1, day, 8, 0))
        for day in (5, 3, 4, 1, 2)
    ]
    by_arrival = sorted(sent, key=lambda letter: letter.deliver_at)

    first, cursor = boxes.page(jess, box="scheduled", limit=3)
    rest, end = boxes.page(jess, box="scheduled", limit=3, cursor=cursor)

    assert [letter.pk for letter in first + rest] == [letter.pk for letter in by_arrival]
    assert end is None


def test_a_letter_leaves_the_scheduled_box_the_moment_it_arrives(clock, home, jess, rory):
    sent = letters.send(jess, make_letter(jess, rory).pk, morning=True)

    clock.move_to(sent.deliver_at - timedelta(seconds=1))
    assert [letter.pk for letter in boxes.page(jess, box="scheduled")[0]] == [sent.pk]
    assert boxes.page(rory, box="inbox")[0] == []
    clock.move_to(sent.deliver_at)
    assert boxes.page(jess, box="scheduled")[0] == []
    assert [letter.pk for letter in boxes.page(rory, box="inbox")[0]] == [sent.pk]


def test_someone_in_another_home_changes_nothing_about_whose_clock(clock, jess, rory):
    faraway = make_person("far", "Far", time_zone="Pacific/Auckland")
    make_home("Two of us", jess, faraway)
    letter = make_letter(jess, faraway)

    sent = letters.send(jess, letter.pk, morning=True)

    assert sent.deliver_at.astimezone(ZoneInfo("Pacific/Auckland")).strftime("%H:%M") == "08:00"
