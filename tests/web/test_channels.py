"""Settings' "How Dear tells you": this device through Web Push (a push service stand-in
on loopback) and push apps through an Apprise URL (a push app's server on loopback)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from dear.notify import channels, webpush
from tests.helpers import PASSWORD, make_letter, send_now
from tests.web.conftest import without_csrf

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
# A browser reaching Dear on this computer: Web Push is possible there.
HERE = {"HTTP_HOST": "127.0.0.1:8000"}


@pytest.fixture(autouse=True)
def _keys_in_a_dir_of_their_own(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def _page(client, **extra) -> str:
    return client.get("/settings", **extra).content.decode()


def _subscribe(client, device: dict, **extra):
    return client.post(
        "/settings/devices",
        json.dumps(device),
        content_type="application/json",
        HTTP_USER_AGENT=PHONE,
        **{**HERE, **extra},
    )


def test_one_card_lists_email_this_device_and_push_apps(rory, client_of):
    html = _page(client_of(rory), **HERE)

    card = html[html.index('id="tells-heading"') : html.index('id="time-heading"')]
    assert re.findall(r"<h3 id=\"[\w-]+\">([^<]+)</h3>", card) == ["Email", "This device"]
    assert "This Dear does not send email." in card
    assert f'data-push-key="{webpush.public_key()}"' in card
    assert ">Notify this device</button>" in card
    assert 'action="/settings/push-apps"' in card


def _folded(card: str) -> str:
    """The push app form's fold: its opening tag and summary."""
    return re.search(r"<details class=\"add-push-app\"[^>]*>\s*<summary>[^<]*</summary>", card)[0]


def test_push_apps_are_folded_away_behind_plain_words(rory, client_of):
    html = _page(client_of(rory), **HERE)

    fold = _folded(html)
    assert "open" not in fold
    assert "<summary>Use a push app instead (ntfy, Gotify, Telegram…)</summary>" in fold
    # The jargon lives inside the fold, never above it.
    before = html[: html.index('<details class="add-push-app"')]
    assert "Apprise" not in before


def test_a_push_app_added_stays_in_view_with_a_way_to_remove_it(rory, client_of, push_app):
    client = client_of(rory)
    client.post("/settings/push-apps", {"url": push_app.json_url("hook")}, **HERE)
    (channel,) = channels.listed(rory)

    html = _page(client, **HERE)

    fold = html.index('<details class="add-push-app"')
    listed = html[html.index('id="push-apps-heading"') : fold]
    assert ">Push apps</h3>" in listed
    assert f'id="channel-{channel.id}"' in listed and channel.state[1:] in listed
    assert f'action="/settings/channels/{channel.id}/remove"' in listed
    assert "<summary>Add another push app</summary>" in _folded(html)


def test_a_refused_push_app_shows_its_form_unfolded(rory, client_of):
    answer = client_of(rory).post("/settings/push-apps", {"url": "nope://secret-topic"}, **HERE)

    assert answer.status_code == 422
    assert '<details class="add-push-app" open>' in answer.content.decode()


def test_over_plain_http_the_page_says_why_and_points_to_push_apps(rory, client_of):
    html = _page(client_of(rory), HTTP_HOST="192.168.1.20:8000")

    assert (
        "Browsers let a website notify them only over HTTPS or on the computer it runs on, "
        "and Dear is reached here over plain HTTP." in html
    )
    assert '<a href="#push-app-url">A push app works everywhere: add one below.</a>' in html
    assert "data-push-key" not in html
    assert f'data-push-key="{webpush.public_key()}"' in _page(
        client_of(rory), HTTP_HOST="dear.example.net", secure=True
    )


def test_a_device_subscribes_is_named_and_its_test_push_arrives(
    rory, client_of, push_service, settings
):
    client = client_of(rory)
    device = push_service.subscribe(webpush.public_key())

    answer = _subscribe(client, device)

    assert answer.status_code == 201
    assert answer.json()["name"] == "Chrome on Android"
    html = _page(client, **HERE)
    assert "Dear rings this device, <strong>Chrome on Android</strong>" in html
    assert "Nothing sent yet</p>" in html
    assert device["endpoint"] not in html and device["keys"]["auth"] not in html
    assert ">Stop notifying this device</button>" in html
    assert ">Notify this device</button>" not in html

    (channel,) = channels.listed(rory)
    client.post(f"/settings/channels/{channel.id}/test")

    (push,) = push_service.received(device["endpoint"])
    assert push.payload["title"] == channels.TEST_TITLE
    assert re.search(r"Last sent \d\d:\d\d</p>", _page(client, **HERE))


