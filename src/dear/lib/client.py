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


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent ``request``."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(peer):
        return peer
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    # From the nearest hop back: the first address no trusted proxy vouches for.
    for hop in reversed([hop for hop in forwarded if hop]):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a trusted proxy passed on something that is not an address
    return peer
