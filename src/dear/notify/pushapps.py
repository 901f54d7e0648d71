"""The push apps people already use (ntfy, Gotify, Pushover, Telegram, Matrix and dozens
more), reached through Apprise from one URL a person pastes.

The URL is a secret: a ntfy topic or a bot token in it lets anyone send to that person,
and some hold a password. Dear shows only ``mask(url)``; what Apprise says while sending
is read from its result, never passed on as it is, because its messages quote the URL.
Its own logger goes nowhere (settings.LOGGING) for the same reason.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from urllib.parse import urlsplit

import apprise

from dear.lib.errors import Invalid
from dear.notify.transport import PermanentFailure, TemporaryFailure, Unanswered

MAX_URL = 2000
# Refused for good: the server will not change its mind about these by itself (a wrong
# token, a topic that does not exist). Every other failure is tried again later.
REFUSED = re.compile(r"error=(4(?!08|25|29)\d\d)\b")
STATUS = re.compile(r"error=(\d{3})\b")
# What requests says, in Apprise's debug line "Socket Exception: ...", when the request
# never went out: no address, nothing listening, no connection in time, no TLS.
NOT_CONNECTED = re.compile(
    r"Socket Exception: .*(NewConnectionError|NameResolutionError|ConnectTimeout"
    r"|Failed to establish a new connection|Connection refused|SSLError)"
)

NOT_UNDERSTOOD = (
    "Apprise does not understand this URL. It starts with the kind of push app, for "
    "example ntfy://ntfy.example.net/your-topic or gotify://gotify.example.net/token."
)


def _asset() -> apprise.AppriseAsset:
    # No icon fetched from the internet by the phone, nothing written to disk by Apprise.
    return apprise.AppriseAsset(
        app_id="Dear",
        app_desc="Dear",
        app_url="",
        image_url_mask="",
        image_url_logo="",
        storage_mode="memory",
        result_log_disk_size=0,
    )


def _load(url: str) -> apprise.Apprise | None:
    app = apprise.Apprise(asset=_asset())
    return app if app.add(url) else None


def clean(url) -> str:
    """``url`` as Dear keeps it, or Invalid saying why not. Never repeats the URL."""
    if not isinstance(url, str) or not url.strip():
        raise Invalid("Paste an Apprise URL, for example ntfy://ntfy.example.net/your-topic.")
    url = url.strip()
    if len(url) > MAX_URL:
        raise Invalid(f"An Apprise URL is at most {MAX_URL} characters.")
    if any(ch.isspace() for ch in url) or "://" not in url:
        raise Invalid(NOT_UNDERSTOOD)
    if _load(url) is None:
        raise Invalid(NOT_UNDERSTOOD)
    return url


def _shown(url: str) -> tuple[str, str, str]:
    """(scheme, host, service name): only what cannot be a secret. Apprise's private form
    of the URL will not do: ``ntfy://topic`` (ntfy.sh's topic in the host's place) comes
    back whole, and a ntfy.sh topic is all anyone needs to read every push. So the host
    is shown only when it is one for certain (a name with a dot, or an address) and, for
    ntfy, a topic follows it; a token in the host's place (Telegram, Pushover, a bare
    ntfy topic) is never shown, not even cut short."""
    app = _load(url)
    if app is None:
        return "", "", ""
    service = str(app[0].service_name)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not re.fullmatch(r"[a-z][a-z0-9+.-]{0,30}", scheme):
        return "", "", service
    return scheme, _host(parts), service


def _host(parts) -> str:
    """The server's name (with its port) when it is surely a server's, else ""."""
    try:
        hostname = parts.hostname or ""
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower().startswith("ntfy") and not parts.path.strip("/"):
        return ""  # ntfy://word is a topic on ntfy.sh, not a server
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        if not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*", hostname):
            return ""
        shown = hostname
    else:
        shown = f"[{address}]" if address.version == 6 else str(address)
    return f"{shown}:{port}" if port else shown


def mask(url: str) -> str:
    """Safe to show: "ntfy://ntfy.example.net/…", or "ntfy://…" with no server named."""
    scheme, host, _ = _shown(url)
    if not scheme:
        return "…"
    return f"{scheme}://{host}/…" if host else f"{scheme}://…"


def name(url: str) -> str:
    """What a person calls it: the server's name ("ntfy.example.net"), or the service's
    ("Telegram", "ntfy") where no server can be named without a secret."""
    _, host, service = _shown(url)
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return (hostname or service or "Push app")[:100]


def send(url: str, *, title: str, body: str) -> None:
    """Send one notification. Raises TemporaryFailure (try again later) or
    PermanentFailure (the URL is no good any more, or the server refused for good)."""
    app = _load(url)
    if app is None:
        raise PermanentFailure("Apprise no longer understands this URL.")
    # Apprise sends nothing without a body.
    result = app.notify(title=title, body=body or title, log_level=logging.DEBUG)
    if result:
        return
    said = " ".join(entry.message for entry in result.logs())
    status = STATUS.search(said)
    if REFUSED.search(said):
        raise PermanentFailure(f"the push app's server refused it ({status.group(1)})")
    if status:
        raise TemporaryFailure(f"the push app's server answered {status.group(1)}")
    if NOT_CONNECTED.search(said):
        raise TemporaryFailure("the push app's server could not be reached")
    # No status and no sign that the connection failed: a read timeout, a connection
    # dropped while waiting, or Apprise saying nothing that tells them apart. The
    # notification may well have arrived; at most once, it counts as sent.
    raise Unanswered("no answer from the push app's server; it may have arrived")
