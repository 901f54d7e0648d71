"""What a writer does with a page not yet sent: autosave, crumple, keep, discard, send.

Every button saves the words its form carried first (``save_posted``), here and where a
note is left at a place or a letter sealed, so a choice that needs a second look loses
none of them.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dear.letters import services as letters
from dear.letters.access import letter_for_writer, seen_letter
from dear.letters.rules import State
from dear.lib.errors import Invalid
from dear.web import clock
from dear.web.errors import friendly
from dear.web.views.common import person_of


def posted_text(request: HttpRequest) -> dict[str, str]:
    # Browsers send CRLF line ends from a textarea; the page stores what the API stores.
    return {
        field: request.POST[field].replace("\r\n", "\n")
        for field in letters.TEXT_FIELDS
        if field in request.POST
    }


def _posted_revision(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        raise Invalid("The page did not say which revision it was editing.") from None


def save_posted(request: HttpRequest, letter_id) -> None:
    """Save the page a form carried, before a button acts on the letter.

    A page identical to the letter needs no save, so a form that raced our own autosave
    is not mistaken for a stale copy.
    """
    text = posted_text(request)
    if not text:
        return
    me = person_of(request)
    letter = letter_for_writer(me, letter_id)
    if all(getattr(letter, f) == v for f, v in text.items()):
        return
    # Even if the letter was sent or discarded elsewhere meanwhile: the words are kept
    # as a revision and the answer says so, never a false "Saved".
    letters.save_letter(me, letter_id, revision=_posted_revision(request), **text)


@login_required
@require_POST
@friendly(json=True)
def save(request: HttpRequest, letter_id) -> JsonResponse:
    """Autosave, from our script: answers the new revision, or 409 with the kept one."""
    letter = letters.save_letter(
        person_of(request),
        letter_id,
        revision=_posted_revision(request),
        **posted_text(request),
    )
    return JsonResponse({"revision": letter.revision, "saved_at": letter.updated_at.isoformat()})


@login_required
@require_POST
@friendly
def crumple(request: HttpRequest, letter_id) -> HttpResponse:
    save_posted(request, letter_id)
    letters.crumple(person_of(request), letter_id)
    messages.success(request, "A fresh page. The crumpled one is kept in the revisions.")
    return redirect("web:edit", letter_id)


@login_required
@require_POST
@friendly
def keep(request: HttpRequest, letter_id) -> HttpResponse:
    save_posted(request, letter_id)
    me = person_of(request)
    # A letter already in the drawer stays there, with the words just saved.
    if seen_letter(me, letter_id).state != State.KEPT:
        letters.keep(me, letter_id)
    messages.success(request, "Kept in the drawer.")
    return redirect("web:letter", letter_id)


@login_required
@require_POST
@friendly
def discard(request: HttpRequest, letter_id) -> HttpResponse:
    save_posted(request, letter_id)
    letters.discard(person_of(request), letter_id)
    messages.success(request, "Moved to the basket. Nothing is lost until you empty it.")
    return redirect("web:letter", letter_id)


def _arrives(request: HttpRequest) -> dict:
    """When it should arrive, as ``letters.send`` takes it.

    The write page's buttons say it themselves: "Send" (``send=now``) goes now whatever
    was left in the hidden "Arrive later" panel; "Send it for tomorrow…" and "Arrive
    then" (``send=later``) read the choice they stand under. A form without them (an
    older page) is read as before, and a stray day is refused rather than guessed at.
    """
    button = request.POST.get("send")
    if button == "now":
        return {}
    choice = request.POST.get("arrives", "now")
    day = request.POST.get("arrives_date", "").strip()
    if button == "later" and choice == "morning":
        return {"morning": True}
    if choice != "on" and day:
        raise Invalid(
            "A day is filled in, but the choice is not “On a day and time”. "
            "Choose that, or clear the day, and send again."
        )
    if choice == "morning":
        return {"morning": True}
    if choice != "on":
        return {}
    at = request.POST.get("arrives_time", "").strip() or "08:00"
    if not day:
        raise Invalid("Choose the day it should arrive.")
    try:
        local = datetime.combine(date.fromisoformat(day), time.fromisoformat(at))
    except ValueError:
        raise Invalid("That day and time do not look like a date and a time.") from None
    return {"arrives_on": local.replace(tzinfo=None)}


@login_required
@require_POST
@friendly
def send(request: HttpRequest, letter_id) -> HttpResponse:
    # The words first: a choice of time that needs a second look loses none of them.
    save_posted(request, letter_id)
    when = _arrives(request)
    me = person_of(request)
    sent = letters.send(me, letter_id, **when)
    names = clock.together(sent.recipients)
    if when:
        at = clock.arrival(sent, me)
        on = "on " if at[:1].isdigit() else ""  # "on 1 June", but "tomorrow at 08:00"
        messages.success(request, f"It will reach {names} {on}{at}.")
    else:
        messages.success(request, f"Sent to {names}.")
    return redirect("web:letter", letter_id)
