"""Who may call what: persona × route → status (STYLE.md, "Access as a matrix").

Jess wrote a letter to Rory that has been delivered (`sent`) and one still a `draft`;
Sam is their housemate; Olive lives elsewhere; `anon` carries no token.
"""

from __future__ import annotations

import uuid

import pytest

from dear.archive.models import Import
from dear.homes.services import create_invite, create_place
from dear.mutual.services import seal
from dear.notify.models import Channel
from tests.api.conftest import ApiClient, client_for
from tests.helpers import make_letter, send_now

PERSONAS = ("jess", "rory", "sam", "olive", "anon")
NOWHERE = "01900000-0000-7000-8000-000000000000"


def row(method, path, body, jess, rory, sam, olive):
    return (method, path, body, {"jess": jess, "rory": rory, "sam": sam, "olive": olive})


A_SUBSCRIPTION = {
    "endpoint": "https://push.example.net/send/abc",
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7"
        "I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}
SAVE = {"revision": 1, "body": "Another go."}
NEW_HOME = {"name": "Somewhere new"}

ROUTES = [
    row("get", "/me", None, 200, 200, 200, 200),
    row("patch", "/me", {"time_zone": "Europe/Lisbon"}, 200, 200, 200, 200),
    row("get", "/letters?box=scheduled", None, 200, 200, 200, 200),
    row("get", "/me/email", None, 200, 200, 200, 200),
    row("put", "/me/email", {"words": True}, 200, 200, 200, 200),
    row("post", "/me/email/link", None, 409, 409, 409, 409),
    row("get", "/tokens", None, 200, 200, 200, 200),
    row("delete", f"/tokens/{NOWHERE}", None, 404, 404, 404, 404),
    row("post", "/me/password", {"current_password": "no", "new_password": "x" * 12}, *[422] * 4),
    row("delete", "/tokens/current", None, 204, 204, 204, 204),
    row("post", "/homes", NEW_HOME, 201, 201, 201, 201),
    row("get", "/homes/{home}", None, 200, 200, 200, 404),
    row("post", "/homes/{home}/invites", None, 201, 201, 201, 404),
    row("post", "/homes/{home}/leave", None, 200, 200, 200, 404),
    row("post", "/invites/{invite}/accept", None, 200, 200, 200, 200),
    row("post", "/invites/no-such-invite/accept", None, 404, 404, 404, 404),
    row("get", "/letters", None, 200, 200, 200, 200),
    row("post", "/letters", "new_letter_to_rory", 201, 422, 201, 404),
    row("post", "/basket/empty", None, 200, 200, 200, 200),
    # The archive is each person's own: search and export answer only what they may see.
    row("get", "/search?q=light", None, 200, 200, 200, 200),
    row("get", "/export", None, 200, 200, 200, 200),
    row("post", "/import", None, 422, 422, 422, 422),
    row("get", "/import/{import}", None, 200, 404, 404, 404),
    row("get", f"/import/{NOWHERE}", None, 404, 404, 404, 404),
    row("post", "/me/delete", {"password": "not it"}, 422, 422, 422, 422),
    # A delivered letter: its recipient reads it; nobody may change it (rule 5).
    row("get", "/letters/{sent}", None, 200, 200, 404, 404),
    row("patch", "/letters/{sent}", SAVE, 409, 404, 404, 404),
    row("get", "/letters/{sent}/revisions", None, 200, 404, 404, 404),
    row("post", "/letters/{sent}/revisions/1/restore", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/crumple", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/keep", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/discard", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/restore", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/send", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/withdraw", None, 409, 404, 404, 404),
    row("post", "/letters/{sent}/read", None, 200, 200, 404, 404),
    # A draft: only its writer knows it exists (rule 1).
    row("get", "/letters/{draft}", None, 200, 404, 404, 404),
    row("patch", "/letters/{draft}", SAVE, 200, 404, 404, 404),
    row("get", "/letters/{draft}/revisions", None, 200, 404, 404, 404),
    row("post", "/letters/{draft}/revisions/1/restore", None, 200, 404, 404, 404),
    row("post", "/letters/{draft}/crumple", None, 200, 404, 404, 404),
    row("post", "/letters/{draft}/keep", None, 200, 404, 404, 404),
    row("post", "/letters/{draft}/discard", None, 200, 404, 404, 404),
    row("post", "/letters/{draft}/restore", None, 409, 404, 404, 404),
    row("post", "/letters/{draft}/send", None, 200, 404, 404, 404),
    row("post", "/letters/{draft}/withdraw", None, 409, 404, 404, 404),
    row("post", "/letters/{draft}/read", None, 200, 404, 404, 404),
    # Places belong to the whole home; outsiders learn nothing of them (rule 4).
    row("post", "/homes/{home}/places", {"name": "The shelf"}, 201, 201, 201, 404),
    row("get", "/places/{place}", None, 200, 200, 200, 404),
    row("patch", "/places/{place}", {"name": "The counter top"}, 200, 200, 200, 404),
    row("post", "/places/{place}/archive", None, 200, 200, 200, 404),
    row("post", "/places/{place}/restore", None, 200, 200, 200, 404),
    row("post", "/places/{place}/label", None, 200, 200, 200, 404),
    # A note left at the counter, not yet found: even its recipient cannot see it (rule 2).
    row("get", "/letters/{note}", None, 200, 404, 404, 404),
    row("post", "/letters/{note}/read", None, 200, 404, 404, 404),
    row("post", "/letters/{note}/move", "move_to_shelf", 200, 404, 404, 404),
    row("post", "/letters/{note}/take-back", None, 200, 404, 404, 404),
    # A letter Jess sealed to Rory, told: unreadable to him until he seals one back (rule 3).
    row("post", "/letters/{draft}/seal", None, 200, 404, 404, 404),
    row("get", "/letters/{sealed}", None, 200, 404, 404, 404),
    row("post", "/letters/{sealed}/seal", {"blind": True}, 409, 404, 404, 404),
    row("post", "/letters/{sealed}/withdraw", None, 200, 404, 404, 404),
    row("post", "/letters/{sealed}/read", None, 200, 404, 404, 404),
    row("post", "/glances", "glance_at_rory", 201, 422, 201, 404),
    row("get", "/moments", None, 200, 200, 200, 200),
    row("put", "/homes/{home}/glance-window", {"minutes": 30}, 200, 200, 200, 404),
    # Reminders are each person's own, and only about a current housemate.
    row("get", "/reminders", None, 200, 200, 200, 200),
    row("put", "/reminders/{rory}", {"after_days": 9}, 200, 404, 200, 404),
    row("delete", "/reminders/{rory}", None, 204, 404, 204, 404),
    # Channels are each person's own: another's is as missing as one never made.
    row("get", "/me/channels", None, 200, 200, 200, 200),
    row("post", "/me/channels", "a_browser", 201, 201, 201, 201),
    row("patch", "/me/channels/{rorys_channel}", {"words": True}, 404, 200, 404, 404),
    row("post", "/me/channels/{rorys_channel}/test", None, 404, 200, 404, 404),
    row("delete", "/me/channels/{rorys_channel}", None, 404, 204, 404, 404),
]

CASES = [
    pytest.param(persona, method, path, body, expected, id=f"{persona} {method} {path}")
    for method, path, body, by_persona in ROUTES
    for persona in PERSONAS
    for expected in [by_persona.get(persona, 401)]
]


@pytest.fixture
def world(people, home, jess, rory):
    counter = create_place(jess, home.pk, "The counter")
    shelf = create_place(jess, home.pk, "The shelf")
    return {
        "place": counter.pk,
        "note": send_now(make_letter(jess, rory), place=counter.pk).pk,
        "move_to_shelf": {"place": str(shelf.pk)},
        "home": home.pk,
        "sent": send_now(make_letter(jess, rory)).pk,
        "draft": make_letter(jess, rory).pk,
        "sealed": seal(jess, make_letter(jess, rory).pk).letter.pk,
        "glance_at_rory": {"to": str(rory.pk)},
        "rory": rory.pk,
        "invite": create_invite(jess, home.pk).code,
        "new_letter_to_rory": {"home": str(home.pk), "to": [str(rory.pk)]},
        "import": Import.objects.create(person=jess, digest="0" * 64).pk,
        # Nobody listens on port 9: its test fails at once, without the internet.
        "rorys_channel": Channel.objects.create(
            person=rory, kind="apprise", name="127.0.0.1", secret="json://127.0.0.1:9/", masked="…"
        ).pk,
        "a_browser": {"kind": "webpush", "subscription": A_SUBSCRIPTION, "name": "Firefox"},
    }


def client_as(persona, people) -> ApiClient:
    return ApiClient() if persona == "anon" else client_for(people[persona])


@pytest.mark.parametrize(("persona", "method", "path", "body", "expected"), CASES)
def test_route_answers_each_persona(world, people, persona, method, path, body, expected):
    client = client_as(persona, people)
    if isinstance(body, str):
        body = world[body]

    response = client.call(method, path.format(**world), body)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()["error"]) >= {"code", "message"}


LETTER_ROUTES = sorted(
    {(method, path, str(body)) for method, path, body, _ in ROUTES if "{sent}" in path}
)


@pytest.mark.parametrize(("method", "path", "body"), LETTER_ROUTES)
def test_outsiders_404_is_the_same_as_for_a_letter_that_does_not_exist(
    world, people, method, path, body
):
    olive = client_as("olive", people)
    payload = SAVE if method == "patch" else None

    theirs = olive.call(method, path.format(**world), payload)
    missing = olive.call(method, path.format(sent=NOWHERE), payload)
    random = olive.call(method, path.format(sent=uuid.uuid4()), payload)

    assert theirs.status_code == missing.status_code == random.status_code == 404
    assert theirs.content == missing.content == random.content


MUTATING = sorted({path for method, path, _, _ in ROUTES if method in ("post", "delete")})
READABLE = {path for method, path, _, _ in ROUTES if method == "get"}


@pytest.mark.parametrize("path", [p for p in MUTATING if p not in READABLE])
def test_mutating_route_rejects_get(world, people, path):
    response = client_as("jess", people).get(path.format(**world))

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_signup_rejects_get(db):
    assert ApiClient().get("/signup").status_code == 405
