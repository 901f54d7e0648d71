"""Choosing when a letter arrives on the write page, the letters on their way (/scheduled),
and a scheduled letter staying out of its recipient's sight until the day (rule 2)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dear.letters import services as letters
from dear.letters.models import State
from dear.lib.errors import Conflict
from tests.helpers import make_letter

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)  # Monday 7 December, 20:00 in London


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def lives_in(person, name):
    person.time_zone = name
    person.save(update_fields=["time_zone"])


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def send_page(client, letter, **fields):
    return client.post(f"/letters/{letter.pk}/send", {"revision": letter.revision, **fields})


def test_the_write_page_asks_when_it_should_arrive_on_the_recipients_clock(
    clock, client_of, draft, jess, rory
):
    lives_in(jess, "Europe/London")
    lives_in(rory, "Europe/Lisbon")

    page = text_of(client_of(jess).get(f"/letters/{draft.pk}/edit"))

    assert '">Arrive later</label>' in page
    assert 'name="choose" value="send" id="choose-send" checked' in page
    # Not "tomorrow": Rory's tomorrow need not be Jess's.
    assert "In the morning: 8 December at 08:00, Rory's time (Europe/Lisbon)" in page
    assert "Send it for 8 December at 08:00</button>" in page
    assert '<label for="arrives_time">Time, Rory\'s time (Europe/Lisbon)</label>' in page
    assert "Times are read on Rory's clock: Europe/Lisbon." in page
    assert 'min="2026-12-07"' in page and 'max="2036-12-0' in page


def test_a_recipient_with_no_zone_yet_has_times_read_on_the_writers_clock(
    clock, client_of, draft, jess, rory
):
    lives_in(jess, "Asia/Tokyo")

    page = text_of(client_of(jess).get(f"/letters/{draft.pk}/edit"))

    assert "Time, your time (Asia/Tokyo)" in page
    assert "Rory has not set a time zone yet, so times are read on yours: Asia/Tokyo." in page


def test_recipients_on_different_clocks_are_told_it_is_the_writers(
    clock, client_of, home, jess, rory, sam
):
    lives_in(rory, "Europe/Lisbon")
    lives_in(sam, "Asia/Tokyo")
    letter = make_letter(jess, [rory, sam])

    page = text_of(client_of(jess).get(f"/letters/{letter.pk}/edit"))

    assert "They live on different clocks, so times are read on yours" in page
    assert "Time, your time (UTC)" in page


def test_in_the_morning_sends_it_for_the_recipients_next_eight_oclock(
    clock, client_of, draft, jess, rory
):
    lives_in(rory, "Australia/Sydney")

    response = send_page(client_of(jess), draft, arrives="morning")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SENT
    assert draft.deliver_at == datetime(2026, 12, 7, 21, 0, tzinfo=UTC)  # 08:00 in Sydney


def test_on_a_day_and_time_sends_it_for_then_on_the_recipients_clock(
    clock, client_of, draft, jess, rory
):
    lives_in(rory, "America/New_York")

    send_page(client_of(jess), draft, arrives="on", arrives_date="2027-03-14", arrives_time="08:30")

    draft.refresh_from_db()
    # The morning New York's clocks spring forward: 08:30 EDT.
    assert draft.deliver_at == datetime(2027, 3, 14, 12, 30, tzinfo=UTC)


def test_a_day_without_a_time_arrives_at_eight(clock, client_of, draft, jess, rory):
    send_page(client_of(jess), draft, arrives="on", arrives_date="2027-01-05", arrives_time="")

    draft.refresh_from_db()
    assert draft.deliver_at == datetime(2027, 1, 5, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"arrives": "on", "arrives_date": ""}, "Choose the day it should arrive."),
        ({"arrives": "on", "arrives_date": "someday"}, "do not look like a date and a time"),
        ({"arrives": "on", "arrives_date": "2027-01-05", "arrives_time": "25:00"}, "do not look"),
        ({"arrives": "on", "arrives_date": "2026-12-01"}, "Choose a delivery time in the future."),
        ({"arrives": "on", "arrives_date": "2037-01-05"}, "at most ten years"),
        ({"arrives": "on", "arrives_date": "9999-12-31", "arrives_time": "23:59"}, "ten years"),
        # Without the script, a day typed with "Now" still ticked must not go now.
        ({"arrives": "now", "arrives_date": "2027-01-05"}, "A day is filled in"),
        ({"arrives": "morning", "arrives_date": "2027-01-05"}, "A day is filled in"),
    ],
)
def test_a_time_that_needs_a_second_look_sends_nothing_but_keeps_the_words(
    clock, client_of, draft, jess, fields, says
):
    response = send_page(client_of(jess), draft, body="Words I typed just now.", **fields)

    assert response.status_code == 422
    assert says in text_of(response)
    draft.refresh_from_db()
    assert (draft.state, draft.deliver_at) == (State.DRAFT, None)
    assert draft.body == "Words I typed just now."


def test_the_letter_page_says_when_it_arrives_on_their_clock_and_the_writers(
    clock, client_of, draft, jess, rory
):
    lives_in(jess, "Europe/London")
    lives_in(rory, "Asia/Tokyo")
    letters.send(jess, draft.pk, arrives_on=datetime(2026, 12, 9, 8, 0))

    page = text_of(client_of(jess).get(f"/letters/{draft.pk}"))

    assert '<strong class="arrives">Arrives <time' in page
    # Rory's day is named, never "tomorrow": it is already Tuesday morning in Tokyo.
    assert "9 December at 08:00 (Rory's time; tomorrow at 23:00 your time)" in page
    assert 'datetime="2026-12-08T23:00:00+00:00"' in page


def test_the_letter_page_says_once_when_both_share_a_clock(clock, client_of, draft, jess, rory):
    lives_in(jess, "Europe/Lisbon")
    lives_in(rory, "Europe/Lisbon")
    letters.send(jess, draft.pk, morning=True)

    page = text_of(client_of(jess).get(f"/letters/{draft.pk}"))

    assert "tomorrow at 08:00 (Rory's time and yours)" in page


def test_a_letter_years_ahead_names_its_year(clock, client_of, draft, jess, rory):
    letters.send(jess, draft.pk, arrives_on=datetime(2030, 1, 1, 9, 0))

    page = text_of(client_of(jess).get(f"/letters/{draft.pk}"))

    assert "1 January 2030 at 09:00 (your time)" in page


def test_scheduled_lists_letters_on_their_way_soonest_first_each_with_withdraw(
    clock, client_of, home, jess, rory, sam
):
    lives_in(rory, "Europe/Lisbon")
    later = letters.send(jess, make_letter(jess, sam, body="To Sam, later.").pk,
                         arrives_on=datetime(2027, 6, 1, 8, 0))  # fmt: skip
    sooner = letters.send(jess, make_letter(jess, rory, body="To Rory, soon.").pk, morning=True)
    letters.send(rory, make_letter(rory, jess, body="Not mine.").pk, morning=True)

    page = text_of(client_of(jess).get("/scheduled"))

    assert "<h1>On their way</h1>" in page
    assert page.index("To Rory, soon.") < page.index("To Sam, later.")
    assert "Not mine." not in page
    assert "Arrives <time" in page
    assert "8 December at 08:00 (Rory's time; tomorrow at 08:00 your time)" in page
    assert "1 June 2027 at 08:00 (your time)" in page
    for letter in (sooner, later):
        assert f'action="/letters/{letter.pk}/withdraw"' in page
    assert page.count(">Withdraw</button>") == 2


def test_withdrawing_from_the_scheduled_list_comes_back_to_it(clock, client_of, draft, jess):
    letters.send(jess, draft.pk, morning=True)
    browser = client_of(jess)

    response = browser.post(f"/letters/{draft.pk}/withdraw", {"back": "scheduled"}, follow=True)

    assert response.redirect_chain[-1][0] == "/scheduled"
    page = response.content.decode()
    assert "Withdrawn. It waits in the drawer, unsent." in page
    assert "Nothing on its way." in page
    draft.refresh_from_db()
    assert draft.state == State.KEPT


def test_the_sent_box_and_the_letters_page_lead_to_the_scheduled_list(client_of, home, jess):
    browser = client_of(jess)

    assert 'href="/scheduled"' in browser.get("/sent").content.decode()
    assert 'href="/scheduled"' in browser.get("/letters").content.decode()


def test_the_scheduled_list_runs_the_same_queries_for_one_letter_as_for_ten(
    clock, client_of, home, jess, rory, sam
):
    browser = client_of(jess)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get("/scheduled").status_code == 200
        return len(captured)

    letters.send(jess, make_letter(jess, rory).pk, morning=True)
    one = queries()
    for n in range(9):
        to = [rory, sam] if n % 2 else sam
        letters.send(jess, make_letter(jess, to).pk, arrives_on=datetime(2027, 1, 1 + n, 8, 0))
    assert queries() == one


def test_a_letter_scheduled_a_year_ahead_is_out_of_its_recipients_sight_until_the_day(
    clock, client_of, draft, jess, rory
):
    draft.body = "See you at the lighthouse."
    draft.save()
    letters.send(jess, draft.pk, arrives_on=datetime(2027, 12, 7, 8, 0))

    clock.shift(timedelta(days=364))
    browser = client_of(rory)  # logged in now: a year-old session would have ended
    for path in ("/", "/inbox", f"/with/{jess.pk}", "/search?q=lighthouse", "/sealed"):
        assert "See you at the" not in browser.get(path).content.decode(), path
    assert browser.get(f"/letters/{draft.pk}").status_code == 404

    clock.move_to(datetime(2027, 12, 7, 8, 0, tzinfo=UTC))
    browser = client_of(rory)
    assert "See you at the lighthouse." in browser.get("/").content.decode()
    assert "See you at the" in browser.get("/search?q=lighthouse").content.decode()
    assert browser.get(f"/letters/{draft.pk}").status_code == 200


@pytest.mark.parametrize("page", ["/scheduled", "/letters/{id}"])
def test_a_letter_due_within_the_withdraw_margin_is_not_offered_back(
    page, home, jess, rory, client_of, clock
):
    letter = letters.send(jess, make_letter(jess, rory).pk, deliver_at=NOW + timedelta(hours=1))
    client = client_of(jess)
    url = page.format(id=letter.pk)
    assert "Withdraw</button>" in text_of(client.get(url))

    clock.move_to(NOW + timedelta(hours=1) - timedelta(milliseconds=500))

    # Half a second before it arrives the service refuses, so the page must not offer it.
    assert "Withdraw</button>" not in text_of(client.get(url))
    with pytest.raises(Conflict, match="already been delivered"):
        letters.withdraw(jess, letter.pk)
