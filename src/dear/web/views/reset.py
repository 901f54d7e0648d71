"""“Forgot your password?”: a link by email, then a page to choose a new one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from dear.accounts import reset
from dear.lib.client import client_address
from dear.notify import transport
from dear.web.errors import friendly

# Our own words, no one's input: safe to show as HTML.
DONE = mark_safe(
    "Your new password is set. You are signed out everywhere, and <code>dear</code> on your "
    "computers will ask you to log in again. Log in with your new password."
)


def _forgot_context(request: HttpRequest) -> dict:
    return {"configured": transport.configured()}


@friendly(form="web/forgot_password.html", context=_forgot_context)
def forgot(request: HttpRequest) -> HttpResponse:
    context = _forgot_context(request)
    if request.method != "POST" or not context["configured"]:
        return render(request, "web/forgot_password.html", context)
    reset.ask(request.POST.get("who", ""), address=client_address(request))
    # The same answer whoever was asked about: nobody learns who has an account here.
    return render(request, "web/forgot_password.html", {**context, "sent": reset.SENT})


def _reset_context(request: HttpRequest, uid: str, token: str) -> dict:
    return {"person": reset.person_for_link(uid, token)}


@friendly(form="web/reset_password.html", context=_reset_context)
def choose(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/reset_password.html", _reset_context(request, uid, token))
    reset.set_password(uid, token, request.POST.get("new_password", ""))
    messages.success(request, DONE)
    return redirect("web:login")
