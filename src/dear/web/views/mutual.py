"""Sealing a letter, the sealed box, glances, and the moments page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dear.homes import seen as homes_seen
from dear.letters import boxes
from dear.letters import seen as letters_seen
from dear.lib.errors import RateLimited
from dear.mutual import seen as mutual_seen
from dear.mutual import services as mutual
from dear.mutual.services import window_words
from dear.web.errors import friendly
from dear.web.views.common import person_of, rows
from dear.web.views.homes import home_settings_context
from dear.web.views.unsent import save_posted


@login_required
@require_POST
@friendly
def seal(request: HttpRequest, letter_id) -> HttpResponse:
    """From the write page (or a letter kept in the drawer): the page's text is saved
    first, then the letter is sealed, told or blind."""
    save_posted(request, letter_id)
    me = person_of(request)
    sealed = mutual.seal(me, letter_id, blind=request.POST.get("blind") == "yes")
    other = sealed.letter.recipients[0].display_name
    if sealed.moment is not None:
        # Their letter opens on a page that shows the pair as a moment; a word says why.
        messages.success(request, f"{other} had sealed one for you too: both letters have opened.")
        return redirect("web:letter", sealed.moment.first_letter_id)
    if sealed.letter.blind:
        told = f"{other} is told nothing until it opens."
    else:
        told = f"{other} can see that you sealed a letter for them, never a word of it."
    messages.success(request, f"Sealed. It opens when {other} seals one back. {told}")
    return redirect("web:letter", letter_id)


@login_required
@require_GET
@friendly
def sealed_box(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    found, older = boxes.page(
        me, box="sealed", cursor=request.GET.get("cursor") or None, limit=boxes.PAGE_SIZE
    )
    context = {
        "for_me": [letter for letter in found if letter.writer_id != me.pk],
        "mine": rows([letter for letter in found if letter.writer_id == me.pk], me),
        "next_cursor": older,
    }
    return render(request, "web/sealed.html", context)


def _homes(person, own):
    return [
        {"home": home, "housemates": home.housemates, "glanced": own.at_in(home.id)}
        for home in homes_seen.homes_of(person, places=False)
    ]


@login_required
@require_GET
@friendly
def moments(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    found, older = mutual.moments_page(me, cursor=request.GET.get("cursor") or None)
    shown = mutual_seen.seen_moments(me, found)
    own = mutual_seen.own_glances(me)
    # A sealed pair shows both letters' first words: read together, in one batch.
    ids = [i for m in shown if not m.is_glance for i in (m.their_letter, m.my_letter) if i]
    letters_of = {letter.id: letter for letter in letters_seen.by_ids(me, ids)}
    context = {
        "moments": [
            {
                "moment": m,
                "theirs": letters_of.get(m.their_letter),
                "mine": letters_of.get(m.my_letter),
            }
            for m in shown
        ],
        "next_cursor": older,
        "homes": _homes(me, own),
        "glances": {"met": [], "waiting": own.waiting},
    }
    return render(request, "web/moments.html", context)


@login_required
@require_POST
@friendly
def glance(request: HttpRequest) -> HttpResponse:
    """No flash: Home and the Moments page show what the glance did, as a moment or as
    the glancer's own waiting glance."""
    me = person_of(request)
    home = request.POST.get("home") or None
    back = "web:home" if request.POST.get("back") == "home" else "web:moments"
    try:
        mutual.glance(me, request.POST.get("to", ""), home=home)
    except RateLimited as again:
        # A second tap (a page left open from before): the first glance stands, and a
        # word on the page it came from says when another can go. Not an error.
        messages.info(request, again.message)
    return redirect(back)


@login_required
@require_POST
@friendly(form="web/home_settings.html", context=home_settings_context)
def glance_window(request: HttpRequest, home_id) -> HttpResponse:
    home = mutual.set_glance_window(person_of(request), home_id, request.POST.get("minutes"))
    messages.success(
        request,
        f"Glances in {home.name} now meet within {window_words(home.glance_window_minutes)}.",
    )
    return redirect("web:home_settings", home.pk)
