"""Talking to the mail server named by DEAR_EMAIL_URL, one SMTP session at a time.

Django's own mail backends send a message in one call. Dear needs a step in the middle:
the whole message goes to the server, then the caller records it as sent (``commit``),
and only then does the final "." ask the server to take it. A process killed at any
point therefore never sends one notification twice.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address

from dear.lib import mailurl

TIMEOUT_SECONDS = 30


class TemporaryFailure(Exception):
    """The server could not be reached, or said "not now" (4xx): try again later."""


class PermanentFailure(Exception):
    """The server refused this message or recipient for good (5xx)."""


class Unanswered(TemporaryFailure):
    """The final "." went out and no answer came back: the server may well have taken
    the message. A caller holding to "at most once" counts it as sent."""


def configured() -> bool:
    return bool(settings.EMAIL_URL)


def _server() -> mailurl.MailServer:
    try:
        return mailurl.parse(settings.EMAIL_URL)
    except ValueError as exc:
        # The system check stops Dear from starting like this; a test or a change of
        # settings at run time could still get here.
        raise TemporaryFailure(f"DEAR_EMAIL_URL cannot be read: {exc}") from None


def _refusal(step: str, code: int, reply: bytes) -> Exception:
    message = f"{step}: the mail server answered {code} {_text(reply)}"
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)


def _open(server: mailurl.MailServer) -> smtplib.SMTP:
    """A session ready for MAIL FROM: connected, on TLS when asked, logged in."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP | None = None
    try:
        if server.implicit_tls:
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        smtp.ehlo()
        if server.starttls:
            # Never fall back to the clear: the password would cross the network with it.
            smtp.starttls(context=context)
            smtp.ehlo()
        if server.username:
            smtp.login(server.username, server.password)
        # The final "." goes out as a write of its own; without this, Nagle's algorithm
        # holds it back for the server's delayed ACK (about 40 ms an email).
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return smtp
    except smtplib.SMTPResponseException as exc:
        _close(smtp)
        # Even a 5xx here (a wrong password, say) is about the server's setup, not about
        # any one message: those wait until the operator fixes it.
        raise TemporaryFailure(
            f"the mail server at {server.host}:{server.port} answered {exc.smtp_code} "
            f"{_text(exc.smtp_error)}"
        ) from None
    except (smtplib.SMTPException, OSError, UnicodeError) as exc:
        _close(smtp)
        raise TemporaryFailure(
            f"cannot talk to the mail server at {server.host}:{server.port}: {exc}"
        ) from None


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply)[:200]


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        with suppress(OSError):
            smtp.close()


def _data(message: EmailMessage) -> bytes:
    """The message as SMTP carries it: CRLF line ends, leading dots doubled (RFC 5321
    4.5.2), ending in CRLF so the final "." stands on a line of its own."""
    raw = message.message().as_bytes(linesep="\r\n")
    raw = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", raw)
    raw = re.sub(rb"(?m)^\.", b"..", raw)
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(parseaddr(message.from_email)[1] or message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    return sender, recipients


class Connection:
    """One SMTP session, opened again after anything that left it unusable."""

    def __init__(self, server: mailurl.MailServer):
        self._server = server
        self._smtp: smtplib.SMTP | None = _open(server)

    def _session(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = _open(self._server)
        return self._smtp

    def _drop(self) -> None:
        # Closing without QUIT: in the middle of DATA a QUIT would be taken as more of
        # the message, while a dropped connection makes the server discard it.
        _close(self._smtp)
        self._smtp = None

    def close(self) -> None:
        if self._smtp is None:
            return
        with suppress(smtplib.SMTPException, OSError):
            self._smtp.quit()
        self._drop()

    def _reset(self) -> None:
        try:
            self._session().rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def send(self, message: EmailMessage, *, commit: Callable[[], bool] | None = None) -> bool:
        """MAIL FROM, RCPT TO, DATA and the whole message except the final "."; then
        ``commit()`` (if given). If it returns False the message is abandoned and send()
        returns False; otherwise the final "." is sent and the reply checked: True when
        the server took the message.

        Raises TemporaryFailure (no connection, a timeout, a 4xx), its kind Unanswered
        (the "." went out, no reply came) or PermanentFailure (a 5xx for this message).
        What ``commit`` raises is raised, the message abandoned.
        """
        sender, recipients = _envelope(message)
        if not recipients:
            raise PermanentFailure("the message has no recipient")
        data = _data(message)
        try:
            smtp = self._session()
            code, reply = smtp.mail(sender)
            if code != 250:
                self._reset()
                raise _refusal("MAIL FROM", code, reply)
            for recipient in recipients:
                code, reply = smtp.rcpt(recipient)
                if code not in (250, 251):
                    self._reset()
                    raise _refusal(f"RCPT TO {recipient}", code, reply)
            code, reply = smtp.docmd("DATA")
            if code != 354:
                self._reset()
                raise _refusal("DATA", code, reply)
            smtp.send(data)
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            raise TemporaryFailure(f"the mail server hung up: {exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(f"talking to the mail server failed: {exc}") from None

        try:
            go_on = commit() if commit is not None else True
        except BaseException:
            self._drop()
            raise
        if go_on is False:
            self._drop()
            return False

        try:
            smtp.send(b".\r\n")
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(f"the mail server hung up before the end: {exc}") from None
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise Unanswered(f"no answer from the mail server after the message: {exc}") from None
        if code != 250:
            raise _refusal("end of message", code, reply)
        return True


@contextmanager
def connect() -> Iterator[Connection]:
    """A session with the server DEAR_EMAIL_URL names, closed when the block ends.

    Raises TemporaryFailure when the server cannot be reached or refuses the session.
    """
    connection = Connection(_server())
    try:
        yield connection
    finally:
        connection.close()


def send_now(message: EmailMessage) -> None:
    """Send one message in a session of its own (confirmation links, password resets)."""
    with connect() as connection:
        connection.send(message)
