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
from dear.letters.rules import State, sent_to_arrive_later
from dear.lib.spans import span
from dear.mutual.seen import partner_of
from dear.notify import channels, webpush
from dear.web.errors import friendly
from dear.web.templatetags.clock import said
from dear.web.views.common import person_of, state_words
from dear.web.views.settings_page import push_possible


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
        "state": state_words(shown),
        "recipients": shown.to,
        "discarded": shown.state == State.DISCARDED,
        "answers": shown.in_reply_to,
        # Someone who left the letter's home reads it still, without its places or a reply.
        "here": is_member(me, shown.home),
        "partner": partner_of(me, shown.id) if opened_pair else None,
        "then": _then(shown),
        # Where the writer may still move a note nobody has found.
        "move_to": (
            [place for place in open_places(me, shown.home) if place.id != shown.place_id]
            if shown.may_move
            else []
        ),
    }
    context.update(_push_offer(request, shown))
    return render(request, "web/letter.html", context)


def _then(shown) -> dict | None:
    """The second moment of the line under a letter, after "Written …": when it was sealed,
    left, arrived or sent. ``once`` when both read the same on the page (written and
    sent in one minute): then the line says it once."""
    if not shown.sent_at or shown.on_its_way:
        return None
    if shown.state == State.SEALED:
        verb, at = "sealed", shown.sent_at
    elif shown.is_note:
        verb, at = "left", shown.deliver_at or shown.sent_at
    elif sent_to_arrive_later(shown.sent_at, shown.deliver_at):
        verb, at = "arrived", shown.deliver_at
    else:
        verb, at = "sent", shown.sent_at
    return {"verb": verb, "at": at, "once": said(at) == said(shown.written_at)}


def _push_offer(request: HttpRequest, shown) -> dict:
    """A letter that came to someone whom no browser notifies yet: the page offers this
    one (the page's script shows it once per device, and only where pushes can work)."""
    if shown.mine or not push_possible(request):
        return {}
    if any(channel.kind == "webpush" for channel in channels.listed(person_of(request))):
        return {}
    return {"push_offer": True, "push_key": webpush.public_key()}


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
    pages = distinct_pages(found.revisions.order_by("number"))
    return render(request, "web/revisions.html", {"letter": found, "revisions": pages})


def _words(rev) -> tuple[str, str, str]:
    return (rev.salutation.strip(), rev.body.strip(), rev.closing.strip())


def distinct_pages(revisions) -> list[dict]:
    """The pages worth showing, newest first: a save that changed nothing is folded into
    the one before it (keeping the later number), unless either was crumpled; a
    page with no words in its body is left out unless it was crumpled (a salutation and
    no further is part of the story); each says how long after the one before it came."""
    shown: list = []
    for rev in revisions:
        if not rev.body.strip() and not rev.crumpled:
            continue
        # A crumpled page, or one kept from a conflict, is part of the story: never
        # folded away, nor folded into.
        marked = rev.crumpled or rev.conflict
        last = shown[-1] if shown else None
        if (
            last
            and _words(last) == _words(rev)
            and not marked
            and not (last.crumpled or last.conflict)
        ):
            shown[-1] = rev
            continue
        shown.append(rev)
    pages = [
        {"rev": rev, "after": span(rev.saved_at - shown[i - 1].saved_at) if i else ""}
        for i, rev in enumerate(shown)
    ]
    return pages[::-1]


@login_required
@require_POST
@friendly
def restore_revision(request: HttpRequest, letter_id, number: int) -> HttpResponse:
    restored = letters.restore_revision(person_of(request), letter_id, number)
    messages.success(
        request, f"Revision {number} is the page again, as revision {restored.revision}."
    )
    return redirect("web:edit", letter_id)
