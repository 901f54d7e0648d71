from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.utils import timezone

from dear.letters import services
from dear.letters.models import Letter
from tests.helpers import make_letter, send_now

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def snapshot(letter_id):
    """Everything stored about a letter, to show an action changed nothing."""
    letter = Letter.objects.get(pk=letter_id)
    return (
        model_to_dict(letter),
        list(letter.revisions.order_by("number").values()),
        list(letter.deliveries.order_by("pk").values()),
    )


def in_state(state, jess, rory):
    letter = make_letter(jess, rory)
    if state == "kept":
        services.keep(jess, letter.pk)
    elif state == "discarded":
        services.discard(jess, letter.pk)
    elif state == "sent":
        send_now(letter)
    return letter


def test_keeping_puts_a_draft_in_the_drawer(jess, rory, as_jess):
    letter = make_letter(jess, rory)

    response = as_jess.post(f"/letters/{letter.pk}/keep")

    assert response.status_code == 200
    assert response.json()["state"] == "kept"


def test_discarded_letter_is_restored_to_where_it_was(jess, rory, as_jess):
    letter = in_state("kept", jess, rory)

    assert as_jess.post(f"/letters/{letter.pk}/discard").json()["state"] == "discarded"
    assert as_jess.post(f"/letters/{letter.pk}/restore").json()["state"] == "kept"


def test_sending_waits_the_undo_window_before_delivery(jess, rory, as_jess, settings):
    settings.SEND_UNDO_SECONDS = 10
    letter = make_letter(jess, rory)

    with time_machine.travel(START, tick=False):
        response = as_jess.post(f"/letters/{letter.pk}/send")

    assert response.status_code == 200
    sent = response.json()
    assert sent["state"] == "sent"
    assert sent["sent_at"] == "2025-03-01T09:00:00Z"
    assert sent["deliver_at"] == "2025-03-01T09:00:10Z"
    assert sent["deliveries"][0]["delivered_at"] is None


def test_sending_at_a_chosen_time(jess, rory, as_jess):
    letter = make_letter(jess, rory)

    with time_machine.travel(START, tick=False):
        response = as_jess.post(
            f"/letters/{letter.pk}/send", {"deliver_at": "2025-03-08T09:00:00+02:00"}
        )

    assert response.json()["deliver_at"] == "2025-03-08T07:00:00Z"


@pytest.mark.parametrize("deliver_at", ["2025-03-08T09:00:00", "2025-02-01T09:00:00Z"])
def test_delivery_time_needs_a_zone_and_a_future(jess, rory, as_jess, deliver_at):
    letter = make_letter(jess, rory)

    with time_machine.travel(START, tick=False):
        response = as_jess.post(f"/letters/{letter.pk}/send", {"deliver_at": deliver_at})

    assert response.status_code == 422
    assert Letter.objects.get(pk=letter.pk).state == "draft"


def test_an_empty_letter_cannot_be_sent(jess, rory, as_jess):
    letter = make_letter(jess, rory, body="")

    assert as_jess.post(f"/letters/{letter.pk}/send").status_code == 422


# Each: a letter in this state, and an action that state does not allow (rule 5 and the
# lifecycle of DESIGN.md's "Words").
REFUSED = [
    ("sent", "patch", ""),
    ("sent", "post", "/crumple"),
    ("sent", "post", "/keep"),
    ("sent", "post", "/discard"),
    ("sent", "post", "/restore"),
    ("sent", "post", "/send"),
    ("sent", "post", "/revisions/1/restore"),
    ("discarded", "patch", ""),
    ("discarded", "post", "/crumple"),
    ("discarded", "post", "/keep"),
    ("discarded", "post", "/discard"),
    ("discarded", "post", "/send"),
    ("discarded", "post", "/withdraw"),
    ("discarded", "post", "/revisions/1/restore"),
    ("kept", "post", "/keep"),
    ("kept", "post", "/restore"),
    ("kept", "post", "/withdraw"),
    ("draft", "post", "/restore"),
    ("draft", "post", "/withdraw"),
]


@pytest.mark.parametrize(("state", "method", "action"), REFUSED)
def test_action_the_state_does_not_allow_answers_409_and_changes_nothing(
    jess, rory, as_jess, state, method, action
):
    letter = in_state(state, jess, rory)
    before = snapshot(letter.pk)
    body = {"revision": 1, "body": "A change."} if method == "patch" else None

    response = as_jess.call(method, f"/letters/{letter.pk}{action}", body)

    assert response.status_code == 409
    after = snapshot(letter.pk)
    if method == "patch":
        # The letter does not change, but the words are kept all the same (rule 6).
        assert response.json()["error"]["code"] == "stale_revision"
        kept = after[1].pop()
        assert (kept["body"], kept["conflict"]) == ("A change.", True)
    else:
        assert response.json()["error"]["code"] == "conflict"
    assert after == before