def test_another_browser_sees_the_device_listed_but_not_as_itself(rory, client_of, push_service):
    _subscribe(client_of(rory), push_service.subscribe(webpush.public_key()))

    html = _page(client_of(rory), **HERE)

    assert "<strong>Chrome on Android</strong>" in html
    assert "this device</span>" not in html
    assert ">Notify this device</button>" in html


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"endpoint": "https://push.example.net/x"}),
        json.dumps({"endpoint": "ftp://x", "keys": {"p256dh": "a", "auth": "b"}}),
        json.dumps({"endpoint": "https://[::1/x", "keys": {"p256dh": "a", "auth": "b"}}),
        json.dumps({"endpoint": "https://push.example.net:port/x", "keys": {}}),
    ],
)
def test_a_subscription_that_cannot_work_is_refused_and_nothing_kept(rory, client_of, body):
    answer = client_of(rory).post(
        "/settings/devices", body, content_type="application/json", **HERE
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid"
    assert channels.listed(rory) == []


def test_a_device_the_push_service_says_is_gone_is_shown_gone(rory, client_of, push_service):
    client = client_of(rory)
    device = push_service.subscribe(webpush.public_key())
    _subscribe(client, device)
    (channel,) = channels.listed(rory)
    push_service.answer(device["endpoint"], 410)

    followed = client.post(f"/settings/channels/{channel.id}/test", follow=True, **HERE)

    html = followed.content.decode()
    assert "The test did not arrive: the push service answered 410" in html
    assert "The push service says this device is gone</p>" in html
    assert f'action="/settings/channels/{channel.id}/test"' not in html
    assert ">Notify this device</button>" in html  # it may subscribe afresh


def _renew(client, old: str | None, device: dict, **extra):
    """What the service worker posts on ``pushsubscriptionchange``: no CSRF token."""
    return client.post(
        "/settings/devices/renewed",
        json.dumps({"old": old, "subscription": device}),
        content_type="application/json",
        **{**HERE, **extra},
    )


def _subscription(person, shown) -> dict:
    return channels.subscription_of(channels.channel_for(person, shown.id))


def _service_worker_of(client):
    """The same browser's service worker: its session cookie, and no CSRF token to send."""
    worker = Client(enforce_csrf_checks=True)
    worker.cookies = client.cookies
    return worker


def test_a_subscription_the_push_service_replaced_goes_on_ringing_with_its_choices(
    rory, client_of, push_service
):
    here = client_of(rory)
    old = push_service.subscribe(webpush.public_key())
    _subscribe(here, old)
    (channel,) = channels.listed(rory)
    channels.update_choices(rory, channel.id, words=True)
    new = push_service.subscribe(webpush.public_key())

    answer = _renew(_service_worker_of(here), old["endpoint"], new)

    assert answer.status_code == 200, answer.content
    (renewed,) = channels.listed(rory)
    assert (renewed.id, renewed.name, renewed.words) == (channel.id, "Chrome on Android", True)
    here.post(f"/settings/channels/{channel.id}/test")
    assert push_service.received(old["endpoint"]) == []
    assert [p.payload["title"] for p in push_service.received(new["endpoint"])] == [
        channels.TEST_TITLE
    ]


def test_a_replaced_subscription_with_no_old_one_is_found_by_the_browsers_session(
    rory, client_of, push_service
):
    here, elsewhere = client_of(rory), client_of(rory)
    _subscribe(elsewhere, push_service.subscribe(webpush.public_key()))
    _subscribe(here, push_service.subscribe(webpush.public_key()))
    new = push_service.subscribe(webpush.public_key())

    answer = _renew(_service_worker_of(here), None, new)

    assert answer.status_code == 200, answer.content
    mine = [c for c in channels.listed(rory, session_key=here.session.session_key) if c.this_device]
    assert [_subscription(rory, c) for c in mine] == [channels.clean_subscription(new)]
    assert len(channels.listed(rory)) == 2


@pytest.mark.parametrize("who", ["jess", "rory-elsewhere", "nobody"])
def test_only_its_owner_knowing_the_old_endpoint_or_in_its_session_may_replace_it(
    who, rory, jess, client_of, push_service
):
    old = push_service.subscribe(webpush.public_key())
    _subscribe(client_of(rory), old)
    someone = {"jess": client_of(jess), "rory-elsewhere": client_of(rory)}.get(who, Client())
    new = push_service.subscribe(webpush.public_key())

    by_endpoint = _renew(someone, old["endpoint"] if who == "jess" else None, new)

    assert by_endpoint.status_code == (401 if who == "nobody" else 404)
    assert by_endpoint.json()["error"]["code"] in ("unauthorized", "not_found")
    (kept,) = channels.listed(rory)
    assert _subscription(rory, kept) == channels.clean_subscription(old)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([]),
        json.dumps({"old": 7, "subscription": {}}),
        json.dumps({"old": None, "subscription": {"endpoint": "ftp://x", "keys": {}}}),
    ],
)
def test_a_replacement_that_cannot_work_is_refused_and_the_old_one_kept(
    body, rory, client_of, push_service
):
    here = client_of(rory)
    old = push_service.subscribe(webpush.public_key())
    _subscribe(here, old)

    answer = _service_worker_of(here).post(
        "/settings/devices/renewed", body, content_type="application/json", **HERE
    )

    assert answer.status_code == 422
    (kept,) = channels.listed(rory)
    assert _subscription(rory, kept) == channels.clean_subscription(old)


