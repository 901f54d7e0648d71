"""Every action on a letter answers the letter exactly as a fresh look shows it: the
answer is built from what the action has in hand, and must never be a stale copy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from dear.homes import services as homes
from dear.letters import services
from tests.helpers import make_letter

TOMORROW = timedelta(days=1)


def _place(jess, home):
    return homes.create_place(jess, home.pk, "The counter", "spot")


# (how to get the letter ready, the action's path, its body)
ACTIONS = {
    "save": (None, "patch", "", {"revision": 1, "body": "Changed my mind."}),
    "crumple": (None, "post", "/crumple", None),
    "keep": (None, "post", "/keep", None),
    "discard": (None, "post", "/discard", None),
    "restore": ("discard", "post", "/restore", None),
    "send": (None, "post", "/send", {}),
    "send tomorrow": (None, "post", "/send", "tomorrow"),
    "leave at a place": (None, "post", "/send", "place"),
    "withdraw": ("send tomorrow", "post", "/withdraw", None),
    "restore a revision": ("saved twice", "post", "/revisions/1/restore", None),
}


def _prepare(step, jess, letter):
    if step == "discard":
        services.discard(jess, letter.pk)
    elif step == "send tomorrow":
        services.send(jess, letter.pk, deliver_at=timezone.now() + TOMORROW)
    elif step == "saved twice":
        services.save_letter(jess, letter.pk, revision=1, body="Second thoughts.")


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_action_answers_the_letter_as_a_fresh_look_shows_it(action, home, jess, rory, as_jess):
    step, method, suffix, body = ACTIONS[action]
    letter = make_letter(jess, rory, body="The kettle is on.")
    _prepare(step, jess, letter)
    if body == "tomorrow":
        # Given on a clock two hours east: the answer, like a fresh look, says it in UTC.
        east = timezone.get_fixed_timezone(120)
        body = {"deliver_at": (timezone.now() + TOMORROW).astimezone(east).isoformat()}
    elif body == "place":
        body = {"place": str(_place(jess, home).pk), "hint": True}

    with override_settings(SEND_UNDO_SECONDS=10):
        answer = as_jess.call(method, f"/letters/{letter.pk}{suffix}", body)

    assert answer.status_code == 200, answer.content
    assert answer.json() == as_jess.get(f"/letters/{letter.pk}").json()


def test_creating_answers_the_letter_as_a_fresh_look_shows_it(home, jess, rory, as_jess):
    answer = as_jess.post("/letters", {"home": str(home.pk), "to": [str(rory.pk)], "body": "Hi."})

    assert answer.status_code == 201
    assert answer.json() == as_jess.get(f"/letters/{answer.json()['id']}").json()
