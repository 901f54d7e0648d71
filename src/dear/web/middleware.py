"""What every request passes through: two guards, and the reader's clock."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers

NUL = "\x00"
NUL_MESSAGE = "The request holds a NUL character, which nothing in Dear can store."


def _holds_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    for data in (request.GET, request.POST):
        for values in data.lists():
            if any(NUL in value for value in values[1]) or NUL in values[0]:
                return True
    return False


def refuse_nul(get_response):
    """A NUL byte is never text a person meant; PostgreSQL cannot store one. Refuse it at
    the door with a 400 rather than fail deep inside a save."""

    def refuse(request: HttpRequest, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"error": {"code": "bad_request", "message": message}}, status=400)
        context = {"status": 400, "heading": "That did not work", "message": message}
        return render(request, "web/error.html", context, status=400)

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            holds_nul = _holds_nul(request)
        except MultiPartParserError:
            return refuse(request, "The request body is not a form Dear can read.")
        if holds_nul:
            return refuse(request, NUL_MESSAGE)
        return get_response(request)

    return middleware


def private_pages(get_response):
    """Pages shown to someone logged in hold their letters: no cache may keep them, so the
    Back button on a shared family laptop shows nothing after logging out."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] += ", private"
            patch_vary_headers(response, ["Cookie"])
        return response

    return middleware


def reader_clock(get_response):
    """Every page shows its dates on the clock of whoever reads it (their time zone, UTC
    until one is known). The API stays in UTC: its timestamps carry their zone."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not request.path.startswith("/api/") and user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return get_response(request)
        finally:
            # A worker thread serves someone else next.
            timezone.deactivate()

    return middleware
