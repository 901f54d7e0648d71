"""What makes Dear work with no network: the service worker, served from the site root so
its scope is the whole app, and the page shown offline for a page never opened before."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

WORKER = "dear/sw.js"


@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    found = finders.find(WORKER)
    if not found:
        raise Http404
    with open(found, "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    # Always ask the server for the newest worker; the browser checks at most once a day.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "web/offline.html")