def test_a_form_post_is_not_a_subscription_and_changes_nothing(rory, client_of, push_service):
    here = client_of(rory)
    old = push_service.subscribe(webpush.public_key())
    _subscribe(here, old)

    answer = _service_worker_of(here).post(
        "/settings/devices/renewed", {"old": old["endpoint"], "subscription": "{}"}, **HERE
    )

    assert answer.status_code == 422
    (kept,) = channels.listed(rory)
    assert _subscription(rory, kept) == channels.clean_subscription(old)


@pytest.mark.parametrize("came_from", ["same-site", "cross-site", "none"])
def test_a_request_the_browser_says_came_from_elsewhere_cannot_replace_a_subscription(
    came_from, rory, client_of, push_service
):
    here = client_of(rory)
    old = push_service.subscribe(webpush.public_key())
    _subscribe(here, old)

    answer = _renew(
        _service_worker_of(here),
        old["endpoint"],
        push_service.subscribe(webpush.public_key()),
        HTTP_SEC_FETCH_SITE=came_from,
    )

    assert answer.status_code == 403
    (kept,) = channels.listed(rory)
    assert _subscription(rory, kept) == channels.clean_subscription(old)


def test_logging_out_stops_this_browser_only(rory, client_of, push_service):
    here, there = client_of(rory), client_of(rory)
    _subscribe(here, push_service.subscribe(webpush.public_key()))
    _subscribe(there, push_service.subscribe(webpush.public_key()))

    here.post("/logout")

    (left,) = channels.listed(rory)
    assert "this device</span>" in _page(there, **HERE)
    assert left.this_device is False  # seen from no session at all


def test_a_push_app_is_added_tested_at_once_and_shown_masked(rory, client_of, push_app):
    client = client_of(rory)
    url = push_app.ntfy_url("rory-letters-k2")

    followed = client.post("/settings/push-apps", {"url": url}, follow=True, **HERE)

    html = followed.content.decode()
    assert followed.redirect_chain[-1][0] == "/settings#push-apps"
    assert "Added 127.0.0.1. A test notification went out; it should be there now." in html
    assert len(push_app.arrived) == 1
    assert "rory-letters-k2" not in html
    assert f"ntfy://127.0.0.1:{push_app.port}/…" in html
    assert "Nothing sent yet" not in html and re.search(r"Last sent \d\d:\d\d</p>", html)