def test_withdrawing_before_delivery_puts_the_letter_back_in_the_drawer(
    jess, rory, as_jess, as_rory, settings
):
    settings.SEND_UNDO_SECONDS = 10
    letter = make_letter(jess, rory)
    with time_machine.travel(START, tick=False) as clock:
        as_jess.post(f"/letters/{letter.pk}/send")
        clock.shift(timedelta(seconds=5))

        response = as_jess.post(f"/letters/{letter.pk}/withdraw")

        assert response.status_code == 200
        assert response.json()["state"] == "kept"
        assert response.json()["deliver_at"] is None
        clock.shift(timedelta(minutes=1))
        assert as_rory.get(f"/letters/{letter.pk}").status_code == 404
        assert as_rory.get("/letters", {"box": "inbox"}).json()["items"] == []


def test_withdrawing_after_delivery_is_refused(jess, rory, as_jess, as_rory):
    letter = make_letter(jess, rory)
    with time_machine.travel(START, tick=False) as clock:
        as_jess.post(f"/letters/{letter.pk}/send", {"deliver_at": "2025-03-01T12:00:00Z"})
        clock.move_to(datetime(2025, 3, 1, 12, 0, 1, tzinfo=UTC))
        before = snapshot(letter.pk)

        response = as_jess.post(f"/letters/{letter.pk}/withdraw")

        assert response.status_code == 409
        assert snapshot(letter.pk) == before
        assert as_rory.get(f"/letters/{letter.pk}").status_code == 200


def test_recipient_sees_a_sent_letter_only_from_its_delivery_time(
    jess, rory, as_jess, as_rory, settings
):
    settings.SEND_UNDO_SECONDS = 10
    letter = make_letter(jess, rory)
    with time_machine.travel(START, tick=False) as clock:
        as_jess.post(f"/letters/{letter.pk}/send")
        clock.shift(timedelta(seconds=9))
        assert as_rory.get(f"/letters/{letter.pk}").status_code == 404
        assert as_rory.get("/letters").json()["items"] == []

        clock.shift(timedelta(seconds=1))

        assert as_rory.get(f"/letters/{letter.pk}").status_code == 200
        assert [item["id"] for item in as_rory.get("/letters").json()["items"]] == [str(letter.pk)]


def test_recipient_sees_a_sent_letter_without_receipts(jess, rory, as_rory):
    letter = send_now(make_letter(jess, rory))

    seen = as_rory.get(f"/letters/{letter.pk}").json()

    assert seen["state"] == "sent"
    assert seen["revision"] is None  # how often it was saved is the writer's own
    assert seen["body"] == "I miss you."
    assert seen["deliveries"] is None


def test_reading_marks_it_read_and_the_writer_sees_when(jess, rory, as_jess, as_rory):
    with time_machine.travel(START, tick=False) as clock:
        letter = send_now(make_letter(jess, rory))
        clock.shift(timedelta(hours=1))
        response = as_rory.post(f"/letters/{letter.pk}/read")

    assert response.status_code == 200
    assert response.json()["deliveries"] is None
    receipt = as_jess.get(f"/letters/{letter.pk}").json()["deliveries"][0]
    assert receipt["to"] == str(rory.pk)
    assert receipt["read_at"] == "2025-03-01T10:00:00Z"
    assert receipt["delivered_at"] is not None


def test_the_writer_reading_their_own_letter_marks_nothing(jess, rory, as_jess):
    letter = send_now(make_letter(jess, rory))

    response = as_jess.post(f"/letters/{letter.pk}/read")

    assert response.status_code == 200
    assert response.json()["deliveries"][0]["read_at"] is None


@pytest.mark.parametrize("state", ["draft", "kept", "discarded"])
def test_unsent_letters_are_never_visible_to_anyone_else(
    jess, rory, as_rory, as_sam, as_olive, state
):
    letter = in_state(state, jess, rory)

    for client in (as_rory, as_sam, as_olive):
        assert client.get(f"/letters/{letter.pk}").status_code == 404
        assert client.post(f"/letters/{letter.pk}/read").status_code == 404
        for box in ("inbox", "sent", "drafts", "drawer", "basket"):
            assert client.get("/letters", {"box": box}).json()["items"] == []
    assert as_rory.get("/letters", {"with": str(jess.pk)}).json()["items"] == []


def test_emptying_the_basket_deletes_only_what_is_in_it(jess, rory, as_jess, as_rory):
    gone = [in_state("discarded", jess, rory) for _ in range(2)]
    kept = [in_state(state, jess, rory) for state in ("draft", "kept", "sent")]
    rorys = in_state("discarded", rory, jess)

    response = as_jess.post("/basket/empty")

    assert response.status_code == 200
    assert response.json() == {"deleted": 2}
    assert not Letter.objects.filter(pk__in=[g.pk for g in gone]).exists()
    assert Letter.objects.filter(pk__in=[k.pk for k in kept]).count() == 3
    assert Letter.objects.filter(pk=rorys.pk).exists()


def test_emptying_an_empty_basket_deletes_nothing(as_jess):
    assert as_jess.post("/basket/empty").json() == {"deleted": 0}


def test_clock_is_utc_iso_8601(jess, rory, as_jess):
    with time_machine.travel(START, tick=False):
        letter = make_letter(jess, rory)
    written_at = as_jess.get(f"/letters/{letter.pk}").json()["written_at"]

    assert datetime.fromisoformat(written_at) == START
    assert timezone.is_aware(datetime.fromisoformat(written_at))
