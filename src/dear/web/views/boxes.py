"""The boxes letters wait in, and the correspondence with one person."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dear.homes.access import housemate, shared_home
from dear.letters import boxes
from dear.letters import services as letters
from dear.notify import reminders, transport
from dear.web.errors import friendly
from dear.web.views.common import person_of, rows

# Where a letter that can no longer go (someone left its home) says so.
UNSENT_BOXES = ("drafts", "drawer")


@dataclass(frozen=True)
class BoxPage:
    title: str
    lead: str
    empty: str
    action: str  # the next step an empty box offers: its words…
    action_url: str  # …and where it goes (a URL name)


WRITE = "Write a letter"
BOX_PAGES = {
    "inbox": BoxPage(
        "Inbox",
        "Letters that have reached you.",
        "Nothing has reached you yet. Letters wait here once they arrive.",
        WRITE,
        "web:write",
    ),
    "sent": BoxPage(
        "Sent", "Letters you sent.", "You have not sent a letter yet.", WRITE, "web:write"
    ),
    "drafts": BoxPage(
        "Drafts",
        "Pages you are still writing.",
        "No drafts. A blank page waits.",
        WRITE,
        "web:write",
    ),
    "drawer": BoxPage(
        "The drawer",
        "Finished letters you kept, unsent. Send one whenever you are ready.",
        "The drawer is empty. A letter you finish and keep, unsent, waits here, for years if "
        "need be.",
        WRITE,
        "web:write",
    ),
    "basket": BoxPage(
        "The basket",
        "Letters you discarded. Restore one, or empty the basket for good.",
        "The basket is empty. A page you discard waits here until you empty it.",
        "Back to your letters",
        "web:letters",
    ),
}


def box_view(box: str):
    @login_required
    @require_GET
    @friendly
    def view(request: HttpRequest) -> HttpResponse:
        me = person_of(request)
        found, older = boxes.page(
            me,
            box=box,
            cursor=request.GET.get("cursor") or None,
            limit=boxes.PAGE_SIZE,
            departures=box in UNSENT_BOXES,
        )
        shown = rows(found, me)
        context = {"box": box, "page": BOX_PAGES[box], "rows": shown, "next_cursor": older}
        return render(request, "web/box.html", context)

    view.__name__ = f"{box}_box"
    return view


inbox = box_view("inbox")
sent = box_view("sent")
drafts = box_view("drafts")
drawer = box_view("drawer")
basket = box_view("basket")


@login_required
@require_GET
def letters_hub(request: HttpRequest) -> HttpResponse:
    """Every box on one page, with how many letters each holds, and a search."""
    return render(request, "web/letters.html", {"counts": boxes.counts(person_of(request))})


@login_required
@require_POST
@friendly
def empty_basket(request: HttpRequest) -> HttpResponse:
    """Deletes for good, so it asks first: only a POST carrying ``confirm`` empties."""
    me = person_of(request)
    if request.POST.get("confirm") != "yes":
        found, more = boxes.page(me, box="basket")
        return render(request, "web/basket_confirm.html", {"count": len(found), "more": more})
    letters.empty_basket(me)
    messages.success(request, "The basket is empty. Those letters are gone for good.")
    return redirect("web:basket")


@login_required
@require_GET
@friendly
def correspondence(request: HttpRequest, person_id) -> HttpResponse:
    me = person_of(request)
    other = housemate(me, person_id)
    found, later = boxes.page(
        me, with_person=other, cursor=request.GET.get("cursor") or None, limit=boxes.PAGE_SIZE
    )
    shared = shared_home(me, other)
    context = {
        "other": other,
        "rows": rows(found, me),
        "next_cursor": later,
        "home": shared,
        "stretch": reminders.stretch_with(me, other),
        "email_configured": transport.configured(),
        "default_days": reminders.DEFAULT_DAYS,
    }
    return render(request, "web/correspondence.html", context)
