"""The push apps people already use (ntfy, Gotify, Pushover, Telegram, Matrix and dozens
more), reached through Apprise from one URL a person pastes.

The URL is a secret: a ntfy topic or a bot token in it lets anyone send to that person,
and some hold a password. Dear shows only ``mask(url)``; what Apprise says while sending
is read from its result, never passed on as it is, because its messages quote the URL.
Its own logger goes nowhere (settings.LOGGING) for the same reason.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import apprise

from dear.lib.errors import Invalid
from dear.notify.transport import PermanentFailure, TemporaryFailure

MAX_URL = 2000
# Refused for good: the server will not change its mind about these by itself (a wrong
# token, a topic that does not exist). Every other failure is tried again later.
REFUSED = re.compile(r"error=(4(?!08|25|29)\d\d)\b")
STATUS = re.compile(r"error=(\d{3})\b")

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
    """(scheme, host, service name) as Apprise's private form of the URL shows them: a
    token in the host's place (Telegram, Pushover) comes back already cut to "1...p"."""
    app = _load(url)
    if app is None:
        return "", "", ""
    service = app[0]
    parts = urlsplit(service.url(privacy=True))
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts.scheme, host, str(service.service_name)


def mask(url: str) -> str:
    """Safe to show: "ntfy://ntfy.example.net/…"."""
    scheme, host, _ = _shown(url)
    return f"{scheme}://{host}/…" if scheme else "…"


def name(url: str) -> str:
    """What a person calls it: the server's name ("ntfy.example.net"), or the service's
    ("Telegram") where the host is a token."""
    _, host, service = _shown(url)
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if hostname and "..." not in hostname and "*" not in hostname:
        return hostname[:100]
    return service[:100] or "Push app"


def send(url: str, *, title: str, body: str) -> None:
    """Send one notification. Raises TemporaryFailure (try again later) or
    PermanentFailure (the URL is no good any more, or the server refused for good)."""
    app = _load(url)
    if app is None:
        raise PermanentFailure("Apprise no longer understands this URL.")
    # Apprise sends nothing without a body.
    result = app.notify(title=title, body=body or title)
    if result:
        return
    said = " ".join(entry.message for entry in result.logs())
    status = STATUS.search(said)
    if REFUSED.search(said):
        raise PermanentFailure(f"the push app's server refused it ({status.group(1)})")
    if status:
        raise TemporaryFailure(f"the push app's server answered {status.group(1)}")
    raise TemporaryFailure("the push app's server could not be reached")
