"""A liveness check for load balancers and `dear serve`: no auth, no session, no template."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    ok = database_answers()
    return JsonResponse({"ok": ok}, status=200 if ok else 503)


urlpatterns = [path("", healthz, name="healthz")]
