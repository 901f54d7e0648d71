"""Channels beside email: adding a push app (with a test sent at once) or a browser's
subscription, choosing what each tells, removing them, and what their owner is shown.
A real HTTP server on loopback stands in for the push app's."""

from __future__ import annotations

import io
import json
import logging

import pytest

from dear.lib.errors import Conflict, Invalid, NotFound
from dear.notify import channels
from dear.notify.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db

P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def a_subscription(endpoint="https://push.example.net/send/abc123") -> dict:
    return {"endpoint": endpoint, "keys": {"p256dh": P256DH, "auth": AUTH}, "expirationTime": None}


def test_a_push_app_is_kept_masked_and_sent_a_test_at_once(clock, rory, push_app):
    url = push_app.ntfy_url("rory-letters-x7")

    channel, result = channels.add_apprise(rory, url)

    assert result.ok, result.message
    (arrived,) = push_app.arrived
    assert arrived.title == channels.TEST_TITLE
    assert arrived.topic == "rory-letters-x7"
    assert channel.kind == ChannelKind.APPRISE
    assert channel.secret == url
    assert channel.masked == f"ntfy://127.0.0.1:{push_app.port}/…"
    assert channel.name == "127.0.0.1"
    (shown,) = channels.listed(rory)
    assert "rory-letters-x7" not in repr(shown)
    assert (shown.words, shown.letters, shown.sealed, shown.moments, shown.reminders) == (
        False,
        True,
        True,
        True,
        True,
    )
    assert shown.state == "last sent 12:00"


def test_a_url_apprise_does_not_understand_is_refused_and_nothing_kept(rory):
    for url in ("nonsense://secret-thing", "https://example.net/x", "", "ntfy://a b/c", 42):
        with pytest.raises(Invalid) as refused:
            channels.add_apprise(rory, url)
        assert "secret-thing" not in refused.value.message
    assert not Channel.objects.exists()


def test_a_push_app_whose_test_fails_is_kept_with_what_came_back(clock, rory, push_app):
    push_app.answer = [500]

    channel, result = channels.add_apprise(rory, push_app.json_url("hook-secret"))

    assert not result.ok
    assert "500" in result.message and "hook-secret" not in result.message
    (shown,) = channels.listed(rory)
    assert shown.state.startswith("the last one did not arrive")
    assert "500" in shown.state

    assert channels.test(rory, channel.pk).ok
    (shown,) = channels.listed(rory)
    assert shown.state == "last sent 12:00"


def test_the_same_push_app_twice_is_a_conflict(rory, push_app):
    channels.add_apprise(rory, push_app.json_url())
    with pytest.raises(Conflict):
        channels.add_apprise(rory, push_app.json_url())
    assert Channel.objects.count() == 1


def test_what_apprise_says_while_sending_never_reaches_the_logs(rory, push_app):
    # Dear's logs are what reaches the root logger (settings.LOGGING); pytest's own
    # capture hooks onto every logger, so it cannot be the witness here.
    written = io.StringIO()
    witness = logging.StreamHandler(written)
    root = logging.getLogger()
    root.addHandler(witness)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        push_app.answer = [500]
        channels.add_apprise(rory, push_app.ntfy_url("topic-nobody-may-know"))
        channels.add_apprise(rory, "ntfy://127.0.0.1:9/another-secret-topic")  # nobody there
    finally:
        root.removeHandler(witness)
        root.setLevel(level)

    assert "topic-nobody-may-know" not in written.getvalue()
    assert "another-secret-topic" not in written.getvalue()


def test_choices_change_one_channel_and_refuse_what_is_not_a_choice(rory, push_app):
    channel, _ = channels.add_apprise(rory, push_app.json_url())

    shown = channels.update_choices(rory, channel.pk, words=True, moments=False)

    assert (shown.words, shown.moments, shown.letters) == (True, False, True)
    channel.refresh_from_db()
    assert (channel.words, channel.moments) == (True, False)
    with pytest.raises(Invalid):
        channels.update_choices(rory, channel.pk, secret="x")
    with pytest.raises(Invalid):
        channels.update_choices(rory, channel.pk, words="yes")


