"""A letter on its own page, what its writer can still do with it, and its revisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dear.homes.access import is_member
from dear.homes.seen import open_places
from dear.letters import services as letters
from dear.letters.access import letter_for_writer
from dear.letters.rules import State
from dear.mutual.seen import partner_of
from dear.web.errors import friendly
from dear.web.views.common import STATE_WORDS, person_of


@login_required
@friendly
def letter(request: HttpRequest, letter_id) -> HttpResponse:
    """Opening a letter delivered to you marks it read; its writer sees who read it."""
    me = person_of(request)
    shown = letters.mark_read(me, letter_id)
    opened_pair = shown.state == State.SEALED and shown.opened_at is not None
    context = {
        "letter": shown,
        "mine": shown.mine,
        "state": STATE_WORDS.get(shown.state, shown.state),
        "recipients": shown.to,
        "discarded": shown.state == State.DISCARDED,
        "answers": shown.in_reply_to,
        # Someone who left the letter's home reads it still, without its places or a reply.
        "here": is_member(me, shown.home),
        "partner": partner_of(me, shown.id) if opened_pair else None,
        # Where the writer may still move a note nobody has found.
        "move_to": (
            [place for place in open_places(me, shown.home) if place.id != shown.place_id]
            if shown.may_move
            else []
        ),
    }
    return render(request, "web/letter.html", context)


@login_required
@require_POST
@friendly
def withdraw(request: HttpRequest, letter_id) -> HttpResponse:
    letters.withdraw(person_of(request), letter_id)
    messages.success(request, "Withdrawn. It waits in the drawer, unsent.")
    # From the list of letters on their way, back to that list.
    if request.POST.get("back") == "scheduled":
        return redirect("web:scheduled")
    return redirect("web:letter", letter_id)


@login_required
@require_POST
@friendly
def restore(request: HttpRequest, letter_id) -> HttpResponse:
    letters.restore(person_of(request), letter_id)
    messages.success(request, "Back from the basket.")
    return redirect("web:letter", letter_id)


@login_required
@friendly
def revisions(request: HttpRequest, letter_id) -> HttpResponse:
    found = letter_for_writer(person_of(request), letter_id)
    pages = list(found.revisions.order_by("-number"))
    return render(request, "web/revisions.html", {"letter": found, "revisions": pages})


@login_required
@require_POST
@friendly
def restore_revision(request: HttpRequest, letter_id, number: int) -> HttpResponse:
    restored = letters.restore_revision(person_of(request), letter_id, number)
    messages.success(
        request, f"Revision {number} is the page again, as revision {restored.revision}."
    )
    return redirect("web:edit", letter_id)
