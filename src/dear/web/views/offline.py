"""What makes Dear work with no network: the service worker, served from the site root so
its scope is the whole app, and the page shown offline for a page never opened before."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

WORKER = "dear/sw.js"
AGE = b"__SESSION_COOKIE_AGE__"


@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    found = finders.find(WORKER)
    if not found:
        raise Http404
    with open(found, "rb") as source:
        # How long a kept page may be read offline: as long as a session can last.
        script = source.read().replace(AGE, str(settings.SESSION_COOKIE_AGE).encode())
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Always ask the server for the newest worker; the browser checks at most once a day.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "web/offline.html")
