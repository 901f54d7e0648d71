"""A person's own settings (their name, receipts, password), the "More" page that leads to
everything else of theirs, and their tokens for the terminal and other apps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dear.accounts import services as accounts
from dear.homes import seen as homes_seen
from dear.notify import channels
from dear.web.errors import friendly
from dear.web.views.common import person_of
from dear.web.views.settings_page import settings_context

RECEIPTS_ON = "Receipts are on, both ways."
RECEIPTS_OFF = "Receipts are off, both ways."


@login_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/settings.html", settings_context(request))


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def profile(request: HttpRequest) -> HttpResponse:
    accounts.update_profile(person_of(request), display_name=request.POST.get("display_name", ""))
    messages.success(request, "Your name is saved.")
    return redirect("web:settings")


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def password(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    accounts.change_password(
        me, request.POST.get("old_password", ""), request.POST.get("new_password", "")
    )
    # Changing the password ends every other session; this one stays logged in, under a
    # new key, and its browser's pushes with it.
    old_key = request.session.session_key
    update_session_auth_hash(request, me)
    channels.session_moved(old_key, request.session.session_key)
    messages.success(
        request, "Your password is changed. Everywhere else, you will log in again with it."
    )
    return redirect("web:settings")


@login_required
@require_POST
def receipts(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("receipts") == "on"
    accounts.set_receipts(person_of(request), on)
    messages.success(request, RECEIPTS_ON if on else RECEIPTS_OFF)
    return redirect("web:settings")


@login_required
@require_GET
def more(request: HttpRequest) -> HttpResponse:
    homes = [
        {"name": name, "url": reverse("web:home_settings", args=[pk])}
        for pk, name in homes_seen.names_of(person_of(request))
    ]
    return render(request, "web/more.html", {"homes": homes})


def _tokens_context(request: HttpRequest, **_) -> dict:
    return {"tokens": accounts.tokens_of(person_of(request))}


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The tokens page, and making one from it: both at one address."""
    if request.method == "POST":
        return create_token(request)
    return render(request, "web/tokens.html", _tokens_context(request))


@friendly(form="web/tokens.html", context=_tokens_context)
def create_token(request: HttpRequest) -> HttpResponse:
    raw = accounts.issue_token(person_of(request), request.POST.get("name", ""))
    # Shown on this answer only: Dear keeps just its digest.
    context = {**_tokens_context(request), "new_token": raw}
    return render(request, "web/tokens.html", context)


@login_required
@require_POST
@friendly
def revoke_token(request: HttpRequest, token_id) -> HttpResponse:
    accounts.revoke_token_of(person_of(request), token_id)
    messages.success(request, "That token no longer works.")
    return redirect("web:tokens")
