"""`/me/channels`: push apps (tested at once against a real server on loopback) and
browsers beside email. The Apprise URL goes in and never comes back out."""

from __future__ import annotations

import io
import zipfile

import pytest

from dear.notify.models import Channel
from tests.api.conftest import client_for
from tests.api.test_access_matrix import A_SUBSCRIPTION


@pytest.fixture
def api(rory):
    return client_for(rory)


def test_adding_a_push_app_answers_it_masked_with_its_test(api, rory, push_app):
    url = push_app.ntfy_url("rory-secret-topic")

    added = api.post("/me/channels", {"kind": "apprise", "url": url})

    assert added.status_code == 201, added.content
    body = added.json()
    assert "rory-secret-topic" not in added.content.decode()
    assert body["kind"] == "apprise"
    assert body["masked"] == f"ntfy://127.0.0.1:{push_app.port}/…"
    assert body["test"]["ok"] is True
    assert (body["words"], body["letters"], body["sealed"], body["moments"], body["reminders"]) == (
        False,
        True,
        True,
        True,
        True,
    )
    assert body["state"].startswith("last sent")
    assert [a.topic for a in push_app.arrived] == ["rory-secret-topic"]

    listed = api.get("/me/channels")
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]
    assert "rory-secret-topic" not in listed.content.decode()


def test_a_url_apprise_does_not_understand_is_a_422_and_nothing_is_kept(api):
    refused = api.post("/me/channels", {"kind": "apprise", "url": "nope://secret-bit"})

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid"
    assert "secret-bit" not in refused.content.decode()
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "apprise"},
        {"kind": "webpush"},
        {"kind": "carrier-pigeon", "url": "json://127.0.0.1/"},
        {"kind": "webpush", "subscription": {"endpoint": "https://x.example/", "keys": {}}},
        {"kind": "apprise", "url": 12},
        {"kind": "webpush", "subscription": {**A_SUBSCRIPTION, "endpoint": "https://[::1/x"}},
    ],
)
def test_a_channel_of_the_wrong_shape_is_a_422(api, body):
    assert api.post("/me/channels", body).status_code == 422
    assert not Channel.objects.exists()


def test_a_browser_is_added_from_its_subscription(api):
    added = api.post(
        "/me/channels", {"kind": "webpush", "subscription": A_SUBSCRIPTION, "name": "Firefox"}
    )

    assert added.status_code == 201, added.content
    assert added.json()["name"] == "Firefox"
    assert added.json()["masked"] == "push.example.net/…"
    assert added.json()["test"] is None
    assert A_SUBSCRIPTION["keys"]["auth"] not in added.content.decode()


def test_choices_change_and_a_test_says_what_came_back(api, push_app):
    made = api.post("/me/channels", {"kind": "apprise", "url": push_app.json_url()}).json()

    changed = api.patch(f"/me/channels/{made['id']}", {"words": True, "moments": False})
    assert changed.status_code == 200
    assert (changed.json()["words"], changed.json()["moments"]) == (True, False)

    push_app.answer = [503]
    tested = api.post(f"/me/channels/{made['id']}/test")
    assert tested.status_code == 200
    assert tested.json()["test"]["ok"] is False
    assert "503" in tested.json()["test"]["message"]
    assert "503" in tested.json()["state"]


def test_removing_a_channel_answers_204_and_it_is_gone(api, push_app):
    made = api.post("/me/channels", {"kind": "apprise", "url": push_app.json_url()}).json()

    assert api.delete(f"/me/channels/{made['id']}").status_code == 204
    assert api.get("/me/channels").json() == {"items": []}
    assert api.delete(f"/me/channels/{made['id']}").status_code == 404


def test_the_url_is_in_no_export(api, push_app):
    url = push_app.ntfy_url("topic-not-exported")
    assert api.post("/me/channels", {"kind": "apprise", "url": url}).status_code == 201

    exported = api.get("/export")

    assert exported.status_code == 200
    with zipfile.ZipFile(
        io.BytesIO(
            b"".join(exported.streaming_content if exported.streaming else [exported.content])
        )
    ) as archive:
        for name in archive.namelist():
            assert b"topic-not-exported" not in archive.read(name), name
