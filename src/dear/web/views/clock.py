"""A person's clock (time zone and quiet hours) and the letters on their way to arrive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dear.accounts import services as accounts
from dear.letters import boxes
from dear.web.errors import friendly
from dear.web.views.common import person_of, rows
from dear.web.views.settings_page import settings_context


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def time_setting(request: HttpRequest) -> HttpResponse:
    accounts.set_time(
        person_of(request),
        time_zone=request.POST.get("time_zone", ""),
        quiet_from=request.POST.get("quiet_from", ""),
        quiet_until=request.POST.get("quiet_until", ""),
    )
    messages.success(request, "Your time is saved.")
    return redirect("web:settings")


@login_required
@require_POST
@friendly(json=True)
def device_zone(request: HttpRequest) -> JsonResponse:
    """Our script tells us the zone of the browser it runs in, once, while the person has
    none: the default until they choose. A zone already chosen is never replaced."""
    me = person_of(request)
    kept = accounts.adopt_device_zone(me, request.POST.get("time_zone", ""))
    return JsonResponse({"kept": kept, "time_zone": me.time_zone})


@login_required
@require_GET
@friendly
def scheduled(request: HttpRequest) -> HttpResponse:
    """Letters I sent that have not arrived yet, the soonest first; each can be withdrawn."""
    me = person_of(request)
    found, later = boxes.page(
        me, box="scheduled", cursor=request.GET.get("cursor") or None, limit=boxes.PAGE_SIZE
    )
    return render(request, "web/scheduled.html", {"rows": rows(found, me), "next_cursor": later})
