"""What Dear shows of a push app's Apprise URL: the kind of app, and the server only when
it is surely a server. A ntfy.sh topic, a bot token or a user key is the secret itself
(whoever knows a ntfy.sh topic reads every push sent to it), so none of it is shown, not
on Settings, not in the API, not at the terminal."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from dear.accounts.services import issue_token
from dear.cli.main import app as cli
from dear.notify import channels, pushapps, transport

TABLE = [
    # (url, its secret parts, mask, name)
    ("ntfy://secrettopic123", ["secrettopic123"], "ntfy://…", "ntfy"),
    ("ntfys://secrettopic123", ["secrettopic123"], "ntfys://…", "ntfy"),
    ("ntfy://host.example/topic9", ["topic9"], "ntfy://host.example/…", "host.example"),
    ("ntfy://127.0.0.1:8080/topic9", ["topic9"], "ntfy://127.0.0.1:8080/…", "127.0.0.1"),
    (
        "ntfy://rory:pw99@host.example/topic9",
        ["rory", "pw99", "topic9"],
        "ntfy://host.example/…",
        "host.example",
    ),  # fmt: skip
    ("json://hookhost/path77", ["hookhost", "path77"], "json://…", "JSON"),
    (
        "tgram://123456789:bottokenABC/chatid42",
        ["123456789", "bottokenABC", "chatid42"],
        "tgram://…",
        "Telegram",
    ),  # fmt: skip
    ("gotify://gotifyhost/tokenabc", ["gotifyhost", "tokenabc"], "gotify://…", "Gotify"),
    ("pover://userkeyq@apptokenxyz", ["userkeyq", "apptokenxyz"], "pover://…", "Pushover"),
]


@pytest.mark.parametrize(("url", "secrets", "masked", "name"), TABLE)
def test_no_secret_part_of_an_apprise_url_is_shown(url, secrets, masked, name):
    shown = pushapps.mask(url) + " " + pushapps.name(url)

    for secret in secrets:
        assert secret not in shown
    # Not even cut short the way Apprise's private form does ("1...C").
    assert "..." not in shown
    assert (pushapps.mask(url), pushapps.name(url)) == (masked, name)


@pytest.fixture
def no_internet(monkeypatch):
    """A ntfy.sh topic would be tried on ntfy.sh itself: the test send goes nowhere."""

    def unreachable(url, *, title, body):
        raise transport.TemporaryFailure("the push app's server could not be reached")

    monkeypatch.setattr(pushapps, "send", unreachable)


@pytest.mark.django_db(transaction=True)
def test_a_ntfy_sh_topic_is_never_shown_on_settings_in_the_api_or_at_the_terminal(
    rory, no_internet, live_server
):
    browser = Client()
    browser.force_login(rory)
    added = browser.post(
        "/settings/push-apps",
        {"url": "ntfy://secrettopic123"},
        follow=True,
        HTTP_HOST="127.0.0.1:8000",
    )
    assert added.status_code == 200
    assert "Added ntfy." in added.content.decode()
    assert "ntfy://…" in added.content.decode()
    settings_page = browser.get("/settings", HTTP_HOST="127.0.0.1:8000").content.decode()

    token = issue_token(rory, "test")
    api = Client().get("/api/v1/me/channels", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    assert api.json()["items"][0]["masked"] == "ntfy://…"

    terminal = CliRunner().invoke(
        cli, ["notify", "list", "--url", live_server.url, "--token", token], env={"COLUMNS": "200"}
    )
    assert terminal.exit_code == 0, terminal.output
    assert "ntfy://…" in terminal.output

    (channel,) = channels.listed(rory)
    for face in (added.content.decode(), settings_page, api.content.decode(), terminal.output):
        assert "secrettopic123" not in face
    assert "secrettopic123" not in repr(channel)
