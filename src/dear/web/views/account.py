"""A person's own settings: their name, password and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dear.accounts import services as accounts
from dear.notify import addresses, reminders, transport
from dear.web.errors import friendly
from dear.web.views.common import person_of


def _settings_context(request: HttpRequest, **_) -> dict:
    me = person_of(request)
    configured = transport.configured()
    return {
        "tokens": accounts.tokens_of(me),
        "email_configured": configured,
        "no_email": addresses.NO_EMAIL,
        # No query when there is no email to choose about.
        "email_choices": addresses.choices_of(me) if configured else None,
        "stretches": reminders.stretches(me),
    }


@login_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/settings.html", _settings_context(request))


@login_required
@require_POST
@friendly(form="web/settings.html", context=_settings_context)
def profile(request: HttpRequest) -> HttpResponse:
    accounts.update_profile(person_of(request), display_name=request.POST.get("display_name", ""))
    messages.success(request, "Your name is saved.")
    return redirect("web:settings")


@login_required
@require_POST
@friendly(form="web/settings.html", context=_settings_context)
def password(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    accounts.change_password(
        me, request.POST.get("old_password", ""), request.POST.get("new_password", "")
    )
    # Changing the password ends every other session; this one stays logged in.
    update_session_auth_hash(request, me)
    messages.success(request, "Your password is changed.")
    return redirect("web:settings")


@login_required
@require_POST
def receipts(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("receipts") == "on"
    accounts.set_receipts(person_of(request), on)
    messages.success(request, "Receipts are on." if on else "Receipts are off, both ways.")
    return redirect("web:settings")


@login_required
@require_POST
@friendly(form="web/settings.html", context=_settings_context)
def create_token(request: HttpRequest) -> HttpResponse:
    raw = accounts.issue_token(person_of(request), request.POST.get("name", ""))
    # Shown on this answer only: Dear keeps just its digest.
    context = {**_settings_context(request), "new_token": raw}
    return render(request, "web/settings.html", context)


@login_required
@require_POST
@friendly
def revoke_token(request: HttpRequest, token_id) -> HttpResponse:
    accounts.revoke_token_of(person_of(request), token_id)
    messages.success(request, "That token no longer works.")
    return redirect("web:settings")
