"""Places: the home drawn as its places, one place opened (finding the notes left there
for you), its label and the printable sheet of labels; leaving, moving and taking back a
note."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from dear.homes import seen as homes_seen
from dear.homes import services as homes
from dear.homes.access import home_for_member, place_for_label, place_for_member
from dear.letters import notes
from dear.letters import services as letters
from dear.lib.errors import Invalid
from dear.web.errors import friendly
from dear.web.views.common import person_of, rows
from dear.web.views.homes import home_settings_context
from dear.web.views.write import _save_posted

PAPERS = {"a4": "A4", "letter": "US Letter"}


def label_url(request: HttpRequest, place) -> str:
    return request.build_absolute_uri(reverse("web:label", args=[place.label]))


def label_svg(url: str, name: str) -> str:
    # Colours as SVG attributes, never style="": the CSP allows no inline styles. segno
    # escapes the title; the QR code holds only the URL.
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        dark="#000000",
        light="#ffffff",
        svgclass="qr",
        title=f"QR label of {name}",
        omitsize=True,  # a viewBox only, so the page sets its printed size
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # our own SVG, from segno


def _place_page(
    request: HttpRequest, place, opened=None, *, status: int = 200, **extra
) -> HttpResponse:
    me = person_of(request)
    context = {
        "place": place,
        "kinds": homes_seen.KINDS,
        "url": label_url(request, place),
        "qr": label_svg(label_url(request, place), place.name),
        "found_now": [],
        "found_before": [],
        **extra,
    }
    if opened is not None:
        notes_here = rows(opened.notes, me)
        context["found_now"] = [r for r in notes_here if r.letter.pk in opened.found_now]
        context["found_before"] = [r for r in notes_here if r.letter.pk not in opened.found_now]
    return render(request, "web/place.html", context, status=status)


@login_required
@require_GET
@friendly
def place(request: HttpRequest, place_id) -> HttpResponse:
    """Opening a place finds every note waiting there for you."""
    me = person_of(request)
    here = place_for_member(me, place_id)
    return _place_page(request, here, notes.find_notes(me, here))


@login_required
@require_GET
@friendly
def label(request: HttpRequest, label: str) -> HttpResponse:
    """Where a scanned label lands: its place, for a member of its home; else a 404 like a
    made-up code's. (Logged out, the login page comes first and brings you back here.)"""
    return redirect("web:place", place_for_label(person_of(request), label).pk)


@login_required
@require_POST
@friendly(form="web/home_settings.html", context=home_settings_context)
def create_place(request: HttpRequest, home_id) -> HttpResponse:
    made = homes.create_place(
        person_of(request), home_id, request.POST.get("name", ""), request.POST.get("kind")
    )
    messages.success(request, f"{made.name} is a place in {made.home.name} now.")
    return redirect("web:home_settings", home_id)


@login_required
@require_POST
@friendly
def change_place(request: HttpRequest, place_id) -> HttpResponse:
    me = person_of(request)
    here = place_for_member(me, place_id)
    try:
        homes.change_place(
            me, here.pk, name=request.POST.get("name", ""), kind=request.POST.get("kind")
        )
    except Invalid as error:
        # The place again, with the message by the form; opening it again finds nothing new.
        values = {"name": request.POST.get("name", ""), "kind": request.POST.get("kind")}
        return _place_page(request, here, error=error.message, values=values, status=422)
    messages.success(request, "Saved.")
    return redirect("web:place", here.pk)


@login_required
@require_POST
@friendly
def archive_place(request: HttpRequest, place_id) -> HttpResponse:
    here = homes.archive_place(person_of(request), place_id)
    messages.success(
        request, f"{here.name} is archived. Notes left there are kept; nobody finds them there."
    )
    return redirect("web:place", here.pk)


@login_required
@require_POST
@friendly
def restore_place(request: HttpRequest, place_id) -> HttpResponse:
    here = homes.restore_place(person_of(request), place_id)
    messages.success(request, f"{here.name} is back.")
    return redirect("web:place", here.pk)


@login_required
@require_POST
@friendly
def replace_label(request: HttpRequest, place_id) -> HttpResponse:
    here = homes.replace_label(person_of(request), place_id)
    messages.success(request, "A new label. The old one no longer opens this place: print this.")
    return redirect("web:place", here.pk)


@login_required
@require_GET
@friendly
def labels(request: HttpRequest, home_id) -> HttpResponse:
    """A sheet of labels to print and stick on the places: a code, the name under it."""
    home = home_for_member(person_of(request), home_id)
    paper = request.GET.get("paper") if request.GET.get("paper") in PAPERS else "a4"
    sheet = [
        {"place": one, "qr": label_svg(label_url(request, one), one.name)}
        for one in homes_seen.open_places(person_of(request), home.pk)
    ]
    context = {"home": home, "labels": sheet, "paper": paper, "papers": PAPERS}
    return render(request, "web/labels.html", context)


@login_required
@require_POST
@friendly
def leave(request: HttpRequest, letter_id) -> HttpResponse:
    """Leave the letter at a place instead of sending it: a note."""
    _save_posted(request, letter_id)
    left = letters.send(
        person_of(request),
        letter_id,
        place=request.POST.get("place") or _no_place(),
        hint=request.POST.get("hint") == "yes",
    )
    messages.success(request, f"Left at {left.place.name}.")
    return redirect("web:letter", letter_id)


def _no_place():
    raise Invalid("Choose the place to leave the note at.")


@login_required
@require_POST
@friendly
def move_note(request: HttpRequest, letter_id) -> HttpResponse:
    moved = notes.move_note(person_of(request), letter_id, request.POST.get("place") or None)
    messages.success(request, f"Moved to {moved.place.name}.")
    return redirect("web:letter", letter_id)


@login_required
@require_POST
@friendly
def take_back(request: HttpRequest, letter_id) -> HttpResponse:
    notes.take_back(person_of(request), letter_id)
    messages.success(request, "Picked up. It waits in the drawer, unsent.")
    return redirect("web:letter", letter_id)
