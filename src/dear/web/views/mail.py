"""The settings page's email section, and the link that confirms an address."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dear.lib.errors import Conflict
from dear.notify import addresses
from dear.web.errors import friendly
from dear.web.views.common import person_of
from dear.web.views.settings_page import NOT_SENDING, settings_context

REMOVED = "Dear has no address for you now, and sends you no email."
NOT_SENT = (
    "Dear could not send the link just now. Your address is kept, unconfirmed: "
    "try “Send the link again” in a little while."
)


@contextmanager
def _told_plainly():
    """The services name the setting an operator would change; a housemate is told only
    that this Dear sends no email."""
    try:
        yield
    except Conflict as error:
        if error.message == addresses.NO_EMAIL:
            raise Conflict(NOT_SENDING) from None
        raise


def _said_about_link(request: HttpRequest, address: str, sent: bool) -> None:
    if sent:
        messages.success(
            request, f"A link is on its way to {address}. Follow it within three days."
        )
    else:
        messages.warning(request, NOT_SENT)


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def address(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    with _told_plainly():
        sent = addresses.set_address(
            me, request.POST.get("address", ""), password=request.POST.get("password", "")
        )
    if sent is not None:
        _said_about_link(request, me.email, sent)
    elif me.email:
        messages.success(request, f"{me.email} is already your address, and confirmed.")
    else:
        messages.success(request, REMOVED)
    return redirect("web:settings")


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def send_link(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    with _told_plainly():
        sent = addresses.send_link(me)
    _said_about_link(request, me.email, sent)
    return redirect("web:settings")


@login_required
@require_POST
@friendly(form="web/settings.html", context=settings_context)
def remove(request: HttpRequest) -> HttpResponse:
    addresses.remove_address(person_of(request), password=request.POST.get("password", ""))
    messages.success(request, REMOVED)
    return redirect("web:settings")


@login_required
@require_POST
def choices(request: HttpRequest) -> HttpResponse:
    addresses.set_choices(
        person_of(request), **{name: request.POST.get(name) == "on" for name in addresses.CHOICES}
    )
    messages.success(request, "Your email choices are saved.")
    return redirect("web:settings")


@require_GET
@friendly
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """An address's link, followed from its email: no login needed, since the link
    itself is the proof, and it confirms nothing but that address for that account."""
    person = addresses.confirm(token)
    return render(request, "web/email_confirmed.html", {"confirmed": person})
