"""Email settings that cannot work stop Dear at start, saying what to fix."""

from __future__ import annotations

import subprocess

from dear.notify.checks import email_settings
from tests.server import dear_executable, free_port, server_env


def ids(settings) -> list[str]:
    return [message.id for message in email_settings()]


def good(settings):
    settings.EMAIL_URL = "smtp://dear%40home.test:secret@mail.home.test?starttls=on"
    settings.PUBLIC_URL = "http://dear.home:8000"
    settings.DEFAULT_FROM_EMAIL = "Dear <dear@home.test>"


def test_a_dear_without_email_is_fine(settings):
    settings.EMAIL_URL = ""
    settings.PUBLIC_URL = ""

    assert ids(settings) == []


def test_a_complete_email_setup_is_fine(settings):
    good(settings)

    assert ids(settings) == []


def test_a_mail_url_dear_cannot_read_says_why_and_never_shows_the_password(settings):
    good(settings)
    settings.EMAIL_URL = "smtp://me:hunter2@mail.home.test/inbox"

    (error,) = email_settings()

    assert error.id == "dear.E001"
    assert "has a path (/inbox)" in error.msg
    assert "hunter2" not in error.msg + error.hint


def test_email_without_a_public_url_has_nowhere_to_link(settings):
    good(settings)
    settings.PUBLIC_URL = ""

    assert ids(settings) == ["dear.E002"]


def test_a_public_url_must_be_a_web_address(settings):
    good(settings)
    settings.PUBLIC_URL = "dear.home:8000"

    assert ids(settings) == ["dear.E003"]


def test_the_sender_must_hold_an_address(settings):
    good(settings)
    settings.DEFAULT_FROM_EMAIL = "Dear"

    assert ids(settings) == ["dear.E004"]


def test_dear_serve_refuses_to_start_with_a_mail_url_it_cannot_read(tmp_path):
    env = server_env(
        tmp_path / "data", DEAR_EMAIL_URL="imap://mail.home.test", DEAR_PUBLIC_URL="http://x"
    )

    result = subprocess.run(
        [dear_executable(), "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "DEAR_EMAIL_URL cannot be read: it must start with smtp:// or smtps://" in result.stderr
