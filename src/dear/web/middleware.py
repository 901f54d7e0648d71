"""What every request passes through: three guards, and the reader's clock."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from dear.accounts import services as accounts

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


def _refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = "too_large" if status == 413 else "bad_request"
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    heading = "That is too large" if status == 413 else "That did not work"
    context = {"status": status, "heading": heading, "message": message}
    return render(request, "web/error.html", context, status=status)


def _signed_in(request: HttpRequest) -> bool:
    if request.user.is_authenticated:
        return True
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and accounts.person_for_token(token.strip()) is not None


def _in_words(size: int) -> str:
    return f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size / 1000:g} kB"


def limit_bodies(get_response):
    """Refuse a body too large for what it is before a byte of it is read: a letter or a
    form (REQUEST_BODY_LIMIT), or an archive uploaded by someone signed in
    (IMPORT_UPLOAD_LIMIT). A chunked body, which says no length, is read up to the limit
    and no further. Uploads stay in memory (settings.FILE_UPLOAD_HANDLERS), so nothing
    anyone sends is written to disk."""

    def middleware(request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_LIMIT
        if request.path in settings.IMPORT_PATHS and _signed_in(request):
            limit = settings.IMPORT_UPLOAD_LIMIT
        too_large = f"That is more than {_in_words(limit)}, which is as much as Dear takes here."
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, "The request's Content-Length is not a number.")
        if declared > limit:
            return _refuse(request, too_large, 413)
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not declared:
            body = request.META["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                return _refuse(request, too_large, 413)
            # Read whole, within the limit: from here on it is an ordinary body.
            request._stream = io.BytesIO(body)
            request.META["CONTENT_LENGTH"] = str(len(body))
        return get_response(request)

    return middleware


def refuse_nul(get_response):
    """A NUL byte is never text a person meant; PostgreSQL cannot store one. Refuse it at
    the door with a 400 rather than fail deep inside a save."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            holds_nul = _holds_nul(request)
        except MultiPartParserError:
            return _refuse(request, "The request body is not a form Dear can read.")
        if holds_nul:
            return _refuse(request, NUL_MESSAGE)
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
