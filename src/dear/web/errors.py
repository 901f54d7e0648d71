"""The one place the web face turns domain errors into pages.

Views raise ``DearError``s from the services; ``friendly`` answers them with the error's
own status: a calm page, the form again with the message, or JSON for our script.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from dear.lib.errors import DearError, StaleRevision, with_retry_after

HEADINGS = {
    400: "That did not work",
    401: "Who's there?",
    403: "Not allowed",
    404: "Nothing here",
    409: "Not right now",
    410: "This link has had its day",
    413: "That is too long",
    422: "Something needs a second look",
    429: "Slow down a little",
    500: "Something went wrong on our side",
}
# Errors about the thing itself or who is asking, never about what was typed: no form
# can fix them, so they get the error page.
NOT_A_FORM_ERROR = {403, 404, 410}


def _back_url(request: HttpRequest) -> str | None:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    context = {
        "status": status,
        "heading": HEADINGS.get(status, HEADINGS[400]),
        "message": message,
        # A 404 offers no way back: what came before it might differ between "missing"
        # and "not yours", and those two must look the same.
        "back": None if status == 404 else _back_url(request),
    }
    return render(request, "web/error.html", context, status=status)


def error_json(error: DearError) -> JsonResponse:
    payload: dict = {"error": {"code": error.code, "message": error.message}}
    if isinstance(error, StaleRevision):
        payload["current_revision"] = error.current_revision
        payload["kept_as"] = error.kept_as
    return JsonResponse(payload, status=error.status)


def friendly(
    view: Callable | None = None,
    *,
    form: str | None = None,
    context: Callable[..., dict] | None = None,
    json: bool = False,
):
    """Answer a ``DearError`` raised by ``view``.

    With ``form``, a POST that failed shows that template again with ``error`` and the
    submitted ``values`` (plus whatever ``context(request, **kwargs)`` adds).
    With ``json``, the answer is ``{"error": {"code", "message"}}``.
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return func(request, *args, **kwargs)
            except DearError as error:
                if json:
                    return with_retry_after(error_json(error), error)
                if form and request.method == "POST" and error.status not in NOT_A_FORM_ERROR:
                    try:
                        extra = context(request, **kwargs) if context else {}
                    except DearError as later:
                        return error_page(request, later.status, later.message)
                    values = {k: v for k, v in request.POST.items() if "password" not in k}
                    page = {**extra, "error": error.message, "values": values}
                    response = render(request, form, page, status=error.status)
                else:
                    response = error_page(request, error.status, error.message)
                return with_retry_after(response, error)

        return wrapper

    return decorate(view) if view is not None else decorate
