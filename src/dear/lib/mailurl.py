"""Reading a mail server's address from one URL, the way DEAR_EMAIL_URL gives it.

``smtp://user:password@host:587?starttls=on`` or ``smtps://user:password@host:465``. User
and password are percent-decoded, so an address as user name is written ``dear%40example.org``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

SCHEMES = ("smtp", "smtps")
ON_WORDS = {"1", "true", "yes", "on"}
OFF_WORDS = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    # TLS from the first byte (smtps), or a plain connection upgraded with STARTTLS.
    implicit_tls: bool = False
    starttls: bool = False
    username: str = ""
    # Kept out of repr, so a server printed in a log or an error never shows it.
    password: str = field(default="", repr=False)

    @property
    def secure(self) -> bool:
        return self.implicit_tls or self.starttls


def _switch(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    raise ValueError(f"the option {name} takes on or off, not {value!r}")


def parse(url: str) -> MailServer:
    """The server ``url`` names, or ValueError saying what is wrong with it."""
    url = (url or "").strip()
    if not url:
        raise ValueError("it is empty")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = f"{scheme}://" if scheme else "none"
        raise ValueError(f"it must start with smtp:// or smtps:// (it has {shown})")
    if not parts.hostname:
        raise ValueError("it names no mail server host")
    if parts.path not in ("", "/"):
        raise ValueError(f"it has a path ({parts.path}), which a mail server address never has")
    if parts.fragment:
        raise ValueError("it has a #fragment, which a mail server address never has")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("its port is not a number from 1 to 65535") from None
    if port == 0:
        raise ValueError("its port is not a number from 1 to 65535")

    starttls = False
    try:
        options = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise ValueError(f"its options ({parts.query}) are not name=value pairs") from None
    for name, value in options:
        if name == "starttls":
            starttls = _switch(name, value)
        else:
            raise ValueError(f"it has an option Dear does not know: {name} (only starttls)")
    implicit_tls = scheme == "smtps"
    if implicit_tls and starttls:
        raise ValueError("smtps:// is TLS from the start; starttls=on is for smtp:// only")

    username = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if bool(username) != bool(password):
        raise ValueError("it has a user without a password, or a password without a user")
    if not (username + password).isascii():
        # SMTP AUTH as Python speaks it carries ASCII only.
        raise ValueError("its user or password holds a character outside ASCII")

    default_port = 465 if implicit_tls else 587 if starttls else 25
    return MailServer(
        host=parts.hostname,
        port=port or default_port,
        implicit_tls=implicit_tls,
        starttls=starttls,
        username=username,
        password=password,
    )
