"""The settings page's context, shared by every form on it that may need to show the
page again with an error: email, reminders, receipts, and how Dear tells a person
(``channels_context``)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.http import HttpRequest

from dear.homes import seen as homes_seen
from dear.notify import addresses, channels, reminders, transport, webpush
from dear.web.views.common import person_of

# What a housemate is told when this Dear has no mail server: how to give it one is for
# whoever runs it, and the README tells them.
NOT_SENDING = "This Dear does not send email."
WEBPUSH, APPRISE = "webpush", "apprise"
# Said by the page itself, before any script runs, where no browser would allow a push.
PLAIN_HTTP = (
    "Browsers let a website notify them only over HTTPS or on the computer it runs on, "
    "and Dear is reached here over plain HTTP."
)
ELSEWHERE = "A push app works everywhere: add one below."


def push_possible(request: HttpRequest) -> bool:
    """Whether a browser could subscribe here at all: a service worker, and so Web Push,
    needs HTTPS or a loopback address (the browser's own rule for a secure context)."""
    if request.is_secure():
        return True
    host = urlsplit("//" + request.get_host()).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def channels_context(request: HttpRequest) -> dict:
    """What the "How Dear tells you" card shows beyond email."""
    me = person_of(request)
    found = channels.listed(me, session_key=request.session.session_key or "")
    devices = [c for c in found if c.kind == WEBPUSH]
    return {
        "devices": devices,
        # A device the push service forgot can subscribe again.
        "this_device": next((c for c in devices if c.this_device and not c.gone), None),
        "push_apps": [c for c in found if c.kind == APPRISE],
        "push_possible": push_possible(request),
        "push_key": webpush.public_key(),
        "push_unavailable": PLAIN_HTTP,
        "push_elsewhere": ELSEWHERE,
    }


def settings_context(request: HttpRequest, **_) -> dict:
    me = person_of(request)
    configured = transport.configured()
    found = reminders.stretches(me)
    return {
        "email_configured": configured,
        "no_email": NOT_SENDING,
        # Quiet hours only hold email back: without an address they hold nothing.
        "email_on": configured and bool(me.email),
        # No query when there is no email to choose about.
        "email_choices": addresses.choices_of(me) if configured and me.email else None,
        "stretches": found,
        # With no reminder yet, the way to set one: the letters with each housemate.
        "housemates": None if found else housemates_of(me),
        **channels_context(request),
    }


def housemates_of(me) -> list:
    seen: dict = {}
    for one in homes_seen.homes_of(me, places=False):
        for member in one.housemates:
            seen.setdefault(member.id, member)
    return sorted(seen.values(), key=lambda member: member.display_name.lower())
