"""GET /reminders, PUT /reminders/{person_id} and DELETE /reminders/{person_id}."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from dear.mutual.services import seal
from dear.notify.models import Reminder
from tests.helpers import make_letter, send_now

START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_no_reminders_at_first(as_jess):
    assert as_jess.get("/reminders").json() == {"items": []}


def test_setting_a_reminder_answers_it(as_jess, rory):
    response = as_jess.call("put", f"/reminders/{rory.pk}", {"after_days": 9, "email": True})

    assert response.status_code == 200
    assert response.json() == {
        "with": {"id": str(rory.pk), "display_name": "Rory"},
        "after_days": 9,
        "email": True,
        "quiet_days": None,
    }


def test_the_defaults_are_seven_days_and_no_email(as_jess, rory):
    response = as_jess.call("put", f"/reminders/{rory.pk}", {})

    assert (response.json()["after_days"], response.json()["email"]) == (7, False)


def test_quiet_days_shows_once_the_quiet_is_long_enough(as_jess, jess, rory, sam, clock):
    as_jess.call("put", f"/reminders/{sam.pk}", {"after_days": 3})
    as_jess.call("put", f"/reminders/{rory.pk}", {"after_days": 7})
    clock.move_to(START + 6 * DAY)
    send_now(make_letter(rory, jess))
    clock.move_to(START + 9 * DAY)

    items = as_jess.get("/reminders").json()["items"]

    assert [(i["with"]["display_name"], i["after_days"], i["quiet_days"]) for i in items] == [
        ("Rory", 7, None),
        ("Sam", 3, 9),
    ]


def test_a_blind_sealed_letter_changes_no_answer(as_jess, jess, rory, clock):
    as_jess.call("put", f"/reminders/{rory.pk}", {"after_days": 7})
    clock.move_to(START + 8 * DAY)
    before = as_jess.get("/reminders").content

    seal(rory, make_letter(rory, jess).pk, blind=True)

    assert as_jess.get("/reminders").content == before
    assert as_jess.get("/reminders").json()["items"][0]["quiet_days"] == 8


def test_setting_again_changes_the_one_reminder(as_jess, rory):
    as_jess.call("put", f"/reminders/{rory.pk}", {"after_days": 9, "email": True})
    as_jess.call("put", f"/reminders/{rory.pk}", {"after_days": 30, "email": False})

    assert Reminder.objects.values_list("after_days", "email").get() == (30, False)


@pytest.mark.parametrize("days", [0, 366, -3, "7", 7.5, True, None])
def test_a_bad_number_of_days_is_refused(as_jess, rory, days):
    response = as_jess.call("put", f"/reminders/{rory.pk}", {"after_days": days})

    assert response.status_code == 422
    assert set(response.json()["error"]) >= {"code", "message"}
    assert not Reminder.objects.exists()


def test_deleting_stops_it_and_deleting_again_is_fine(as_jess, rory):
    as_jess.call("put", f"/reminders/{rory.pk}", {})

    assert as_jess.delete(f"/reminders/{rory.pk}").status_code == 204
    assert as_jess.delete(f"/reminders/{rory.pk}").status_code == 204
    assert as_jess.get("/reminders").json() == {"items": []}


def test_someone_outside_my_homes_is_the_same_404_as_nobody(as_jess, olive, other_home):
    for method in ("put", "delete"):
        theirs = as_jess.call(method, f"/reminders/{olive.pk}", {})
        missing = as_jess.call(method, f"/reminders/{uuid.uuid4()}", {})
        malformed = as_jess.call(method, "/reminders/not-an-id", {})
        assert theirs.status_code == missing.status_code == malformed.status_code == 404
        assert theirs.content == missing.content == malformed.content
    assert not Reminder.objects.exists()


def test_no_reminder_about_myself(as_jess, jess):
    assert as_jess.call("put", f"/reminders/{jess.pk}", {}).status_code == 404
