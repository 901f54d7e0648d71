"""Nothing leaks (rules 3 and 8): for the recipient of a blind sealed letter and the
target of a one-sided glance, every page and API response they can reach is the same as
if the letter and the glance did not exist: same status, same fields, same counts.

The walk is built from the access matrices (tests/api/test_access_matrix.py ROUTES and
tests/web/test_access_matrix.py PAGES + ACTIONS, which tests/test_route_coverage.py
keeps complete) and from their own `world` fixtures, so a route someone adds later is
walked here too, with the world its matrix row was written for. Every request runs in a
savepoint that is rolled back, so each walk sees the same world, and the clock is
frozen, so times need no masking. Only what differs per request whatever the data is
masked: CSRF tokens, ids and random codes made by the request itself (a new invite's
code and its QR code), and the Set-Cookie header.

Not compared, because answering is what they are for: sealing a letter back to its
writer (it opens the pair) and glancing back (it makes the moment). No matrix row has
Rory do either, and test_the_mechanisms_still_work_for_the_one_who_answers shows them.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import uuid

import time_machine
from django.apps import apps
from django.db import models, transaction
from django.test import Client
from django.utils import timezone

from dear.accounts.services import issue_token
from dear.mutual import services as mutual
from tests.api import test_access_matrix as api_matrix
from tests.helpers import make_letter
from tests.web import test_access_matrix as web_matrix

WATCHERS = ("rory", "sam", "olive", "anon")  # Rory is the one it is about
BOXES = ("inbox", "sent", "drafts", "drawer", "sealed", "basket")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CSRF = re.compile(r'(csrfmiddlewaretoken" value=")[^"]*|(csrftoken=)[^;\s]*')
QR = re.compile(r"<svg[^>]*class=\"qr\".*?</svg>", re.S)
RANDOM = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{32,}(?![\w-])")  # invite codes, tokens


def _is_fixture(value) -> bool:
    return callable(value) and hasattr(value, "_get_wrapped_function")


def build(request, module, name="world"):
    """Run ``module``'s fixture ``name`` as pytest would, with its own fixtures or the
    shared ones from conftest.py."""
    fixture = inspect.unwrap(getattr(module, name))
    kwargs = {}
    for param in inspect.signature(fixture).parameters:
        own = module.__dict__.get(param)
        kwargs[param] = (
            build(request, module, param) if _is_fixture(own) else request.getfixturevalue(param)
        )
    made = fixture(**kwargs)
    return next(made) if isinstance(made, types.GeneratorType) else made


def known_ids() -> set[str]:
    """Every id already in the database: these stay as they are in what is compared."""
    found = set()
    for model in apps.get_models():
        if isinstance(model._meta.pk, models.UUIDField):
            found |= {str(pk) for pk in model.objects.values_list("pk", flat=True)}
    return found


class Walker:
    def __init__(self, people, known, secret_ids):
        self.people = people
        self.known = known
        self.secret_ids = secret_ids
        self.tokens = {name: issue_token(person, "walk") for name, person in people.items()}

    def normalise(self, text: str) -> str:
        text = QR.sub("<qr>", CSRF.sub(r"\1\2", text))
        for secret in self.secret_ids:
            text = text.replace(secret, "<the secret's id>")
        fresh: dict[str, str] = {}

        def mask(match):
            value = match.group(0)
            if value in self.known:
                return value
            return fresh.setdefault(value, f"<new id {len(fresh) + 1}>")

        return RANDOM.sub("<random>", UUID.sub(mask, text))

    def seen(self, response) -> tuple:
        headers = {k: v for k, v in response.headers.items() if k not in ("Content-Length",)}
        location = self.normalise(headers.pop("Location", ""))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return (
            response.status_code,
            location,
            headers.get("Content-Type"),
            sorted(headers),
            self.normalise(body.decode("utf-8", errors="replace")),
        )

    def request(self, persona, face, method, path, data):
        """One request in a savepoint that is rolled back: the world stays as it was."""
        with transaction.atomic():
            if face == "api":
                headers = {}
                if persona != "anon":
                    headers["Authorization"] = f"Bearer {self.tokens[persona]}"
                client = Client(headers=headers)
                send = getattr(client, method)
                if method in ("get", "delete"):
                    response = send("/api/v1" + path)
                else:
                    body = "{}" if data is None else json.dumps(data, default=str)
                    response = send("/api/v1" + path, body, content_type="application/json")
            else:
                client = Client()
                if persona != "anon":
                    client.force_login(self.people[persona])
                response = getattr(client, method)(path, data or {})
            seen = self.seen(response)
            transaction.set_rollback(True)
        return seen


def _pk(value):
    return getattr(value, "pk", value)


def walk_list(api_world, web_world, people, secret_id: str):
    """(face, method, path, data) for every route of both matrices and a few more."""
    walk = []
    for method, path, body, _ in api_matrix.ROUTES:
        data = api_world[body] if isinstance(body, str) else body
        walk.append(("api", method, path.format(**api_world), data))
    fill = {name: _pk(value) for name, value in web_world.items()}
    for method, path, data, _ in web_matrix.PAGES + web_matrix.ACTIONS:
        filled = {key: str(value).format(**fill) for key, value in (data or {}).items()}
        walk.append(("web", method, path.format(**fill), filled))
    jess = people["jess"].pk
    for box in BOXES:
        walk.append(("api", "get", f"/letters?box={box}", None))
        walk.append(("api", "get", f"/letters?box={box}&with={jess}", None))
    walk += [
        ("api", "get", "/moments", None),
        ("api", "get", f"/letters?with={jess}", None),
        ("web", "get", "/sealed", None),
        ("web", "get", "/moments", None),
        ("web", "get", f"/with/{jess}", None),
    ]
    # Words of the secret letter, searched for.
    for words in ("care", "never sent", "Dear Rory"):
        walk.append(("api", "get", f"/search?q={words}", None))
        walk.append(("web", "get", f"/search?q={words}", None))
    # The secret itself, by its id: the same as a letter that does not exist.
    for action in ("", "/read", "/seal", "/withdraw", "/revisions", "/keep"):
        method = "get" if action in ("", "/revisions") else "post"
        walk.append(("api", method, f"/letters/{secret_id}{action}", None))
    for action in ("", "/edit", "/revisions"):
        walk.append(("web", "get", f"/letters/{secret_id}{action}", None))
    for action in ("/reply", "/seal", "/withdraw", "/save"):
        walk.append(("web", "post", f"/letters/{secret_id}{action}", {"revision": "1"}))
    return walk


def test_a_blind_sealed_letter_and_a_one_sided_glance_leave_no_trace(request, people, home):
    api_world = build(request, api_matrix)
    web_world = build(request, web_matrix)
    jess, rory = people["jess"], people["rory"]
    walker = Walker(people, known_ids(), secret_ids=set())
    not_yet = str(uuid.uuid4())  # stands in for the secret letter's id before it exists

    with time_machine.travel(timezone.now(), tick=False):
        walk = walk_list(api_world, web_world, people, not_yet)
        walker.secret_ids = {not_yet}
        without = {
            (who, i): walker.request(who, *step) for who in WATCHERS for i, step in enumerate(walk)
        }

        secret = make_letter(jess, rory, body="I never sent these. I didn't think you'd care.")
        mutual.seal(jess, secret.pk, blind=True)
        assert not mutual.glance(jess, rory.pk, home=home.pk).mutual
        walker.secret_ids = {str(secret.pk)}
        walk = walk_list(api_world, web_world, people, str(secret.pk))
        with_secret = {
            (who, i): walker.request(who, *step) for who in WATCHERS for i, step in enumerate(walk)
        }

    assert len(walk) > 100
    differ = [
        (who, walk[i][:3]) for (who, i), seen in with_secret.items() if seen != without[(who, i)]
    ]
    assert differ == []
    for (_who, i), seen in with_secret.items():
        assert seen[0] < 500, walk[i]  # nothing walked may be a server error


def test_the_walk_would_see_a_told_letter(request, people, home):
    """The walk is sharp enough to notice: a told-mode letter is meant to be seen."""
    api_world = build(request, api_matrix)
    web_world = build(request, web_matrix)
    jess, rory = people["jess"], people["rory"]
    walker = Walker(people, known_ids(), secret_ids=set())
    walk = [step for step in walk_list(api_world, web_world, people, str(uuid.uuid4()))]
    sealed_box = [i for i, step in enumerate(walk) if step[2] in ("/sealed", "/letters?box=sealed")]

    with time_machine.travel(timezone.now(), tick=False):
        before = [walker.request("rory", *walk[i]) for i in sealed_box]
        mutual.seal(jess, make_letter(jess, rory).pk)
        after = [walker.request("rory", *walk[i]) for i in sealed_box]

    assert all(b != a for b, a in zip(before, after, strict=True))


def test_the_mechanisms_still_work_for_the_one_who_answers(people, home):
    jess, rory = people["jess"], people["rory"]
    secret = make_letter(jess, rory, body="Blind.")
    mutual.seal(jess, secret.pk, blind=True)
    mutual.glance(jess, rory.pk, home=home.pk)

    assert mutual.seal(rory, make_letter(rory, jess).pk).moment is not None
    assert mutual.glance(rory, jess.pk, home=home.pk).mutual