def test_another_persons_channel_is_as_missing_as_one_that_is_not_there(rory, jess, push_app):
    channel, _ = channels.add_apprise(rory, push_app.json_url())

    for missing in (channel.pk, "0192f0c0-0000-7000-8000-000000000000", "not-an-id"):
        with pytest.raises(NotFound):
            channels.remove(jess, missing)
        with pytest.raises(NotFound):
            channels.test(jess, missing)
        with pytest.raises(NotFound):
            channels.update_choices(jess, missing, words=True)
    assert Channel.objects.filter(pk=channel.pk).exists()
    channels.remove(rory, channel.pk)
    assert not Channel.objects.exists()


def test_a_browser_subscription_is_kept_in_the_shape_the_browser_gives(rory):
    channel = channels.add_webpush(
        rory, a_subscription(), name="Chrome on Android", session_key="s1"
    )

    assert channel.name == "Chrome on Android"
    assert channel.masked == "push.example.net/…"
    assert json.loads(channel.secret) == {
        "endpoint": "https://push.example.net/send/abc123",
        "keys": {"p256dh": P256DH, "auth": AUTH},
    }
    (shown,) = channels.listed(rory, session_key="s1")
    assert shown.this_device and shown.state == "nothing sent yet"
    assert "abc123" not in repr(shown)


@pytest.mark.parametrize(
    "subscription",
    [
        None,
        "https://push.example.net/x",
        {"endpoint": "https://push.example.net/x"},
        {"endpoint": "http://push.example.net/x", "keys": {"p256dh": P256DH, "auth": AUTH}},
        {"endpoint": "file:///etc/passwd", "keys": {"p256dh": P256DH, "auth": AUTH}},
        {"endpoint": "https://[::1/x", "keys": {"p256dh": P256DH, "auth": AUTH}},
        {"endpoint": "https://push.example.net:99999/x", "keys": {"p256dh": P256DH, "auth": AUTH}},
        {"endpoint": "https://push.example.net/x", "keys": {"p256dh": "short", "auth": AUTH}},
        {"endpoint": "https://push.example.net/x", "keys": {"p256dh": P256DH, "auth": "!!"}},
        {"endpoint": "https://push.example.net/x", "keys": {"p256dh": P256DH}},
    ],
)
def test_a_subscription_of_the_wrong_shape_is_refused(rory, subscription):
    with pytest.raises(Invalid):
        channels.add_webpush(rory, subscription, name="Firefox")
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://localhost:6379/x",
        "http://127.0.0.1:8080/push/abc",
        "https://localhost:9200/x",
        "https://127.0.0.1/x",
        "https://[::1]:5432/x",
        "https://10.0.0.5/x",
        "https://192.168.1.1/admin",
        "https://169.254.169.254/latest/meta-data",
        "https://router/x",
        "https://printer.local/x",
        "https://dear.localhost/x",
        "https://user:pw@push.example.net/x",
    ],
)
def test_an_endpoint_on_this_machine_or_the_home_network_is_refused(rory, settings, endpoint):
    settings.PUSH_ENDPOINTS_ON_LOOPBACK = False
    with pytest.raises(Invalid):
        channels.add_webpush(rory, a_subscription(endpoint), name="Firefox")
    assert not Channel.objects.exists()


def test_push_services_on_the_internet_are_taken_without_the_switch(rory, settings):
    settings.PUSH_ENDPOINTS_ON_LOOPBACK = False
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com:443/abc",
    ):
        channels.add_webpush(rory, a_subscription(endpoint), name="A browser")
    assert Channel.objects.count() == 3


def test_a_browser_subscribing_again_replaces_its_old_channel_whoever_it_was(rory, jess):
    old = channels.add_webpush(jess, a_subscription(), name="Firefox", session_key="j")
    channels.update_choices(jess, old.pk, words=True)
    again = channels.add_webpush(jess, a_subscription(), name="Firefox", session_key="j2")
    assert Channel.objects.get().pk == again.pk and again.words

    mine = channels.add_webpush(rory, a_subscription(), name="Firefox", session_key="r")

    assert list(Channel.objects.all()) == [mine]
    assert not mine.words


def test_logging_out_of_a_browser_stops_its_pushes(client, rory, sam):
    client.force_login(rory)
    client.get("/")
    session_key = client.session.session_key
    channels.add_webpush(rory, a_subscription(), name="Firefox", session_key=session_key)
    channels.add_webpush(
        sam, a_subscription("https://push.example.net/other"), name="Safari", session_key="x"
    )

    client.post("/logout")

    assert [c.person_id for c in Channel.objects.all()] == [sam.pk]
