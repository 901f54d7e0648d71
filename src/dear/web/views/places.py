"""Places: one place opened (the notes found there, shown as letters, and the writer's own
notes waiting there), managing it one tap away (its label, name and archiving), the
printable sheet of labels; leaving, moving and taking back a note."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_POST

from dear.homes import seen as homes_seen
from dear.homes import services as homes
from dear.homes.access import home_for_member, place_for_label, place_for_member
from dear.homes.seen import place_at
from dear.letters import notes
from dear.letters import services as letters
from dear.letters.seen import own as seen_own
from dear.lib import links
from dear.lib.errors import Invalid, NotFound
from dear.web.errors import friendly
from dear.web.views.common import person_of, rows
from dear.web.views.homes import home_settings_context
from dear.web.views.unsent import save_posted

PAPERS = {"a4": "A4", "letter": "US Letter"}


def label_url(request: HttpRequest, place) -> str:
    return links.shared_url(request, reverse("web:label", args=[place.label]))


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


def write_here(viewer, place) -> str:
    """The writing page with this place already chosen for the note; with one housemate,
    already to them (with several, the page asks whom)."""
    found = homes_seen.homes_of(viewer, home_ids=[place.home], places=False)
    if not found:
        raise NotFound()  # they left the home a moment ago
    [home] = found
    query = {"home": place.home, "choose": "place", "place": place.id}
    if len(home.housemates) == 1:
        query["to"] = home.housemates[0].id
    return f"{reverse('web:write')}?{urlencode(query)}"


@login_required
@require_GET
@friendly
def place(request: HttpRequest, place_id) -> HttpResponse:
    """Opening a place finds every note waiting there for you, and shows it at once as the
    letter it is (so reads it); the notes you left here show whether they wait still."""
    me = person_of(request)
    here = place_for_member(me, place_id)
    opened = notes.find_notes(me, here)
    found = notes.read_where_found(me, opened)
    shown = {note.id for note in found}
    seen_here = homes_seen.place(me, here.pk)
    context = {
        "place": seen_here,
        "home_name": here.home.name,
        "found": found,
        "found_before": rows([note for note in opened.notes if note.id not in shown], me),
        "left_here": notes.left_here(me, here),
        "write_here": write_here(me, seen_here),
    }
    return render(request, "web/place.html", context)


def _manage_page(request: HttpRequest, here, *, status: int = 200, **extra) -> HttpResponse:
    me = person_of(request)
    url = label_url(request, here)
    context = {
        "place": homes_seen.place(me, here.pk),
        "home_name": here.home.name,
        "kinds": homes_seen.KINDS,
        "url": url,
        "qr": label_svg(url, here.name),
        **links.only_here_notice(url),
        **extra,
    }
    return render(request, "web/place_manage.html", context, status=status)


@login_required
@require_GET
@friendly
def manage_place(request: HttpRequest, place_id) -> HttpResponse:
    """Its label, its name and kind, archiving: one tap from the place, and opening this
    page finds nothing."""
    return _manage_page(request, place_for_member(person_of(request), place_id))


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
    messages.success(request, f"{capfirst(made.name)} is a place in {made.home.name} now.")
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
        return _manage_page(request, here, error=error.message, values=values, status=422)
    messages.success(request, "Saved.")
    return redirect("web:manage_place", here.pk)


@login_required
@require_POST
@friendly
def archive_place(request: HttpRequest, place_id) -> HttpResponse:
    here = homes.archive_place(person_of(request), place_id)
    messages.success(
        request,
        f"{capfirst(here.name)} is archived. Notes left there are kept; nobody finds them there.",
    )
    return redirect("web:manage_place", here.pk)


@login_required
@require_POST
@friendly
def restore_place(request: HttpRequest, place_id) -> HttpResponse:
    here = homes.restore_place(person_of(request), place_id)
    messages.success(request, f"{capfirst(here.name)} is back.")
    return redirect("web:manage_place", here.pk)


@login_required
@require_POST
@friendly
def replace_label(request: HttpRequest, place_id) -> HttpResponse:
    here = homes.replace_label(person_of(request), place_id)
    messages.success(request, "A new label. The old one no longer opens this place: print this.")
    return redirect("web:manage_place", here.pk)


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
    context = {
        "home": home,
        "labels": sheet,
        "paper": paper,
        "papers": PAPERS,
        **links.only_here_notice(links.shared_url(request, "/")),
    }
    return render(request, "web/labels.html", context)


@login_required
@require_POST
@friendly
def leave(request: HttpRequest, letter_id) -> HttpResponse:
    """Leave the letter at a place instead of sending it: a note."""
    save_posted(request, letter_id)
    left = letters.send(
        person_of(request),
        letter_id,
        place=request.POST.get("place") or _no_place(),
        hint=request.POST.get("hint") == "yes",
    )
    messages.success(request, left_words(seen_own(person_of(request), left)))
    return redirect("web:letter", letter_id)


def left_words(note) -> str:
    """What leaving a note did, said plainly: where, for whom, and whether they are told."""
    if len(note.to) == 1:
        who = note.to[0].display_name
        looks, told = f"{who} looks", f"{who} sees a hint that something waits there"
        untold = f"nothing tells {who} it is there"
    else:
        names = [person.display_name for person in note.to]
        who = ", ".join(names[:-1]) + " and " + names[-1]
        looks, told = "they look", "they see a hint that something waits there"
        untold = "nothing tells them it is there"
    return f"Left {note.place.at} for {who}. It waits there until {looks}; " + (
        f"{told}." if note.hint else f"{untold}."
    )


def _no_place():
    raise Invalid("Choose the place to leave the note at.")


@login_required
@require_POST
@friendly
def move_note(request: HttpRequest, letter_id) -> HttpResponse:
    moved = notes.move_note(person_of(request), letter_id, request.POST.get("place") or None)
    messages.success(
        request, f"Moved. It waits {place_at(moved.place.name, moved.place.kind)} now."
    )
    return redirect("web:letter", letter_id)


@login_required
@require_POST
@friendly
def take_back(request: HttpRequest, letter_id) -> HttpResponse:
    notes.take_back(person_of(request), letter_id)
    messages.success(request, "Picked up. It waits in the drawer, unsent.")
    return redirect("web:letter", letter_id)
