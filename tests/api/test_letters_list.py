import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dear.letters import services
from tests.helpers import make_letter, send_now

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def letters(jess, rory, sam, home):
    """One letter in every box of Jess's, and letters both ways between Jess and Rory."""
    with time_machine.travel(START, tick=False) as clock:
        made = {}
        made["to_rory"] = send_now(make_letter(jess, rory, body="to Rory"))
        clock.shift(timedelta(minutes=1))
        made["from_rory"] = send_now(make_letter(rory, jess, body="from Rory"))
        clock.shift(timedelta(minutes=1))
        made["from_sam"] = send_now(make_letter(sam, jess, body="from Sam"))
        clock.shift(timedelta(minutes=1))
        made["draft"] = make_letter(jess, rory, body="a draft")
        made["kept"] = make_letter(jess, rory, body="kept")
        services.keep(jess, made["kept"].pk)
        made["discarded"] = make_letter(jess, rory, body="discarded")
        services.discard(jess, made["discarded"].pk)
        clock.shift(timedelta(minutes=1))
        yield made


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("inbox", ["from_sam", "from_rory"]),
        ("sent", ["to_rory"]),
        ("drafts", ["draft"]),
        ("drawer", ["kept"]),
        ("basket", ["discarded"]),
    ],
)
def test_each_box_holds_its_own_letters_newest_first(letters, as_jess, box, expected):
    with time_machine.travel(START + timedelta(hours=1)):
        response = as_jess.get("/letters", {"box": box})

    assert ids(response) == [str(letters[name].pk) for name in expected]
    assert response.json()["next"] is None


def test_inbox_is_the_default_box(letters, as_jess):
    with time_machine.travel(START + timedelta(hours=1)):
        assert ids(as_jess.get("/letters")) == ids(as_jess.get("/letters", {"box": "inbox"}))


def test_correspondence_with_one_person_runs_oldest_first_both_ways(letters, rory, as_jess):
    with time_machine.travel(START + timedelta(hours=1)):
        response = as_jess.get("/letters", {"with": str(rory.pk)})

    assert ids(response) == [str(letters["to_rory"].pk), str(letters["from_rory"].pk)]


def test_a_box_narrowed_to_one_person(letters, sam, as_jess):
    with time_machine.travel(START + timedelta(hours=1)):
        response = as_jess.get("/letters", {"box": "inbox", "with": str(sam.pk)})

    assert ids(response) == [str(letters["from_sam"].pk)]


def test_with_someone_who_is_not_a_housemate_answers_the_404_of_nobody(
    letters, olive, jess, as_jess
):
    answers = []
    for person_id in (olive.pk, uuid.uuid4(), jess.pk):
        with time_machine.travel(START + timedelta(hours=1)):
            response = as_jess.get("/letters", {"with": str(person_id), "box": "sent"})
        answers.append((response.status_code, response.json()))

    # As the web's /with/<id> answers: someone in another home, nobody and oneself alike.
    assert answers[0][0] == 404
    assert answers[0] == answers[1] == answers[2]


@pytest.mark.parametrize(
    "params",
    [{"with": "not-a-uuid"}, {"box": "attic"}, {"cursor": "not-one-of-ours"}, {"limit": "0"}],
)
def test_malformed_filters_answer_422(as_jess, params):
    response = as_jess.get("/letters", params)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_listed_letters_show_receipts_only_on_my_own(letters, as_jess):
    with time_machine.travel(START + timedelta(hours=1)):
        inbox = as_jess.get("/letters", {"box": "inbox"}).json()["items"]
        sent = as_jess.get("/letters", {"box": "sent"}).json()["items"]

    assert all(item["deliveries"] is None for item in inbox)
    assert all(item["deliveries"] is not None for item in sent)


def test_cursor_pages_through_every_letter_once(jess, rory, as_rory):
    with time_machine.travel(START, tick=False) as clock:
        sent = []
        for n in range(7):
            sent.append(send_now(make_letter(jess, rory, body=f"letter {n}")))
            if n % 2:
                # Some share a delivery time, so the id must break the tie.
                clock.shift(timedelta(seconds=1))
        clock.shift(timedelta(minutes=1))

        seen, cursor, pages = [], None, 0
        while True:
            params = {"box": "inbox", "limit": 3, **({"cursor": cursor} if cursor else {})}
            page = as_rory.get("/letters", params).json()
            seen += [item["id"] for item in page["items"]]
            pages += 1
            cursor = page["next"]
            if cursor is None:
                break

    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == {str(letter.pk) for letter in sent}


def test_inbox_takes_the_same_queries_however_many_letters(jess, rory, sam, as_rory):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_rory.get("/letters", {"box": "inbox"}).status_code == 200
        return len(queries)

    def letter_and_reply(writer, other):
        original = send_now(make_letter(writer, rory))
        send_now(make_letter(writer, [rory, other], in_reply_to=original.pk))

    letter_and_reply(jess, sam)
    count()  # the first request also marks the token used
    few = count()
    for writer, other in [(jess, sam), (sam, jess)] * 2:
        letter_and_reply(writer, other)

    assert count() == few
