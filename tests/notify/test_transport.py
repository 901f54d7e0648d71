"""The SMTP transport against a real server on loopback: what arrives, what the server
refuses, and the commit step that comes before the server takes a message."""

from __future__ import annotations

import ssl
import subprocess
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.core.mail import EmailMessage

from dear.notify import transport
from tests import mailserver


def message(subject="Hello", body="A line.\n", to="rory@home.test") -> EmailMessage:
    return EmailMessage(subject, body, "Dear <dear@home.test>", [to])


def test_a_message_arrives_with_its_envelope_and_words(mailbox):
    with transport.connect() as connection:
        assert connection.send(message(subject="A letter is waiting", body="Come and see.\n"))

    (got,) = mailbox.messages
    assert got.envelope_from == "dear@home.test"
    assert got.envelope_to == ["rory@home.test"]
    assert got.subject == "A letter is waiting"
    assert got.text().splitlines() == ["Come and see."]
    assert got.message["Message-ID"]


def test_lines_that_start_with_a_dot_arrive_whole(mailbox):
    body = "Before.\n.\n.hidden line\n..two dots\nAfter.\n"

    with transport.connect() as connection:
        connection.send(message(body=body))

    assert mailbox.messages[0].text().splitlines() == body.splitlines()


def test_the_server_has_nothing_until_commit_says_so(mailbox):
    seen_at_commit = []

    def commit():
        seen_at_commit.append(len(mailbox.messages))
        return True

    with transport.connect() as connection:
        assert connection.send(message(), commit=commit) is True

    assert seen_at_commit == [0]
    assert len(mailbox.messages) == 1


def test_a_commit_that_says_no_sends_nothing_and_the_connection_goes_on(mailbox):
    with transport.connect() as connection:
        assert connection.send(message(subject="Abandoned"), commit=lambda: False) is False
        assert connection.send(message(subject="Next one")) is True

    assert [m.subject for m in mailbox.messages] == ["Next one"]


def test_a_commit_that_fails_sends_nothing_and_its_error_comes_through(mailbox):
    def commit():
        raise RuntimeError("the database went away")

    with transport.connect() as connection:
        with pytest.raises(RuntimeError, match="database went away"):
            connection.send(message(subject="Abandoned"), commit=commit)
        connection.send(message(subject="Next one"))

    assert [m.subject for m in mailbox.messages] == ["Next one"]


def test_try_later_from_the_server_is_a_temporary_failure(mailbox):
    mailbox.refuse.append("451 4.3.0 try later")

    with transport.connect() as connection:
        with pytest.raises(transport.TemporaryFailure, match="451"):
            connection.send(message(subject="Refused"))
        assert connection.send(message(subject="Taken"))

    assert [m.subject for m in mailbox.messages] == ["Taken"]


def test_a_refusal_for_good_is_a_permanent_failure(mailbox):
    mailbox.refuse.append("550 5.1.1 no such mailbox")

    with transport.connect() as connection, pytest.raises(transport.PermanentFailure, match="550"):
        connection.send(message())

    assert mailbox.messages == []


def test_a_reply_lost_after_the_final_dot_is_unanswered_not_a_plain_retry(mailbox):
    mailbox.hang_up = 1

    with transport.connect() as connection:
        with pytest.raises(transport.Unanswered):
            connection.send(message(subject="Taken, reply lost"))
        assert connection.send(message(subject="Next one"))

    assert [m.subject for m in mailbox.messages] == ["Taken, reply lost", "Next one"]


def test_a_server_that_is_down_is_a_temporary_failure(settings):
    settings.EMAIL_URL = f"smtp://127.0.0.1:{mailserver._free_port()}"

    with pytest.raises(transport.TemporaryFailure, match="cannot talk to the mail server"):
        transport.send_now(message())


def test_an_unreadable_url_is_a_temporary_failure_not_a_crash(settings):
    settings.EMAIL_URL = "imap://mail.home.test"

    with pytest.raises(transport.TemporaryFailure, match="DEAR_EMAIL_URL"):
        transport.send_now(message())


def test_configured_follows_the_setting(settings):
    settings.EMAIL_URL = ""
    assert not transport.configured()
    settings.EMAIL_URL = "smtp://127.0.0.1"
    assert transport.configured()


# TLS: a self-signed certificate the client is told to trust through SSL_CERT_FILE, the
# way an operator would add a private authority.


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


USER, PASSWORD = "dear@home.test", "s3cret:with%odd@chars"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_server(certificate, monkeypatch):
    """``tls_server(implicit=...)`` starts a server on TLS and answers its mailbox."""
    started = []

    def start(*, implicit: bool, trusted: bool = True) -> mailserver.Mailbox:
        if trusted:
            monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        box = mailserver.Mailbox(port=mailserver._free_port())
        context = _server_context(certificate)
        common = {
            "hostname": box.host,
            "port": box.port,
            "authenticator": _authenticator,
        }
        if implicit:
            # aiosmtpd counts only STARTTLS as TLS when it offers AUTH.
            controller = Controller(box, ssl_context=context, auth_require_tls=False, **common)
        else:
            controller = Controller(box, tls_context=context, require_starttls=True, **common)
        controller.start()
        started.append(controller)
        return box

    yield start
    for controller in started:
        controller.stop()


def _credentials() -> str:
    return f"{quote(USER, safe='')}:{quote(PASSWORD, safe='')}"


def test_starttls_then_login_with_a_percent_encoded_user_and_password(tls_server, settings):
    box = tls_server(implicit=False)
    settings.EMAIL_URL = f"smtp://{_credentials()}@{box.host}:{box.port}?starttls=on"

    transport.send_now(message(subject="Over TLS"))

    assert [m.subject for m in box.messages] == ["Over TLS"]


def test_implicit_tls_with_smtps(tls_server, settings):
    box = tls_server(implicit=True)
    settings.EMAIL_URL = f"smtps://{_credentials()}@{box.host}:{box.port}"

    transport.send_now(message(subject="TLS from the start"))

    assert [m.subject for m in box.messages] == ["TLS from the start"]


def test_a_wrong_password_is_temporary_so_nothing_is_given_up_while_it_is_fixed(
    tls_server, settings
):
    box = tls_server(implicit=False)
    settings.EMAIL_URL = f"smtp://{quote(USER, safe='')}:wrong@{box.host}:{box.port}?starttls=on"

    with pytest.raises(transport.TemporaryFailure, match="535"):
        transport.send_now(message())


def test_an_untrusted_certificate_stops_before_anything_is_sent(tls_server, settings):
    box = tls_server(implicit=False, trusted=False)
    settings.EMAIL_URL = f"smtp://{_credentials()}@{box.host}:{box.port}?starttls=on"

    with pytest.raises(transport.TemporaryFailure, match="CERTIFICATE_VERIFY_FAILED"):
        transport.send_now(message())
    assert box.messages == []


def test_starttls_asked_of_a_server_without_it_never_falls_back_to_the_clear(mailbox, settings):
    settings.EMAIL_URL = f"{mailbox.url}?starttls=on"

    with pytest.raises(transport.TemporaryFailure, match="STARTTLS"):
        transport.send_now(message())
    assert mailbox.messages == []
