"""The home page, a home's own page, making a home, invites into it, and leaving it."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from dear.accounts import services as accounts
from dear.homes import seen as homes_seen
from dear.homes import services as homes
from dear.homes.access import home_for_member, is_member, members_of
from dear.letters import boxes, notes, seen
from dear.lib import links
from dear.lib.errors import NotFound
from dear.mutual import seen as mutual_seen
from dear.mutual.services import WINDOW_MINUTES, window_words
from dear.notify import reminders
from dear.web.errors import friendly
from dear.web.views.common import person_of, rows

WAITING_SHOWN = 10
STRANDED_SHOWN = 20
STUBS_SHOWN = 10


def _home_context(request: HttpRequest, **_) -> dict:
    me = person_of(request)
    own = mutual_seen.own_glances(me)
    my_homes = [
        {
            "home": home,
            "housemates": home.housemates,
            "places": home.places,
            # Whom a glance would only be refused for now: no button for them.
            "glanced": own.at_in(home.id),
        }
        for home in homes_seen.homes_of(me)
    ]
    recent, _ = boxes.page(me, box="inbox", limit=WAITING_SHOWN)
    waiting = [row for row in rows(recent, me) if row.unread]
    # Each quiet stretch with the home to write in: the homes above already hold them.
    home_with = {person.pk: entry["home"] for entry in my_homes for person in entry["housemates"]}
    quiet = [
        {"stretch": stretch, "home": home_with.get(stretch.other.pk)}
        for stretch in reminders.due(me)
    ]
    return {
        "homes": my_homes,
        "quiet": quiet,
        "waiting": waiting,
        # "Everything has been read" only to someone something has reached.
        "received": bool(recent),
        # Notes left at places since archived, for their writer to move or take back.
        "stranded": rows(notes.stranded_notes(me)[:STRANDED_SHOWN], me),
        "sealed_stubs": seen.sealed_stubs(me, STUBS_SHOWN),
        # Glances of the last day: met ones for both people, a waiting one for its glancer.
        "glances": {
            "met": mutual_seen.fresh_glances(me),
            "waiting": own.waiting,
        },
    }


def home_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", _home_context(request))


@login_required
@require_POST
@friendly(form="web/home.html", context=_home_context)
def create_home(request: HttpRequest) -> HttpResponse:
    home = homes.create_home(person_of(request), request.POST.get("name", ""))
    messages.success(request, f"{home.name} is ready. Invite someone to it.")
    return redirect("web:home_settings", home.pk)


def home_settings_context(request: HttpRequest, home_id, **_) -> dict:
    """A home's own page: its people, its places and labels, invites, the glance window
    and leaving. Only its current members see it; anyone else gets the 404 of a missing
    one."""
    me = person_of(request)
    home_for_member(me, home_id)
    home = homes_seen.home(me, home_id)
    if home is None:  # left between the two reads
        raise NotFound()
    return {
        "home": home,
        "window": window_words(home.glance_window_minutes),
        "window_range": WINDOW_MINUTES,
    }


@login_required
@require_GET
@friendly
def home_settings(request: HttpRequest, home_id) -> HttpResponse:
    return render(request, "web/home_settings.html", home_settings_context(request, home_id))


def qr_svg(text: str) -> str:
    # Colours as SVG attributes, never style="": the CSP allows no inline styles.
    svg = segno.make(text, error="m").svg_inline(
        scale=5, dark="#1d1a16", light="#ffffff", svgclass="qr", title="QR code of the link"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # our own SVG, from segno


@login_required
@require_POST
@friendly
def create_invite(request: HttpRequest, home_id) -> HttpResponse:
    invite = homes.create_invite(person_of(request), home_id)
    url = links.shared_url(request, reverse("web:invite", args=[invite.code]))
    context = {
        "invite": invite,
        "home": invite.home,
        "url": url,
        "qr": qr_svg(url),
        **links.only_here_notice(url),
    }
    return render(request, "web/invite_made.html", context)


def _invite_context(request: HttpRequest, code: str) -> dict:
    invite = homes.usable_invite(code)
    already = request.user.is_authenticated and is_member(request.user, invite.home)
    return {"invite": invite, "home": invite.home, "already": already}


@friendly(form="web/invite.html", context=_invite_context)
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """Someone opened an invite link: sign up (logged out) or join (logged in)."""
    if request.method != "POST":
        return render(request, "web/invite.html", _invite_context(request, code))
    if request.user.is_authenticated:
        home = homes.accept_invite(person_of(request), code)
    else:
        home = homes.usable_invite(code).home
        person = accounts.signup(
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
            display_name=request.POST.get("display_name", ""),
            invite=code,
        )
        auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome to {home.name}.")
    return redirect("web:home")


@login_required
@require_POST
@friendly
def leave_home(request: HttpRequest, home_id) -> HttpResponse:
    """Asks first: a POST without ``confirm`` shows what leaving does; with it, leaves."""
    me = person_of(request)
    if request.POST.get("confirm") != "yes":
        home = home_for_member(me, home_id)
        alone = not members_of(home).exclude(pk=me.pk).exists()
        return render(request, "web/leave_home.html", {"home": home, "alone": alone})
    left = homes.leave_home(me, home_id)
    kept = left.back_in_drawer
    back = (
        f" {kept} of your letters that had not arrived yet "
        f"{'is' if kept == 1 else 'are'} back in your drawer."
        if kept
        else ""
    )
    messages.success(request, f"You left {left.home.name}. Your letters stay with you.{back}")
    return redirect("web:home")
