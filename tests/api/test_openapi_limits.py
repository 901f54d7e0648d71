"""The OpenAPI document states every limit the server enforces, and the server keeps to it.

For each limit: the document says it (read from GET /api/v1/openapi.json), a value the
document refuses (checked by a JSON Schema validator with ECMA-262 patterns, as a client
generated from the document checks) is refused by the server with 422 and changes
nothing, and a value the document allows is taken.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import jsonschema_rs
import pytest
from django.conf import settings
from pydantic import TypeAdapter, ValidationError

from dear.accounts.models import ApiToken, Person
from dear.accounts.services import EMAIL_LIMIT, NAME_LIMIT, USERNAME_LIMIT
from dear.api import limits
from dear.archive.search import QUERY_LIMIT
from dear.homes.models import Home, Place
from dear.homes.services import NAME_LIMIT as HOME_NAME_LIMIT
from dear.letters.models import Letter
from dear.letters.services import LINE_LIMIT
from dear.lib import cursor
from dear.lib.errors import Invalid
from dear.mutual.services import WINDOW_MINUTES
from dear.notify.models import Reminder
from dear.notify.reminders import MAX_DAYS, MIN_DAYS
from tests.api.conftest import ApiClient, client_for
from tests.helpers import PASSWORD, make_letter


@pytest.fixture(scope="module")
def document():
    response = ApiClient().get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def body_schema(document, method: str, path: str) -> dict:
    operation = document["paths"]["/api/v1" + path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return {**schema, "components": document["components"]}


def query_schema(document, path: str, name: str) -> dict:
    (parameter,) = [
        one
        for one in document["paths"]["/api/v1" + path]["get"]["parameters"]
        if one["name"] == name
    ]
    return parameter["schema"]


def field_schema(document, method: str, path: str, name: str) -> dict:
    """The schema of one body field, as the document states it (its $ref followed)."""
    ref = document["paths"]["/api/v1" + path][method]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    ref = ref.get("allOf", [ref])[0]["$ref"]
    component = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    stated = component["properties"][name]
    # Optional fields: the non-null branch carries the limits.
    for branch in stated.get("anyOf", []):
        if branch.get("type") != "null":
            return branch
    return stated


def allows(schema: dict, instance) -> bool:
    return jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(instance)


@dataclass
class Limit:
    """One limit: where the document states it, what it says, and how to try it."""

    method: str
    path: str  # as in the document
    field: str
    states: dict[str, Any]
    refused: list
    allowed: list
    query: bool = False


PLACE = "/homes/{home_id}/places"
LIMITS = {
    "home name": Limit(
        "post",
        "/homes",
        "name",
        {"minLength": 1, "maxLength": HOME_NAME_LIMIT, "pattern": str},
        ["", "   ", "\t\u3000\n", "x" * (HOME_NAME_LIMIT + 1)],
        ["The flat", "x" * HOME_NAME_LIMIT, " Our   place "],
    ),
    "place name": Limit(
        "post",
        PLACE,
        "name",
        {"minLength": 1, "maxLength": HOME_NAME_LIMIT, "pattern": str},
        ["", "  ", "x" * (HOME_NAME_LIMIT + 1), "the\x07counter", "a\x1bb", "a\x7f"],
        ["the counter", "the\tbook", "x" * HOME_NAME_LIMIT],
    ),
    "display name": Limit(
        "patch",
        "/me",
        "display_name",
        {"minLength": 1, "maxLength": NAME_LIMIT, "pattern": str},
        ["", " ", "\u200b", "\u202e\u2066", "x" * (NAME_LIMIT + 1)],
        ["Jessie", "x" * NAME_LIMIT, "Jess \u0645"],
    ),
    "search words": Limit(
        "get",
        "/search",
        "q",
        {"minLength": 1, "maxLength": QUERY_LIMIT, "pattern": str},
        ["", "   ", "x" * (QUERY_LIMIT + 1)],
        ["coffee", '"the counter"'],
        query=True,
    ),
    "letters cursor": Limit(
        "get",
        "/letters",
        "cursor",
        {"minLength": 1, "maxLength": cursor.MAX_LENGTH, "pattern": str},
        ["", "abc=", "a b", "a/b", "x" * (cursor.MAX_LENGTH + 1)],
        ["a real cursor"],
        query=True,
    ),
    "moments cursor": Limit(
        "get",
        "/moments",
        "cursor",
        {"minLength": 1, "maxLength": cursor.MAX_LENGTH, "pattern": str},
        ["", "abc==", "x" * (cursor.MAX_LENGTH + 1)],
        [],
        query=True,
    ),
    "glance window": Limit(
        "put",
        "/homes/{home_id}/glance-window",
        "minutes",
        {"type": "integer", "minimum": WINDOW_MINUTES[0], "maximum": WINDOW_MINUTES[1]},
        [WINDOW_MINUTES[0] - 1, WINDOW_MINUTES[1] + 1, "60", True, 60.5, None],
        [WINDOW_MINUTES[0], WINDOW_MINUTES[1], 60.0],
    ),
    "signup email": Limit(
        "post",
        "/signup",
        "email",
        {},
        ["nope", " nell@example.org", "x" * EMAIL_LIMIT + "@example.org"],
        ["", "nell@example.org"],
    ),
    "salutation": Limit(
        "post",
        "/letters",
        "salutation",
        {"maxLength": LINE_LIMIT},
        ["x" * (LINE_LIMIT + 1)],
        ["x" * LINE_LIMIT],
    ),
    "closing": Limit(
        "post",
        "/letters",
        "closing",
        {"maxLength": LINE_LIMIT},
        ["x" * (LINE_LIMIT + 1)],
        ["x" * LINE_LIMIT],
    ),
    "recipients": Limit("post", "/letters", "to", {"minItems": 1}, [[]], ["rory"]),
    "quiet hours": Limit(
        "patch",
        "/me",
        "quiet_from",
        {"pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        ["7:00", "24:00", "22:00 ", "22:00\n", "10pm"],
        ["07:00", "23:59"],
    ),
    "reminder days": Limit(
        "put",
        "/reminders/{person_id}",
        "after_days",
        {"type": "integer", "minimum": MIN_DAYS, "maximum": MAX_DAYS},
        [MIN_DAYS - 1, MAX_DAYS + 1, "7", False],
        [MIN_DAYS, MAX_DAYS],
    ),
    "token name": Limit(
        "post", "/tokens", "name", {"maxLength": NAME_LIMIT}, ["x" * (NAME_LIMIT + 1)], ["phone"]
    ),
    "username": Limit(
        "post",
        "/signup",
        "username",
        {"minLength": 1, "maxLength": USERNAME_LIMIT},
        ["", "n" * (USERNAME_LIMIT + 1)],
        ["nell", "n" * USERNAME_LIMIT],
    ),
    "new password": Limit(
        "post",
        "/me/password",
        "new_password",
        {"minLength": 8, "maxLength": 4096},
        ["short", "x" * 4097],
        ["a much longer secret"],
    ),
    "read receipts": Limit(
        "patch", "/me", "receipts", {"type": "boolean"}, ["yes", 0, "false"], [False, True]
    ),
    "revision": Limit(
        "patch", "/letters/{letter_id}", "revision", {"type": "integer"}, ["1", True], [1]
    ),
}


class Story:
    """Jess at home with Rory and Sam: the requests each limit is tried through."""

    def __init__(self, home, jess, rory, settings):
        self.home, self.jess, self.rory = home, jess, rory
        self.client = client_for(jess)
        self.draft = make_letter(jess, rory, home=home)
        settings.OPEN_SIGNUP = True

    def url(self, path: str) -> str:
        return path.format(home_id=self.home.pk, person_id=self.rory.pk, letter_id=self.draft.pk)

    def body(self, name: str, value) -> dict:
        base = {
            "/homes": {},
            "/signup": {
                "username": "nell",
                "password": "a much longer secret",
                "display_name": "Nell",
            },
            "/tokens": {"username": "jess", "password": PASSWORD},
            "/letters": {"home": str(self.home.pk), "to": [str(self.rory.pk)]},
            "/me/password": {"current_password": PASSWORD},
            "/letters/{letter_id}": {"revision": 1},
        }
        if value == "rory":
            value = [str(self.rory.pk)]
        return {**base.get(self.path, {}), name: value}

    def cursor(self) -> str:
        make_letter(self.jess, self.rory, home=self.home)
        page = self.client.get("/letters", {"box": "drafts", "limit": 1}).json()
        return page["next"]

    def send(self, limit: Limit, value):
        self.path = limit.path
        if limit.query:
            if value == "a real cursor":
                value = self.cursor()
            return self.client.get(self.url(limit.path), {limit.field: value})
        body = self.body(limit.field, value)
        return self.client.call(limit.method, self.url(limit.path), json.dumps(body))


def stored():
    """Everything a refused request might have changed."""
    return (
        Home.objects.count(),
        Place.objects.count(),
        list(Home.objects.values_list("name", "glance_window_minutes")),
        list(Person.objects.values_list("username", "display_name", "receipts", "quiet_from")),
        Letter.objects.count(),
        list(Letter.objects.values_list("revision", flat=True)),
        list(Reminder.objects.values_list("after_days", flat=True)),
        ApiToken.objects.count(),
    )


@pytest.fixture
def story(home, jess, rory, settings):
    return Story(home, jess, rory, settings)


@pytest.mark.parametrize("name", LIMITS)
def test_the_document_states_the_limit(document, name):
    limit = LIMITS[name]
    if limit.query:
        stated = query_schema(document, limit.path, limit.field)
        stated = next(b for b in stated.get("anyOf", [stated]) if b.get("type") != "null")
    else:
        stated = field_schema(document, limit.method, limit.path, limit.field)
    for key, value in limit.states.items():
        assert key in stated, (name, stated)
        if value is not str:
            assert stated[key] == value, (name, key, stated)


def test_the_document_states_an_email_address_or_nothing(document):
    schemas = document["components"]["schemas"]
    signup = schemas["SignupIn"]["properties"]["email"]
    change = schemas["EmailIn"]["properties"]["address"]
    for stated in (signup, next(b for b in change["anyOf"] if b.get("type") != "null")):
        address, nothing = stated["anyOf"]
        assert (address["format"], address["maxLength"]) == ("email", EMAIL_LIMIT)
        assert nothing == {"type": "string", "maxLength": 0}


def test_the_document_states_the_length_of_a_letter(document):
    for method, path in (("post", "/letters"), ("patch", "/letters/{letter_id}")):
        stated = field_schema(document, method, path, "body")
        assert stated["maxLength"] == settings.LETTER_BODY_LIMIT


def _as_documented(document, story, name, value):
    """The limit named, the schema the document gives its field, and ``value`` as sent."""
    limit = LIMITS[name]
    schema = (
        query_schema(document, limit.path, limit.field)
        if limit.query
        else body_schema(document, limit.method, limit.path)
    )
    story.path = limit.path
    return limit, schema, value if limit.query else story.body(limit.field, value)


CASES = [
    pytest.param(name, value, id=f"{name}-{json.dumps(value)[:24]}")
    for name, limit in LIMITS.items()
    for value in limit.refused
]


@pytest.mark.parametrize(("name", "value"), CASES)
def test_what_the_document_refuses_the_server_refuses_with_422(document, story, name, value):
    limit, schema, instance = _as_documented(document, story, name, value)
    assert not allows(schema, instance), "the document should refuse this"
    before = stored()

    response = story.send(limit, value)

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith(f"{limit.field}: ")
    assert stored() == before


ALLOWED = [
    pytest.param(name, value, id=f"{name}-{json.dumps(value)[:24]}")
    for name, limit in LIMITS.items()
    for value in limit.allowed
]


@pytest.mark.parametrize(("name", "value"), ALLOWED)
def test_what_the_document_allows_the_server_takes(document, story, name, value):
    limit, schema, instance = _as_documented(document, story, name, value)
    if value != "a real cursor":
        assert allows(schema, instance), "the document should allow this"

    response = story.send(limit, value)

    assert response.status_code in (200, 201), response.content


def test_a_letter_over_its_length_is_refused_as_too_large_as_the_document_says(document, story):
    too_long = "x" * (settings.LETTER_BODY_LIMIT + 1)
    body = {"home": str(story.home.pk), "to": [str(story.rory.pk)], "body": too_long}
    assert not allows(body_schema(document, "post", "/letters"), body)

    response = story.client.post("/letters", body)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert Letter.objects.count() == 1


def test_a_letter_saved_with_line_ends_counts_them_as_sent(document, story):
    # The document counts what is sent; so does the server, before it folds \r\n into \n.
    body = {"revision": 1, "body": "x\r\n" * (settings.LETTER_BODY_LIMIT // 3 + 1)}
    assert not allows(body_schema(document, "patch", "/letters/{letter_id}"), body)

    response = story.client.patch(f"/letters/{story.draft.pk}", body)

    assert response.status_code == 413
    story.draft.refresh_from_db()
    assert story.draft.revision == 1


def _every_character():
    # Each one the document and the server could disagree on is below U+10000; a few
    # others stand in for the rest. Lone surrogates are not text (refused on their own).
    yield from (chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF)
    yield from ("\U0001f600", "\U00010000", "\U0010fffd")


def _service_takes(clean, value) -> bool:
    try:
        clean(value)
    except Invalid:
        return False
    return True


@pytest.mark.parametrize(
    ("component", "name", "field_type", "clean", "shapes"),
    [
        ("HomeIn", "name", "HomeName", "dear.homes.services._clean_name", ["{}"]),
        (
            "PlaceIn",
            "name",
            "PlaceName",
            "dear.homes.services._clean_place_name",
            ["{}", "a{}b"],
        ),
        (
            "SignupIn",
            "display_name",
            "DisplayName",
            "dear.accounts.services._clean_display_name",
            ["{}", "{} "],
        ),
    ],
)
def test_a_name_is_refused_alike_by_the_document_the_field_and_the_service(
    document, component, name, field_type, clean, shapes
):
    """Character by character: the pattern the document states (read as ECMA-262 by a
    client), the field the server validates with, and the service's own cleaning agree
    on which names are no name (only spaces or invisible characters) or unstorable."""
    module, function = clean.rsplit(".", 1)
    clean = getattr(import_module(module), function)
    stated = document["components"]["schemas"][component]["properties"][name]
    client = jsonschema_rs.validator_for(stated)
    server = TypeAdapter(getattr(limits, field_type))
    differ = []
    for ch in _every_character():
        for shape in shapes:
            value = shape.format(ch)
            in_document = client.is_valid(value)
            in_field = _ok(server, value)
            # NUL is refused for every text field before any service sees it.
            in_service = _service_takes(clean, value) and "\x00" not in value
            if not in_document == in_field == in_service:
                differ.append((hex(ord(ch)), shape, in_document, in_field, in_service))
    assert not differ, differ[:20]


def _ok(adapter, value) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True
