"""Writing: starting a letter or a reply, the page itself, autosave, and what a writer
does with an unsent page (crumple, keep, discard, send)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dear.homes.access import home_for_member, is_member, members_of
from dear.homes.seen import open_places
from dear.letters import services as letters
from dear.letters.access import letter_for_writer, seen_letter
from dear.letters.services import scheduling
from dear.lib import times
from dear.lib.errors import Invalid, NotFound
from dear.web import clock
from dear.web.errors import friendly
from dear.web.views.common import STATE_WORDS, person_of, uuid_or_404


@login_required
@friendly
def write(request: HttpRequest) -> HttpResponse:
    """GET asks "start a letter to Rory?"; POST makes the draft. A link never writes."""
    me = person_of(request)
    if request.method == "POST":
        letter = letters.create_letter(
            me, home=request.POST.get("home"), to=[request.POST.get("to", "")]
        )
        return redirect("web:edit", letter.pk)
    home = home_for_member(me, uuid_or_404(request.GET.get("home")))
    to = uuid_or_404(request.GET.get("to"))
    recipient = members_of(home).exclude(pk=me.pk).filter(pk=to).first()
    if recipient is None:
        raise NotFound()
    return render(request, "web/write.html", {"home": home, "recipient": recipient})


@login_required
@require_POST
@friendly
def reply(request: HttpRequest, letter_id) -> HttpResponse:
    me = person_of(request)
    original = seen_letter(me, letter_id)
    letter = letters.create_letter(
        me, home=original.home, to=[original.writer.id], in_reply_to=original.id
    )
    return redirect("web:edit", letter.pk)


def _posted_text(request: HttpRequest) -> dict[str, str]:
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


def _save_posted(request: HttpRequest, letter_id) -> None:
    """Save the page a form carried, before a button acts on the letter.

    A page identical to the letter needs no save, so a form that raced our own autosave
    is not mistaken for a stale copy.
    """
    text = _posted_text(request)
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
@friendly
def edit(request: HttpRequest, letter_id) -> HttpResponse:
    me = person_of(request)
    if request.method == "POST":
        _save_posted(request, letter_id)
        messages.success(request, "Saved.")
        return redirect("web:edit", letter_id)
    letter = seen_letter(me, letter_id)
    if not letter.mine:
        raise NotFound()
    if not letter.is_unsent:
        return redirect("web:letter", letter.pk)
    recipients = letter.to
    places = open_places(me, letter.home)
    context = {
        "letter": letter,
        "recipients": recipients,
        "answers": letter.in_reply_to,
        "places": places,
        "here": bool(places) or is_member(me, letter.home),
        "state": STATE_WORDS[letter.state],
        "undo_seconds": settings.SEND_UNDO_SECONDS,
        "body_limit": settings.LETTER_BODY_LIMIT,
        "arrives": _arrives_context(me, recipients),
    }
    return render(request, "web/edit.html", context)


def _arrives_context(me, recipients) -> dict:
    """What the "When should it arrive?" choice says: on whose clock, and when "in the
    morning" would be."""
    now = timezone.now()
    on = scheduling.clock_for(me, recipients)
    today = now.astimezone(on.zone).date()
    return {
        "label": clock.label(on),
        "reason": clock.reason(on, me, recipients),
        "morning": clock.spoken(
            times.next_morning(now, on.zone), on.zone, now, relative=clock.is_viewers(on, me)
        ),
        "min": today.isoformat(),
        "max": (now + letters.MAX_AHEAD).astimezone(on.zone).date().isoformat(),
    }


@login_required
@require_POST
@friendly(json=True)
def save(request: HttpRequest, letter_id) -> JsonResponse:
    """Autosave, from our script: answers the new revision, or 409 with the kept one."""
    letter = letters.save_letter(
        person_of(request),
        letter_id,
        revision=_posted_revision(request),
        **_posted_text(request),
    )
    return JsonResponse({"revision": letter.revision, "saved_at": letter.updated_at.isoformat()})


@login_required
@require_POST
@friendly
def crumple(request: HttpRequest, letter_id) -> HttpResponse:
    _save_posted(request, letter_id)
    letters.crumple(person_of(request), letter_id)
    messages.success(request, "A fresh page. The crumpled one is kept in the revisions.")
    return redirect("web:edit", letter_id)


@login_required
@require_POST
@friendly
def keep(request: HttpRequest, letter_id) -> HttpResponse:
    _save_posted(request, letter_id)
    letters.keep(person_of(request), letter_id)
    messages.success(request, "Kept in the drawer. Send it whenever you are ready.")
    return redirect("web:letter", letter_id)


@login_required
@require_POST
@friendly
def discard(request: HttpRequest, letter_id) -> HttpResponse:
    _save_posted(request, letter_id)
    letters.discard(person_of(request), letter_id)
    messages.success(request, "Moved to the basket. Nothing is lost until you empty it.")
    return redirect("web:letter", letter_id)


def _arrives(request: HttpRequest) -> dict:
    """The "When should it arrive?" choice, as ``letters.send`` takes it."""
    choice = request.POST.get("arrives", "now")
    day = request.POST.get("arrives_date", "").strip()
    if choice != "on" and day:
        # Without our script nothing ties the day to its choice; a letter meant for next
        # month must not go now because the wrong circle was left ticked.
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
    _save_posted(request, letter_id)
    when = _arrives(request)
    letters.send(person_of(request), letter_id, **when)
    messages.success(request, "Sent.")
    return redirect("web:letter", letter_id)
