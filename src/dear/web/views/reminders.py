"""Turning a quiet reminder on, changing it, and stopping it (dear.notify.reminders)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dear.lib import words
from dear.notify import reminders, transport
from dear.web.errors import friendly
from dear.web.views.common import person_of


def _back(request: HttpRequest, person_id) -> HttpResponse:
    # Only two places hold these forms: never a redirect to an address the form names.
    if request.POST.get("back") == "settings":
        return redirect("web:settings")
    return redirect("web:correspondence", person_id)


@login_required
@require_POST
@friendly
def remind(request: HttpRequest, person_id) -> HttpResponse:
    # Without email the form has no box to tick: saving keeps whatever was chosen before.
    email = request.POST.get("email") == "on" if transport.configured() else None
    reminder = reminders.set_reminder(
        person_of(request),
        person_id,
        after_days=request.POST.get("after_days", ""),
        email=email,
    )
    days = reminder.after_days
    messages.success(
        request,
        f"Dear will say so when {words.days(days)} pass{'es' if days == 1 else ''} without "
        f"a letter between you and {reminder.other.display_name}.",
    )
    return _back(request, person_id)


@login_required
@require_POST
@friendly
def stop_reminder(request: HttpRequest, person_id) -> HttpResponse:
    other = reminders.clear_reminder(person_of(request), person_id)
    messages.success(request, f"No more reminders about {other.display_name}.")
    return _back(request, person_id)
