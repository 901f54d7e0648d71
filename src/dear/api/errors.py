"""Every error the API answers has one shape: {"error": {"code": ..., "message": ...}}."""

from __future__ import annotations

import functools
import logging
import traceback

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dear.api.bodies import NotAnObject
from dear.lib.errors import DearError, StaleRevision, with_retry_after

logger = logging.getLogger("dear.api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}
NOT_FOUND = "Not found."
NEEDS_TOKEN = "This needs an API token: send the header Authorization: Bearer <token>."


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def _field_name(loc) -> str:
    # ninja reports ("body", "<parameter>", "field", 0, ...) or ("query", "field").
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts)


def validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    fields = []
    for error in errors:
        name = _field_name(error.get("loc", ()))
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        fields.append({"field": name, "message": message})
    first = fields[0] if fields else {"field": "", "message": "is not valid"}
    if first["field"]:
        summary = f"{first['field']}: {first['message']}"
    else:
        summary = f"The request: {first['message']}"
    if len(fields) > 1:
        summary += f" (and {len(fields) - 1} more)"
    return summary, fields


def install(api: NinjaAPI) -> None:
    def answer(request, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_dear_error(request: HttpRequest, exc: DearError) -> HttpResponse:
        extra = {}
        if isinstance(exc, StaleRevision):
            extra = {"current_revision": exc.current_revision, "kept_as": exc.kept_as}
        response = answer(request, exc.status, error_body(exc.code, exc.message, **extra))
        return with_retry_after(response, exc)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message, fields = validation_message(exc.errors)
        return answer(request, 422, error_body("invalid", message, fields=fields))

    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = answer(request, 401, error_body("unauthorized", NEEDS_TOKEN))
        response["WWW-Authenticate"] = 'Bearer realm="dear"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, NotAnObject):
            message = str(exc.__cause__)
            fields = [{"field": "", "message": message}]
            return answer(request, 422, error_body("invalid", message, fields=fields))
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "The request body is not valid JSON."
        code = CODES.get(exc.status_code, "error")
        return answer(request, exc.status_code, error_body(code, message))

    def on_form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        # A form (multipart) sent where JSON belongs: its body was read as a form already.
        message = str(NotAnObject({}))
        fields = [{"field": "", "message": message}]
        return answer(request, 422, error_body("invalid", message, fields=fields))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, error_body("not_found", NOT_FOUND))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"A request holds at most {limit:,} bytes. Nothing was saved."
        return answer(request, 413, error_body("too_large", message))

    def on_anything_else(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug, not bad input. The operator gets where it happened, but not the message:
        # a database error can quote the row it failed on, and no log shows a letter's words.
        logger.error(
            "API error on %s %s: %s (message withheld)\n%s",
            request.method,
            request.path,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        message = "Something went wrong on the server. Try again in a moment."
        return answer(request, 500, error_body("server_error", message))

    api.add_exception_handler(DearError, on_dear_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RawPostDataException, on_form_body)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Exception, on_anything_else)


def json_method_not_allowed(view):
    """ninja answers a wrong method with a bare 405; give it the API's error shape."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            message = f"{request.method} is not allowed here; this path takes {allowed}."
            answer = JsonResponse(error_body("method_not_allowed", message), status=405)
            answer["Allow"] = allowed
            return answer
        return response

    return wrapped


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse(error_body("not_found", NOT_FOUND), status=404)
