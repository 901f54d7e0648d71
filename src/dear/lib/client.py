"""Who is asking: the client's address, as far as Dear can trust it.

Behind a reverse proxy every request comes from the proxy, so the address that counts is
in X-Forwarded-For. That header is whatever the client says unless a proxy we trust wrote
it, so it is read only when the request came from one of DEAR_TRUSTED_PROXIES, and only
as far back as the chain of trusted proxies goes.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(hop: str) -> str | None:
    """A hop of X-Forwarded-For as an address, its port or brackets taken off."""
    hop = hop.strip()
    if hop.startswith("["):  # [2001:db8::1] or [2001:db8::1]:443
        hop = hop[1:].split("]", 1)[0]
    elif hop.count(":") == 1:  # 203.0.113.9:5678
        hop = hop.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None


def _trusted(address: str | None) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent ``request``."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_address(peer)):
        return peer
    raw = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    hops = [_address(hop) for hop in raw]
    # From the nearest hop back: the first address no trusted proxy vouches for. If every
    # hop is in a trusted network (a proxy serving its own LAN), the furthest back.
    for hop in reversed(hops):
        if hop is None:
            return peer  # a trusted proxy passed on something that is not an address
        if not _trusted(hop):
            return hop
    return hops[0] if hops else peer
