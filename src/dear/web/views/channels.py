"""Settings' "How Dear tells you" beyond email: this device (Web Push) and the push apps
a person already uses (an Apprise URL). The channels themselves live in
``dear.notify.channels``; these views only carry requests to it and answers back."""

from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dear.lib.devices import device_name
from dear.lib.errors import Invalid
from dear.notify import channels, webpush
from dear.web.errors import friendly
from dear.web.views.common import person_of

CHOICES = channels.CHOICES
WEBPUSH, APPRISE = "webpush", "apprise"
# Said by the page itself, before any script runs, where no browser would allow a push.
PLAIN_HTTP = (
    "Browsers let a website notify them only over HTTPS or on the computer it runs on, "
    "and Dear is reached here over plain HTTP."
)
ELSEWHERE = "A push app works everywhere: add one below."


def _settings(request: HttpRequest, **_) -> dict:
    from dear.web.views.account import _settings_context

    return _settings_context(request)


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


def _back(anchor: str) -> HttpResponse:
    return redirect(reverse("web:settings") + anchor)


@login_required
@require_POST
@friendly(form="web/settings.html", context=_settings)
def add_push_app(request: HttpRequest) -> HttpResponse:
    channel, result = channels.add_apprise(person_of(request), request.POST.get("url", ""))
    say = messages.success if result.ok else messages.warning
    say(request, f"Added {channel.name}. {result.message}")
    return _back("#push-apps")


@login_required
@require_POST
@friendly(json=True)
def add_device(request: HttpRequest) -> HttpResponse:
    """The browser's PushSubscription, as JSON, from "Notify this device"."""
    if request.content_type != "application/json":
        raise Invalid("A subscription comes as JSON, the way the browser gives it.")
    try:
        subscription = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("A subscription is an object with an endpoint and keys.") from None
    if not request.session.session_key:
        request.session.save()
    channel = channels.add_webpush(
        person_of(request),
        subscription,
        name=device_name(request.headers.get("User-Agent", "")),
        session_key=request.session.session_key or "",
    )
    messages.success(request, f"Dear will notify this device ({channel.name}).")
    return JsonResponse({"id": str(channel.pk), "name": channel.name}, status=201)


@login_required
@require_POST
@friendly
def choices(request: HttpRequest, channel_id) -> HttpResponse:
    shown = channels.update_choices(
        person_of(request), channel_id, **{name: request.POST.get(name) == "on" for name in CHOICES}
    )
    messages.success(request, f"What {shown.name} tells you is saved.")
    return _back(f"#channel-{shown.id}")


@login_required
@require_POST
@friendly
def test(request: HttpRequest, channel_id) -> HttpResponse:
    result = channels.test(person_of(request), channel_id)
    say = messages.success if result.ok else messages.warning
    say(request, result.message)
    return _back(f"#channel-{channel_id}")


@login_required
@require_POST
@friendly
def remove(request: HttpRequest, channel_id) -> HttpResponse:
    me = person_of(request)
    channel = channels.channel_for(me, channel_id)
    name = channel.name
    channels.remove(me, channel_id)
    messages.success(request, f"Dear no longer tells you through {name}.")
    return _back("#tells-heading")
