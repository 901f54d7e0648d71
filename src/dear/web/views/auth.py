"""Logging in and out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dear.accounts import guard
from dear.accounts import services as accounts
from dear.lib.client import client_address
from dear.notify import transport
from dear.web.errors import friendly

# Kept after logging out on purpose: it says only that this browser logged in before.
DEVICE_COOKIE = "dear_device"


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


def _login_context(request: HttpRequest) -> dict:
    # "Forgot your password?" only where a reset link can reach them.
    return {"next": _next_url(request), "email_configured": transport.configured()}


@friendly(form="web/login.html", context=_login_context)
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    if request.method != "POST":
        return render(request, "web/login.html", _login_context(request))
    username = request.POST.get("username", "")
    person = accounts.login(
        username,
        request.POST.get("password", ""),
        address=client_address(request),
        device=guard.known_device(request.COOKIES.get(DEVICE_COOKIE, ""), username),
        request=request,
    )
    auth_login(request, person)
    response = redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    response.set_cookie(
        DEVICE_COOKIE,
        guard.remember_device(person.username),
        max_age=settings.DEVICE_COOKIE_DAYS * 24 * 60 * 60,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
