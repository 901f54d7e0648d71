"""Notes through the API: leaving one with POST /letters/{id}/send {place, hint}, the
note unseen by its recipient on every route until GET /places/{id} finds it (rule 2),
receipts, and moving or taking back a note."""

from __future__ import annotations

import pytest
from django.test import override_settings

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.letters.models import Delivery
from tests.helpers import make_letter


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


@pytest.fixture
def left(counter, jess, rory, as_jess):
    """Jess leaves a hidden note for Rory at the counter, through the API."""
    draft = make_letter(jess, rory, body="I left it under the cup.")
    with override_settings(SEND_UNDO_SECONDS=0):
        response = as_jess.post(f"/letters/{draft.pk}/send", {"place": str(counter.pk)})
    assert response.status_code == 200, response.content
    return response.json()


def _everything_rory_can_reach(as_rory, home, jess, note_id) -> dict:
    return {
        "inbox": as_rory.get("/letters", {"box": "inbox"}).json()["items"],
        "correspondence": as_rory.get("/letters", {"with": str(jess.pk)}).json()["items"],
        "inbox with jess": as_rory.get("/letters", {"box": "inbox", "with": str(jess.pk)}).json()[
            "items"
        ],
        "letter": as_rory.get(f"/letters/{note_id}").status_code,
        "read": as_rory.post(f"/letters/{note_id}/read").status_code,
        "revisions": as_rory.get(f"/letters/{note_id}/revisions").status_code,
        "reply": as_rory.post(
            "/letters", {"home": str(home.pk), "to": [str(jess.pk)], "in_reply_to": note_id}
        ).status_code,
        "waiting": [p["waiting"] for p in as_rory.get(f"/homes/{home.pk}").json()["places"]],
    }


def test_a_left_note_is_sent_with_its_place(left, counter):
    assert (left["state"], left["place"], left["hint"]) == ("sent", str(counter.pk), False)


def test_before_its_place_is_opened_the_note_is_nowhere_for_its_recipient(
    left, home, jess, as_rory
):
    seen = _everything_rory_can_reach(as_rory, home, jess, left["id"])

    assert seen == {
        "inbox": [],
        "correspondence": [],
        "inbox with jess": [],
        "letter": 404,
        "read": 404,
        "revisions": 404,
        "reply": 404,
        "waiting": [False],  # hidden: not even a hint
    }
    assert Delivery.objects.get().read_at is None


def test_opening_the_place_finds_the_note_and_then_it_is_everywhere(
    left, home, jess, counter, as_rory
):
    opened = as_rory.get(f"/places/{counter.pk}")

    assert opened.status_code == 200
    body = opened.json()
    assert (body["id"], body["name"]) == (str(counter.pk), "The counter")
    assert [n["id"] for n in body["notes"]] == [left["id"]]
    assert body["notes"][0]["body"] == "I left it under the cup."
    assert body["notes"][0]["deliveries"] is None  # receipts are the writer's

    seen = _everything_rory_can_reach(as_rory, home, jess, left["id"])
    assert [n["id"] for n in seen["inbox"]] == [left["id"]]
    assert [n["id"] for n in seen["correspondence"]] == [left["id"]]
    assert [n["id"] for n in seen["inbox with jess"]] == [left["id"]]
    assert (seen["letter"], seen["read"], seen["reply"]) == (200, 200, 201)
    assert seen["revisions"] == 404  # revisions stay the writer's (rule 1)


def test_the_same_place_opened_by_someone_else_finds_nothing(left, counter, as_sam):
    assert as_sam.get(f"/places/{counter.pk}").json()["notes"] == []
    assert Delivery.objects.get().found_at is None


def test_a_hinted_note_marks_its_place_waiting_without_showing_it(
    counter, home, jess, rory, as_jess, as_rory
):
    draft = make_letter(jess, rory, body="A bookmark.")
    with override_settings(SEND_UNDO_SECONDS=0):
        sent = as_jess.post(f"/letters/{draft.pk}/send", {"place": str(counter.pk), "hint": True})
    assert sent.json()["hint"] is True

    seen = _everything_rory_can_reach(as_rory, home, jess, str(draft.pk))
    assert seen["waiting"] == [True]
    assert seen["inbox"] == [] and seen["letter"] == 404

    as_rory.get(f"/places/{counter.pk}")
    assert [p["waiting"] for p in as_rory.get(f"/homes/{home.pk}").json()["places"]] == [False]


