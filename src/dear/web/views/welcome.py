"""The front door: the welcome page for the very first person, and "/" for everyone."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dear.accounts import services as accounts
from dear.homes import services as homes
from dear.web.errors import friendly
from dear.web.views.homes import home_page


def nobody_yet() -> bool:
    return not accounts.anyone_yet()


def index(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return home_page(request)
    if nobody_yet():
        return render(request, "web/welcome.html")
    return redirect_to_login(request.get_full_path())


@require_POST
@friendly(form="web/welcome.html")
def welcome(request: HttpRequest) -> HttpResponse:
    """The first account and its home, in one step; refused (403) once anyone exists."""
    data = request.POST
    with transaction.atomic():
        person = accounts.signup(
            username=data.get("username", ""),
            password=data.get("password", ""),
            display_name=data.get("display_name", ""),
        )
        homes.create_home(person, data.get("home_name", ""))
    auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("web:home")
