"""`POST /letters/{id}/send` with `arrives_on` or `morning`, `GET /letters?box=scheduled`,
and a scheduled letter staying invisible to its recipient until the day (rule 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from dear.letters.models import State
from tests.helpers import make_letter

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def lives_in(person, name):
    person.time_zone = name
    person.save(update_fields=["time_zone"])


def send(client, letter, body):
    return client.post(f"/letters/{letter.pk}/send", body)


def test_arrives_on_is_a_time_on_the_recipients_clock(clock, as_jess, jess, rory):
    lives_in(rory, "Europe/Lisbon")
    letter = make_letter(jess, rory)

    response = send(as_jess, letter, {"arrives_on": "2027-03-28T08:30"})

    assert response.status_code == 200, response.content
    # Lisbon's clocks went forward that morning: 08:30 there is 07:30 UTC.
    assert response.json()["deliver_at"] == "2027-03-28T07:30:00Z"
    assert response.json()["state"] == "sent"


def test_arrives_on_takes_a_space_between_day_and_time_too(clock, as_jess, jess, rory):
    lives_in(rory, "America/New_York")
    letter = make_letter(jess, rory)

    response = send(as_jess, letter, {"arrives_on": "2027-01-05 09:00"})

    assert response.json()["deliver_at"] == "2027-01-05T14:00:00Z"


def test_morning_is_the_recipients_next_eight_oclock(clock, as_jess, jess, rory):
    lives_in(rory, "Australia/Sydney")
    letter = make_letter(jess, rory)

    response = send(as_jess, letter, {"morning": True})

    assert response.status_code == 200, response.content
    assert response.json()["deliver_at"] == "2026-12-07T21:00:00Z"  # 08:00 AEDT


def test_the_api_answers_in_utc_whatever_the_persons_zone(clock, as_jess, jess, rory):
    lives_in(jess, "Asia/Tokyo")
    lives_in(rory, "Asia/Tokyo")
    letter = make_letter(jess, rory)

    sent = send(as_jess, letter, {"morning": True}).json()

    assert sent["deliver_at"] == "2026-12-07T23:00:00Z"
    assert sent["sent_at"] == "2026-12-07T20:00:00Z"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"arrives_on": "2027-03-28T08:30", "morning": True}, "one way only"),
        ({"deliver_at": "2027-03-28T08:30:00Z", "morning": True}, "one way only"),
        ({"deliver_at": "2027-03-28T08:30:00Z", "arrives_on": "2027-03-28T08:30"}, "one way"),
        ({"arrives_on": "2027-03-28T08:30:00+01:00"}, "without a zone"),
        ({"arrives_on": "2026-12-01T08:30"}, "in the future"),
        ({"arrives_on": "2037-01-01T08:30"}, "ten years"),
        ({"arrives_on": "next tuesday"}, "arrives_on"),
        ({"morning": "perhaps"}, "morning"),
    ],
)
def test_a_time_that_cannot_be_answers_422_and_sends_nothing(
    clock, as_jess, jess, rory, body, says
):
    letter = make_letter(jess, rory)

    response = send(as_jess, letter, body)

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert says in error["message"]
    assert error["code"]
    letter.refresh_from_db()
    assert (letter.state, letter.deliver_at) == (State.DRAFT, None)


@pytest.mark.parametrize(
    ("zone", "arrives_on"),
    [("America/New_York", "9999-12-31T23:00"), ("Asia/Tokyo", "0001-01-01T00:30")],
)
def test_the_calendars_very_ends_answer_422_not_an_error(
    clock, as_jess, jess, rory, zone, arrives_on
):
    lives_in(rory, zone)
    letter = make_letter(jess, rory)

    response = send(as_jess, letter, {"arrives_on": arrives_on})

    assert response.status_code == 422, response.content
    assert "ten years" in response.json()["error"]["message"]
    letter.refresh_from_db()
    assert letter.state == State.DRAFT


def test_scheduled_lists_my_letters_on_their_way_soonest_first(clock, as_jess, as_rory, jess, rory):
    later = make_letter(jess, rory)
    send(as_jess, later, {"arrives_on": "2027-06-01T08:00"})
    sooner = make_letter(jess, rory)
    send(as_jess, sooner, {"morning": True})
    arrived = make_letter(rory, jess)
    send(as_rory, arrived, {})

    mine = as_jess.get("/letters", {"box": "scheduled"}).json()

    assert [item["id"] for item in mine["items"]] == [str(sooner.pk), str(later.pk)]
    assert mine["next"] is None
    theirs = as_rory.get("/letters", {"box": "scheduled"}).json()["items"]
    assert [item["id"] for item in theirs] == [str(arrived.pk)]  # in its undo window
    clock.shift(timedelta(minutes=1))
    assert as_rory.get("/letters", {"box": "scheduled"}).json()["items"] == []


def test_scheduled_pages_with_a_cursor(clock, as_jess, jess, rory):
    for day in (4, 2, 3, 1):
        send(
            as_jess,
            make_letter(jess, rory, body=f"day {day}"),
            {"arrives_on": f"2027-01-0{day}T08:00"},
        )

    first = as_jess.get("/letters", {"box": "scheduled", "limit": 2}).json()
    rest = as_jess.get("/letters", {"box": "scheduled", "limit": 2, "cursor": first["next"]}).json()

    bodies = [item["body"] for item in first["items"] + rest["items"]]
    assert bodies == ["day 1", "day 2", "day 3", "day 4"]
    assert rest["next"] is None


def test_a_letter_scheduled_a_year_ahead_is_nowhere_for_its_recipient_until_the_day(
    clock, as_jess, as_rory, jess, rory
):
    letter = make_letter(jess, rory, body="Open this on our anniversary, lighthouse.")
    sent = send(as_jess, letter, {"arrives_on": "2027-12-07T08:00"}).json()
    path = f"/letters/{letter.pk}"

    clock.shift(timedelta(days=364))
    for box in ("inbox", "sent", "scheduled", "drafts", "drawer", "sealed", "basket"):
        assert as_rory.get("/letters", {"box": box}).json()["items"] == [], box
    assert as_rory.get("/letters", {"with": str(jess.pk)}).json()["items"] == []
    assert as_rory.get("/search", {"q": "lighthouse"}).json()["items"] == []
    assert as_rory.get(path).status_code == 404
    assert as_rory.post(f"{path}/read").status_code == 404
    assert as_rory.post(f"{path}/withdraw").status_code == 404
    # Its writer sees it on its way, and may still take it back.
    assert [i["id"] for i in as_jess.get("/letters", {"box": "scheduled"}).json()["items"]] == [
        sent["id"]
    ]

    clock.move_to(datetime(2027, 12, 7, 8, 0, tzinfo=UTC))
    inbox = as_rory.get("/letters", {"box": "inbox"}).json()["items"]
    assert [item["id"] for item in inbox] == [sent["id"]]
    assert as_rory.get(path).status_code == 200
    found = as_rory.get("/search", {"q": "lighthouse"}).json()["items"]
    assert [item["id"] for item in found] == [sent["id"]]
    assert as_jess.get("/letters", {"box": "scheduled"}).json()["items"] == []


def test_a_scheduled_letter_can_be_withdrawn_until_it_arrives(clock, as_jess, jess, rory):
    letter = make_letter(jess, rory)
    send(as_jess, letter, {"morning": True})

    response = as_jess.post(f"/letters/{letter.pk}/withdraw")

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["deliver_at"]) == ("kept", None)
    assert as_jess.get("/letters", {"box": "scheduled"}).json()["items"] == []


def test_the_send_schema_documents_arrives_on_and_morning(anon):
    schema = anon.get("/openapi.json").json()["components"]["schemas"]["SendIn"]

    assert {"deliver_at", "arrives_on", "morning", "place", "hint"} <= set(schema["properties"])
