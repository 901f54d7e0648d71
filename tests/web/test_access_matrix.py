"""Every web route × every persona → the exact status each gets.

Jess wrote the letters; Rory received them; Sam shares the home but was not written to;
Olive lives elsewhere; "anon" is nobody logged in. A route not for you answers 404, the
same 404 as a letter that does not exist.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from dear.accounts.models import ApiToken
from dear.accounts.services import issue_token
from dear.homes import services as homes
from dear.homes.models import Invite
from dear.letters import services as letters
from dear.letters.models import Letter, Revision
from dear.mutual.services import seal
from dear.notify import channels
from tests.helpers import PASSWORD, make_letter, send_now
from tests.pushservice import PushService
from tests.web.conftest import without_csrf

PERSONAS = ("jess", "rory", "sam", "olive", "anon")
LOGIN = "login"  # anonymous: redirected to the login page


@pytest.fixture
def world(people, home, other_home):
    jess, rory = people["jess"], people["rory"]
    on_its_way = make_letter(jess, rory, body="On its way.")
    with override_settings(SEND_UNDO_SECONDS=600):
        letters.send(jess, on_its_way.pk)
    binned = make_letter(jess, rory, body="Binned.")
    letters.discard(jess, binned.pk)
    issue_token(jess, "laptop")
    counter = homes.create_place(jess, home.pk, "The counter")
    return {
        **people,
        "place": counter,
        "label": counter.label,
        "shelf": homes.create_place(jess, home.pk, "The shelf"),
        "note": send_now(make_letter(jess, rory, body="Under the cup."), place=counter.pk),
        "home": home,
        "delivered": send_now(make_letter(jess, rory, body="Delivered.")),
        "draft": make_letter(jess, rory, body="Draft."),
        "sealed": seal(jess, make_letter(jess, rory, body="Sealed.").pk).letter,
        "on_its_way": on_its_way,
        "binned": binned,
        "invite": homes.create_invite(jess, home.pk).code,
        "token": jess.api_tokens.get(),
        # A browser of Jess's; nothing listens at its push service (port 0).
        "channel": channels.add_webpush(jess, PushService().subscribe(), name="Firefox on Linux"),
    }


def _(jess, rory, sam, olive, anon=LOGIN):
    return dict(zip(PERSONAS, (jess, rory, sam, olive, anon), strict=True))


ALL_200 = _(200, 200, 200, 200)

# (method, path template, data, expected per persona)
PAGES = [
    ("get", "/", None, ALL_200),
    ("get", "/inbox", None, ALL_200),
    ("get", "/sent", None, ALL_200),
    ("get", "/scheduled", None, ALL_200),
    ("get", "/drafts", None, ALL_200),
    ("get", "/drawer", None, ALL_200),
    ("get", "/basket", None, ALL_200),
    ("get", "/letters", None, ALL_200),
    ("get", "/more", None, ALL_200),
    ("get", "/homes/{home}", None, _(200, 200, 200, 404)),
    ("get", "/settings", None, ALL_200),
    ("get", "/settings/tokens", None, ALL_200),
    ("get", "/more", None, ALL_200),
    ("get", "/search?q=light", None, ALL_200),
    ("get", "/archive", None, ALL_200),
    ("get", "/archive/export", None, ALL_200),
    ("get", "/settings/delete", None, ALL_200),
    ("get", "/letters/{delivered}", None, _(200, 200, 404, 404)),
    ("get", "/letters/{draft}", None, _(200, 404, 404, 404)),
    ("get", "/letters/{on_its_way}", None, _(200, 404, 404, 404)),
    ("get", "/letters/{draft}/edit", None, _(200, 404, 404, 404)),
    ("get", "/letters/{delivered}/edit", None, _(302, 404, 404, 404)),
    ("get", "/letters/{draft}/revisions", None, _(200, 404, 404, 404)),
    ("get", "/letters/{delivered}/revisions", None, _(200, 404, 404, 404)),
    ("get", "/with/{rory}", None, _(200, 404, 200, 404)),
    ("get", "/write?to={rory}&home={home}", None, _(200, 404, 200, 404)),
    ("get", "/invite/{invite}", None, _(200, 200, 200, 200, 200)),
    ("get", "/login", None, _(302, 302, 302, 302, 200)),
    ("get", "/places/{place}", None, _(200, 200, 200, 404)),
    ("get", "/places/{place}/manage", None, _(200, 200, 200, 404)),
    ("get", "/p/{label}", None, _(302, 302, 302, 404)),
    ("get", "/p/no-such-label", None, _(404, 404, 404, 404)),
    ("get", "/homes/{home}/labels", None, _(200, 200, 200, 404)),
    ("get", "/letters/{note}", None, _(200, 404, 404, 404)),
    ("get", "/sealed", None, ALL_200),
    ("get", "/moments", None, ALL_200),
    ("get", "/letters/{sealed}", None, _(200, 404, 404, 404)),
    ("get", "/sw.js", None, _(200, 200, 200, 200, 200)),
    ("get", "/offline", None, _(200, 200, 200, 200, 200)),
    # Email: a confirmation link is the proof on its own, so nobody needs to log in; a
    # link Dear did not sign is the same kind 410 for everyone.
    ("get", "/email/confirm/not-a-link", None, _(410, 410, 410, 410, 410)),
    ("get", "/password/forgot", None, _(200, 200, 200, 200, 200)),
    ("get", "/password/reset/bm9ib2R5/not-a-token", None, _(410, 410, 410, 410, 410)),
]

ACTIONS = [
    ("post", "/letters/{draft}/save", {"revision": 1, "body": "x"}, _(200, 404, 404, 404)),
    ("post", "/letters/{draft}/edit", {"revision": 1, "body": "x"}, _(302, 404, 404, 404)),
    ("post", "/letters/{draft}/crumple", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{draft}/keep", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{draft}/discard", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{draft}/send", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{delivered}/send", {}, _(409, 404, 404, 404)),
    ("post", "/letters/{on_its_way}/withdraw", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{delivered}/withdraw", {}, _(409, 404, 404, 404)),
    ("post", "/letters/{binned}/restore", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{draft}/revisions/1/restore", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{delivered}/reply", {}, _(422, 302, 404, 404)),
    ("post", "/letters/{draft}/reply", {}, _(422, 404, 404, 404)),
    ("post", "/write", {"to": "{rory}", "home": "{home}"}, _(302, 422, 302, 404)),
    ("post", "/homes/{home}/invites", {}, _(200, 200, 200, 404)),
    ("post", "/homes/{home}/leave", {}, _(200, 200, 200, 404)),
    ("post", "/homes/{home}/leave", {"confirm": "yes"}, _(302, 302, 302, 404)),
    ("post", "/homes", {"name": "Shed"}, _(302, 302, 302, 302)),
    ("post", "/basket/empty", {}, ALL_200),
    ("post", "/basket/empty", {"confirm": "yes"}, _(302, 302, 302, 302)),
    ("post", "/settings/profile", {"display_name": "New"}, _(302, 302, 302, 302)),
    (
        "post",
        "/settings/password",
        {"old_password": PASSWORD, "new_password": "another fine secret"},
        _(302, 302, 302, 302),
    ),
    ("post", "/settings/tokens", {"name": "cli"}, ALL_200),
    ("post", "/archive/import", {}, _(422, 422, 422, 422)),
    ("post", "/settings/delete/confirm", {}, ALL_200),
    ("post", "/settings/delete/confirm", {"confirm": "yes"}, _(422, 422, 422, 422)),
    (
        "post",
        "/settings/delete/confirm",
        {"confirm": "yes", "password": PASSWORD},
        _(302, 302, 302, 302),
    ),
    ("post", "/settings/tokens/{token}/revoke", {}, _(302, 404, 404, 404)),
    ("post", "/homes/{home}/places", {"name": "Shelf"}, _(302, 302, 302, 404)),
    ("post", "/places/{place}/change", {"name": "Top"}, _(302, 302, 302, 404)),
    ("post", "/places/{place}/archive", {}, _(302, 302, 302, 404)),
    ("post", "/places/{place}/restore", {}, _(302, 302, 302, 404)),
    ("post", "/places/{place}/label", {}, _(302, 302, 302, 404)),
    ("post", "/letters/{draft}/leave", {"place": "{place}"}, _(302, 404, 404, 404)),
    ("post", "/letters/{note}/move", {"place": "{shelf}"}, _(302, 404, 404, 404)),
    ("post", "/letters/{note}/take-back", {}, _(302, 404, 404, 404)),
    ("post", "/settings/receipts", {}, _(302, 302, 302, 302)),
    ("post", "/settings/email", {"address": ""}, _(302, 302, 302, 302)),
    ("post", "/settings/email/link", {}, _(409, 409, 409, 409)),
    ("post", "/settings/email/remove", {}, _(302, 302, 302, 302)),
    ("post", "/settings/email/choices", {"words": "on"}, _(302, 302, 302, 302)),
    (
        "post",
        "/settings/time",
        {"time_zone": "Europe/Lisbon", "quiet_from": "23:00", "quiet_until": "07:30"},
        _(302, 302, 302, 302),
    ),
    ("post", "/settings/time/device", {"time_zone": "Europe/Lisbon"}, ALL_200),
    # How Dear tells you: a URL Apprise cannot read, and a subscription that is not JSON,
    # are refused for everyone; a channel is its owner's alone.
    ("post", "/settings/push-apps", {"url": "nope://x"}, _(422, 422, 422, 422)),
    ("post", "/settings/devices", {"endpoint": "x"}, _(422, 422, 422, 422)),
    # From the service worker: JSON only, and no login page to send it to.
    ("post", "/settings/devices/renewed", {"old": "x"}, _(422, 422, 422, 422, 401)),
    ("post", "/settings/channels/{channel}/choices", {"letters": "on"}, _(302, 404, 404, 404)),
    ("post", "/settings/channels/{channel}/test", {}, _(302, 404, 404, 404)),
    ("post", "/settings/channels/{channel}/remove", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{draft}/seal", {}, _(302, 404, 404, 404)),
    ("post", "/letters/{sealed}/seal", {}, _(409, 404, 404, 404)),
    ("post", "/letters/{sealed}/withdraw", {}, _(302, 404, 404, 404)),
    ("post", "/glances", {"to": "{rory}", "home": "{home}"}, _(302, 422, 302, 404)),
    ("post", "/homes/{home}/glance-window", {"minutes": "30"}, _(302, 302, 302, 404)),
    ("post", "/with/{rory}/reminder", {"after_days": "9"}, _(302, 404, 302, 404)),
    ("post", "/with/{rory}/reminder/stop", {}, _(302, 404, 302, 404)),
    ("post", "/logout", {}, _(302, 302, 302, 302, 302)),
    ("post", "/welcome", {"username": "x"}, _(403, 403, 403, 403, 403)),
    (
        "post",
        "/invite/{invite}",
        {"username": "newbie", "display_name": "Newbie", "password": PASSWORD},
        _(302, 302, 302, 302, 302),
    ),
]


def _fill(template: str, world) -> str:
    return template.format(**{name: getattr(value, "pk", value) for name, value in world.items()})


def _request(client_of, world, persona, method, path, data):
    client = client_of(None if persona == "anon" else world[persona])
    data = {k: _fill(str(v), world) for k, v in (data or {}).items()}
    return getattr(client, method)(_fill(path, world), data)


def _cases(routes):
    return [
        pytest.param(
            method, path, data, persona, expected[persona], id=f"{persona}-{method}-{path}"
        )
        for method, path, data, expected in routes
        for persona in PERSONAS
    ]


@pytest.mark.parametrize(("method", "path", "data", "persona", "expected"), _cases(PAGES + ACTIONS))
def test_each_persona_gets_exactly_the_expected_status(
    world, client_of, method, path, data, persona, expected
):
    response = _request(client_of, world, persona, method, path, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(django_settings.LOGIN_URL.replace("web:", "/"))
    else:
        assert response.status_code == expected


MUTATING = sorted(
    {path for method, path, _data, _exp in ACTIONS if method == "post"}
    - {"/write", "/invite/{invite}", "/letters/{draft}/edit", "/settings/tokens"}
)


@pytest.mark.parametrize("path", MUTATING)
def test_every_mutating_route_rejects_get(world, client_of, path):
    assert client_of(world["jess"]).get(_fill(path, world)).status_code == 405


@pytest.mark.parametrize(
    "path", ["/write", "/invite/{invite}", "/letters/{draft}/edit", "/settings/tokens"]
)
def test_routes_that_show_a_form_on_get_change_nothing_on_get(world, client_of, path):
    def state():
        return (
            ApiToken.objects.count(),
            Letter.objects.count(),
            Revision.objects.count(),
            Invite.objects.filter(used_at__isnull=False).count(),
        )

    before = state()
    client_of(world["olive"]).get(_fill(path, world))
    client_of(world["jess"]).get(_fill(path, world))
    assert state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/letters/{id}",
        "/letters/{id}/edit",
        "/letters/{id}/revisions",
    ],
)
def test_an_outsiders_404_is_identical_to_a_missing_letters(world, client_of, path):
    client = client_of(world["olive"])
    real = client.get(path.format(id=world["delivered"].pk))
    missing = client.get(path.format(id=uuid.uuid4()))
    assert real.status_code == missing.status_code == 404
    assert without_csrf(real.content) == without_csrf(missing.content)
    assert dict(real.headers).keys() == dict(missing.headers).keys()


@pytest.mark.parametrize("action", ["save", "crumple", "send", "withdraw", "reply"])
def test_an_outsiders_404_on_an_action_is_identical_to_a_missing_letters(world, client_of, action):
    client = client_of(world["olive"])
    real = client.post(f"/letters/{world['delivered'].pk}/{action}", {"revision": 1})
    missing = client.post(f"/letters/{uuid.uuid4()}/{action}", {"revision": 1})
    assert real.status_code == missing.status_code == 404
    assert without_csrf(real.content) == without_csrf(missing.content)


def test_a_housemates_404_matches_a_missing_persons(world, client_of):
    client = client_of(world["jess"])
    real = client.get(f"/with/{world['olive'].pk}")
    missing = client.get(f"/with/{uuid.uuid4()}")
    assert without_csrf(real.content) == without_csrf(missing.content)


def test_an_unknown_address_gets_the_same_friendly_404(world, client_of):
    client = client_of(world["olive"])
    unknown = client.get("/letters/not-a-uuid")
    missing = client.get(f"/letters/{uuid.uuid4()}")
    assert unknown.status_code == 404
    assert without_csrf(unknown.content) == without_csrf(missing.content)
