"""Settings' "How Dear tells you" beyond email: this device (Web Push) and the push apps
a person already uses (an Apprise URL). The channels themselves live in
``dear.notify.channels``; these views only carry requests to it and answers back."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dear.lib.devices import device_name
from dear.lib.errors import Forbidden, Invalid, Unauthorized
from dear.notify import channels
from dear.web.errors import friendly
from dear.web.views.common import person_of
from dear.web.views.settings_page import settings_context

CHOICES = channels.CHOICES


def _back(anchor: str) -> HttpResponse:
    return redirect(reverse("web:settings") + anchor)


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def add_push_app(request: HttpRequest) -> HttpResponse:
    channel, result = channels.add_apprise(person_of(request), request.POST.get("url", ""))
    say = messages.success if result.ok else messages.warning
    say(request, f"Added {channel.name}. {result.message}")
    return _back("#push-apps")


def _posted_json(request: HttpRequest):
    if request.content_type != "application/json":
        raise Invalid("A subscription comes as JSON, the way the browser gives it.")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("A subscription is an object with an endpoint and keys.") from None


@login_required
@require_POST
@friendly(json=True)
def add_device(request: HttpRequest) -> HttpResponse:
    """The browser's PushSubscription, as JSON, from "Notify this device"."""
    subscription = _posted_json(request)
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


# The service worker has no CSRF token to send. What stands in for one: the session cookie,
# which a browser sends only with a request from Dear's own site (SameSite), the browser's
# Sec-Fetch-Site, which must say Dear's own origin, a JSON body, which no form elsewhere
# can post without asking first, and the old endpoint, which only this browser and Dear
# know.
@csrf_exempt
@require_POST
@friendly(json=True)
def renew_device(request: HttpRequest) -> HttpResponse:
    """From the service worker, when the push service replaced this browser's subscription:
    ``{"old": the old endpoint or null, "subscription": the new one}``."""
    if not request.user.is_authenticated:
        raise Unauthorized("Log in to Dear again to be notified on this device.")
    # A browser says where a request came from; a site sharing Dear's domain would pass
    # SameSite, but not this.
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        raise Forbidden("Only Dear's own pages may change this device's subscription.")
    posted = _posted_json(request)
    if not isinstance(posted, dict):
        raise Invalid("Send the old endpoint and the new subscription.")
    old = posted.get("old") or ""
    if not isinstance(old, str):
        raise Invalid("The old endpoint is an address.")
    channel = channels.renew_webpush(
        person_of(request),
        posted.get("subscription"),
        old_endpoint=old,
        session_key=request.session.session_key or "",
    )
    return JsonResponse({"id": str(channel.pk), "name": channel.name})


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
