"""Every face tells the same story of a letter.

For each state a letter can be in, and each person who might look (its writer, its
recipient, another housemate, someone from another home, someone logged out), the API,
the letter's web page, the export and search must show the same fields, or all say
nothing. Each face renders the one read model (``dear.letters.seen``); this is the test
that notices when one of them starts deciding for itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from dear.accounts import services as accounts
from dear.archive import export
from dear.homes import services as homes
from dear.letters import notes
from dear.letters import services as letters
from dear.mutual import services as mutual
from tests.api.conftest import client_for
from tests.helpers import make_letter, send_now

WORD = "marmalade"  # in every story's letter, and in nothing else
# The fields every face that shows a letter carries, as the API names them.
FIELDS = (
    "id",
    "salutation",
    "body",
    "closing",
    "state",
    "written_at",
    "sent_at",
    "deliver_at",
    "opened_at",
    "place",
    "hint",
    "in_reply_to",
)
RECEIPT_FIELDS = ("to", "delivered_at", "found_at", "read_at")


def _letter(jess, rory, **kw):
    return make_letter(jess, rory, body=f"The {WORD} is in the cupboard.", **kw)


def _read(rory, letter):
    letters.mark_read(rory, letter.pk)
    return letter


def _note(jess, rory, home, *, hint: bool, found: bool):
    place = homes.create_place(jess, home.pk, "The counter", "spot")
    letter = send_now(_letter(jess, rory), place=place.pk, hint=hint)
    if found:
        notes.find_notes(rory, place)
        letters.mark_read(rory, letter.pk)
    return letter


def _note_found_then_reader_left(jess, rory, home):
    letter = _note(jess, rory, home, hint=True, found=True)
    homes.leave_home(rory, home.pk)
    homes.change_place(jess, letter.place_id, name="The new counter")
    return letter


def _sealed(jess, rory, *, blind: bool, answered: bool):
    letter = _letter(jess, rory)
    mutual.seal(jess, letter.pk, blind=blind)
    if answered:
        back = make_letter(rory, jess, body="Mine, sealed back.")
        mutual.seal(rory, back.pk)
    return letter


def _read_with_receipts_off(jess, rory, switched_off):
    accounts.set_receipts(switched_off, False)
    return _read(rory, send_now(_letter(jess, rory)))


def _read_then_writer_left(jess, rory, home):
    letter = _read(rory, send_now(_letter(jess, rory)))
    homes.leave_home(jess, home.pk)
    return letter


STORIES = {
    "draft": lambda jess, rory, home: _letter(jess, rory),
    "drawer": lambda jess, rory, home: letters.keep(jess, _letter(jess, rory).pk),
    "basket": lambda jess, rory, home: letters.discard(jess, _letter(jess, rory).pk),
    "undo window": lambda jess, rory, home: letters.send(jess, _letter(jess, rory).pk),
    "scheduled": lambda jess, rory, home: letters.send(
        jess, _letter(jess, rory).pk, deliver_at=timezone.now() + timedelta(days=1)
    ),
    "delivered": lambda jess, rory, home: send_now(_letter(jess, rory)),
    "read": lambda jess, rory, home: _read(rory, send_now(_letter(jess, rory))),
    "read, reader's receipts off": lambda jess, rory, home: _read_with_receipts_off(
        jess, rory, rory
    ),
    "read, writer's receipts off": lambda jess, rory, home: _read_with_receipts_off(
        jess, rory, jess
    ),
    "note hidden": lambda jess, rory, home: _note(jess, rory, home, hint=False, found=False),
    "note hinted": lambda jess, rory, home: _note(jess, rory, home, hint=True, found=False),
    "note found": lambda jess, rory, home: _note(jess, rory, home, hint=True, found=True),
    "note found, reader left": lambda jess, rory, home: _note_found_then_reader_left(
        jess, rory, home
    ),
    "sealed, told": lambda jess, rory, home: _sealed(jess, rory, blind=False, answered=False),
    "sealed, blind": lambda jess, rory, home: _sealed(jess, rory, blind=True, answered=False),
    "sealed, opened": lambda jess, rory, home: _sealed(jess, rory, blind=True, answered=True),
    "withdrawn": lambda jess, rory, home: letters.withdraw(
        jess,
        letters.send(
            jess, _letter(jess, rory).pk, deliver_at=timezone.now() + timedelta(days=1)
        ).pk,
    ),
    "reply": lambda jess, rory, home: send_now(
        _letter(jess, rory, in_reply_to=send_now(make_letter(rory, jess, body="Toast?")).pk)
    ),
    "writer left": lambda jess, rory, home: _read_then_writer_left(jess, rory, home),
}
VIEWERS = ("jess", "rory", "sam", "olive", None)


def _when(value):
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    # To the millisecond: the API's JSON carries no finer time than that.
    return parsed.astimezone(UTC).replace(microsecond=parsed.microsecond // 1000 * 1000)


def _fields(item: dict, writer_view: bool) -> dict:
    """The story a face tells of one letter, its times made comparable."""
    told = {name: _when(item[name]) if name.endswith("_at") else item[name] for name in FIELDS}
    told["id"] = str(told["id"])
    for name in ("place", "in_reply_to"):
        told[name] = str(told[name]) if told[name] else None
    if writer_view:
        told["deliveries"] = [
            {
                name: _when(receipt[name]) if name.endswith("_at") else str(receipt[name])
                for name in RECEIPT_FIELDS
            }
            for receipt in item["deliveries"]
        ]
    return told


def _api(viewer, letter_id):
    client = client_for(viewer)
    response = client.get(f"/letters/{letter_id}")
    if response.status_code != 200:
        return response.status_code, None
    return 200, response.json()


def _web(viewer, letter_id):
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(f"/letters/{letter_id}")
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def _exported(viewer, letter_id):
    data = export.collect(viewer)
    return next((item for item in data["letters"] if item["id"] == str(letter_id)), None)


def _searched(viewer, letter_id):
    response = client_for(viewer).get("/search", {"q": WORD})
    assert response.status_code == 200
    return next((item for item in response.json()["items"] if item["id"] == str(letter_id)), None)


def _web_searched(viewer, letter_id) -> bool:
    client = Client()
    client.force_login(viewer)
    page = client.get("/search", {"q": WORD}).content.decode()
    return f"/letters/{letter_id}" in page


def _page_receipts(page: str) -> dict:
    """What the writer's page says happened, step by step."""
    steps = re.findall(r'<span class="step">(\w+)', page)
    return {"found": "Found" in steps, "read": "Read" in steps}


