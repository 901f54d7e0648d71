"""Links people hand to a phone: invites and place labels.

A link is printed or shown as a QR code and opened on another device, so it must name
Dear as the home network reaches it. DEAR_PUBLIC_URL says that when it is set (and
`dear serve --host 0.0.0.0` sets it to the network address it found); otherwise the
address the browser used is the best we know. When that address opens only on this
computer, the page says so and names the address the home network would reach, which
`dear serve` found (settings.LAN_URL).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def shared_url(request: HttpRequest, path: str) -> str:
    """``path`` (absolute, from reverse()) as a link for someone else's device."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def only_this_computer(url: str) -> bool:
    """Whether ``url`` opens only on the computer Dear runs on (a loopback address)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def only_here_notice(url: str) -> dict:
    """For a page showing ``url``: whether it opens only on this computer and, if so,
    where phones would open Dear were it listening on every network (empty if unknown)."""
    only_here = only_this_computer(url)
    return {"only_here": only_here, "lan_url": settings.LAN_URL if only_here else ""}