def test_a_url_apprise_cannot_read_is_refused_kept_nowhere_and_not_shown_back(rory, client_of):
    answer = client_of(rory).post("/settings/push-apps", {"url": "nope://secret-topic"}, **HERE)

    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Apprise does not understand this URL." in html
    assert "secret-topic" not in html
    assert channels.listed(rory) == []


def test_a_push_app_that_refuses_the_test_is_kept_with_what_came_back(rory, client_of, push_app):
    push_app.answer.append(401)

    followed = client_of(rory).post(
        "/settings/push-apps", {"url": push_app.json_url("hook")}, follow=True, **HERE
    )

    html = followed.content.decode()
    assert "Added 127.0.0.1. The test did not arrive:" in html
    (kept,) = channels.listed(rory)
    assert kept.state.startswith("the ")


def test_choices_are_saved_per_channel(rory, client_of, push_service):
    client = client_of(rory)
    _subscribe(client, push_service.subscribe(webpush.public_key()))
    (channel,) = channels.listed(rory)
    assert (channel.words, channel.letters, channel.reminders) == (False, True, True)

    client.post(f"/settings/channels/{channel.id}/choices", {"letters": "on", "words": "on"})

    (channel,) = channels.listed(rory)
    assert (channel.words, channel.letters, channel.sealed, channel.moments, channel.reminders) == (
        True,
        True,
        False,
        False,
        False,
    )


def test_removing_a_channel_stops_it_and_says_so(rory, client_of, push_app):
    client = client_of(rory)
    client.post("/settings/push-apps", {"url": push_app.json_url("hook")})
    (channel,) = channels.listed(rory)

    followed = client.post(f"/settings/channels/{channel.id}/remove", follow=True, **HERE)

    assert "Dear no longer tells you through 127.0.0.1." in followed.content.decode()
    assert channels.listed(rory) == []


def test_someone_elses_channel_is_the_same_404_as_none(rory, jess, client_of, push_app):
    client_of(rory).post("/settings/push-apps", {"url": push_app.json_url("hook")})
    (channel,) = channels.listed(rory)
    intruder = client_of(jess)

    theirs = intruder.post(f"/settings/channels/{channel.id}/remove")
    missing = intruder.post("/settings/channels/0190b4a2-1f2e-7c3d-8e4f-5a6b7c8d9e0f/remove")

    assert theirs.status_code == missing.status_code == 404
    assert without_csrf(theirs.content) == without_csrf(missing.content)
    assert len(channels.listed(rory)) == 1


def test_a_letter_that_arrived_offers_to_notify_this_device(rory, jess, home, client_of):
    letter = send_now(make_letter(jess, rory, body="The kettle is fixed."))

    html = client_of(rory).get(f"/letters/{letter.pk}", **HERE).content.decode()

    assert "data-push-offer hidden" in html
    assert f'data-push-key="{webpush.public_key()}"' in html
    assert "Should this device tell you when the next letter arrives?" in html


def test_the_offer_is_not_made_to_the_writer_over_plain_http_or_once_a_device_rings(
    rory, jess, home, client_of, push_service
):
    letter = send_now(make_letter(jess, rory, body="The kettle is fixed."))
    path = f"/letters/{letter.pk}"

    assert "data-push-offer" not in client_of(jess).get(path, **HERE).content.decode()
    plain = client_of(rory).get(path, HTTP_HOST="192.168.1.20:8000").content.decode()
    assert "data-push-offer" not in plain
    _subscribe(client_of(rory), push_service.subscribe(webpush.public_key()))
    assert "data-push-offer" not in client_of(rory).get(path, **HERE).content.decode()


def test_changing_the_password_here_keeps_this_device_ringing(rory, client_of, push_service):
    """The session goes on under a new key; the device subscribed in it goes on with it."""
    client = client_of(rory)
    assert _subscribe(client, push_service.subscribe(webpush.public_key())).status_code == 201
    before = client.session.session_key

    client.post(
        "/settings/password", {"old_password": PASSWORD, "new_password": "a brand new secret"}
    )

    (device,) = channels.Channel.objects.filter(person=rory)
    assert client.session.session_key != before
    assert device.session_key == client.session.session_key
    assert not channels.session_ended(device)
