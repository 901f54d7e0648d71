"""Django's own error handlers, in our clothes (see urls.py's handler404/handler500)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader

from dear.web.errors import error_page


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # The same page and words as NotFound from a service: missing and not-yours look alike.
    return error_page(request, 404, "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context: whatever broke must not break this too.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