def test_the_writer_sees_found_and_read_in_deliveries(left, counter, as_jess, as_rory):
    as_rory.get(f"/places/{counter.pk}")
    found = as_jess.get(f"/letters/{left['id']}").json()["deliveries"][0]
    assert found["found_at"] is not None and found["read_at"] is None

    as_rory.post(f"/letters/{left['id']}/read")
    read = as_jess.get(f"/letters/{left['id']}").json()["deliveries"][0]
    assert read["found_at"] == found["found_at"] and read["read_at"] is not None


@pytest.mark.parametrize("who", ["reader", "writer"])
def test_receipts_off_on_either_side_shows_the_writer_no_times(
    left, counter, jess, rory, as_jess, as_rory, who
):
    set_receipts(rory if who == "reader" else jess, False)
    as_rory.get(f"/places/{counter.pk}")
    as_rory.post(f"/letters/{left['id']}/read")

    delivery = as_jess.get(f"/letters/{left['id']}").json()["deliveries"][0]

    assert (delivery["found_at"], delivery["read_at"]) == (None, None)
    assert delivery["delivered_at"] is not None


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"place": "01900000-0000-7000-8000-000000000000"}, 422, "no such place"),
        ({"place": "not-a-uuid"}, 422, "place"),
        ({"hint": True}, 422, "A hint goes with a place"),
        ({"place": None, "hint": "perhaps"}, 422, "hint"),
    ],
)
def test_bad_places_to_leave_a_note_are_refused(home, jess, rory, as_jess, body, status, words):
    draft = make_letter(jess, rory)
    response = as_jess.post(f"/letters/{draft.pk}/send", body)

    assert response.status_code == status
    assert words in response.json()["error"]["message"]
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_note_cannot_be_left_at_an_outsiders_place(home, jess, rory, olive, other_home, as_jess):
    theirs = homes.create_place(olive, other_home.pk, "Olive's hall")
    draft = make_letter(jess, rory)
    response = as_jess.post(f"/letters/{draft.pk}/send", {"place": str(theirs.pk)})
    assert response.status_code == 422
    assert "no such place" in response.json()["error"]["message"]


def test_moving_and_taking_back_a_note(left, home, jess, counter, as_jess, as_rory):
    shelf = homes.create_place(jess, home.pk, "The shelf")
    homes.archive_place(jess, counter.pk)

    moved = as_jess.post(f"/letters/{left['id']}/move", {"place": str(shelf.pk)})
    assert moved.status_code == 200 and moved.json()["place"] == str(shelf.pk)

    taken = as_jess.post(f"/letters/{left['id']}/take-back")
    assert taken.status_code == 200
    assert (taken.json()["state"], taken.json()["place"]) == ("kept", None)
    assert as_rory.get(f"/places/{shelf.pk}").json()["notes"] == []


def test_a_found_note_cannot_be_taken_back(left, counter, as_jess, as_rory):
    as_rory.get(f"/places/{counter.pk}")
    response = as_jess.post(f"/letters/{left['id']}/take-back")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize("action", ["move", "take-back"])
def test_a_found_note_stays_where_it_was_found(left, home, jess, counter, as_jess, as_rory, action):
    shelf = homes.create_place(jess, home.pk, "The shelf")
    as_rory.get(f"/places/{counter.pk}")
    before = as_jess.get(f"/letters/{left['id']}").json()

    response = as_jess.post(f"/letters/{left['id']}/{action}", {"place": str(shelf.pk)})

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "Rory has found this note, so it stays where it was found.",
        }
    }
    assert as_jess.get(f"/letters/{left['id']}").json() == before
    assert as_rory.get(f"/places/{shelf.pk}").json()["notes"] == []


def test_with_receipts_off_moving_is_refused_without_saying_whether_found(
    left, home, jess, rory, counter, as_jess
):
    shelf = homes.create_place(jess, home.pk, "The shelf")
    set_receipts(rory, False)

    response = as_jess.post(f"/letters/{left['id']}/move", {"place": str(shelf.pk)})

    assert response.status_code == 409
    message = response.json()["error"]["message"]
    assert "receipts cannot show you whether it was found" in message
    assert Delivery.objects.get(letter_id=left["id"]).found_at is None
    assert as_jess.get(f"/letters/{left['id']}").json()["place"] == str(counter.pk)


def test_moving_needs_a_place(left, as_jess):
    response = as_jess.post(f"/letters/{left['id']}/move", {})
    assert response.status_code == 422
    assert "place" in response.json()["error"]["message"]
