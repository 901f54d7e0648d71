"""A letter on its own page, what its writer can still do with it, and its revisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dear.letters import services as letters
from dear.letters.access import letter_for_writer, reply_target
from dear.letters.models import State
from dear.web.errors import friendly
from dear.web.views.common import STATE_WORDS, person_of


@login_required
@friendly
def letter(request: HttpRequest, letter_id) -> HttpResponse:
    """Opening a letter delivered to you marks it read; its writer sees who read it."""
    me = person_of(request)
    shown = letters.mark_read(me, letter_id)
    mine = shown.writer_id == me.pk
    now = timezone.now()
    context = {
        "letter": shown,
        "mine": mine,
        "state": STATE_WORDS.get(shown.state, shown.state),
        "deliveries": list(shown.deliveries.all()),
        "recipients": shown.recipients,
        "on_its_way": (
            mine and shown.state == State.SENT and shown.deliver_at and shown.deliver_at > now
        ),
        "discarded": shown.state == State.DISCARDED,
        "answers": reply_target(me, shown),
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