@pytest.fixture
def story(request, people, home):
    name = request.param
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with override_settings(SEND_UNDO_SECONDS=10):
            letter = STORIES[name](people["jess"], people["rory"], home)
        traveller.shift(timedelta(seconds=1))
        yield name, letter


@pytest.mark.parametrize("viewer_name", VIEWERS, ids=[str(v) for v in VIEWERS])
@pytest.mark.parametrize("story", sorted(STORIES), indirect=True)
def test_every_face_tells_the_same_story(story, viewer_name, people):
    name, letter = story
    viewer = people[viewer_name] if viewer_name else None
    api_status, api_letter = _api(viewer, letter.pk)
    web_status, page = _web(viewer, letter.pk)

    if viewer is None:
        assert api_status == 401
        assert web_status == 302  # to the login page, and nothing of the letter
        return

    if api_letter is None:
        assert api_status == web_status == 404
        assert _exported(viewer, letter.pk) is None
        assert _searched(viewer, letter.pk) is None
        assert not _web_searched(viewer, letter.pk)
        return

    writer_view = api_letter["deliveries"] is not None
    told = _fields(api_letter, writer_view)
    assert web_status == 200
    assert WORD in page
    if writer_view and api_letter["state"] == "sent":
        on_page = _page_receipts(page)
        assert on_page["read"] == any(r["read_at"] for r in api_letter["deliveries"])
        assert on_page["found"] == any(r["found_at"] for r in api_letter["deliveries"])
    exported = _exported(viewer, letter.pk)
    assert exported is not None
    assert _fields(exported, writer_view) == told
    searched = _searched(viewer, letter.pk)
    assert searched is not None
    assert _fields(searched, writer_view) == told
    assert _web_searched(viewer, letter.pk)
    # Someone who left a home sees its letters, never its places as they are now.
    if name == "note found, reader left" and viewer_name == "rory":
        assert "The new counter" not in page
        assert "The new counter" not in str(export.collect(viewer))
