"""Turning domain objects into the API's JSON, deciding per field what the viewer sees."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from dear.homes.access import members_of
from dear.homes.models import Place
from dear.letters import receipts
from dear.letters.models import Letter, State


def person(someone) -> dict:
    return {"id": someone.pk, "username": someone.username, "display_name": someone.display_name}


def clock(someone) -> dict:
    """A person's own clock, for themselves only: their zone and quiet hours."""
    return {
        "time_zone": someone.time_zone,
        "quiet_from": someone.quiet_from.strftime("%H:%M"),
        "quiet_until": someone.quiet_until.strftime("%H:%M"),
    }


def person_ref(someone) -> dict:
    return {"id": someone.pk, "display_name": someone.display_name}


def place(request: HttpRequest, one, waiting: bool = False) -> dict:
    return {
        "id": one.pk,
        "name": one.name,
        "kind": one.kind,
        "label_url": request.build_absolute_uri(reverse("web:label", args=[one.label])),
        "waiting": getattr(one, "waiting", waiting),
        "archived_at": one.archived_at,
    }


def home(request: HttpRequest, viewer, the_home) -> dict:
    places = Place.objects.filter(home=the_home).open().with_waiting(viewer)
    return {
        "id": the_home.pk,
        "name": the_home.name,
        "glance_window_minutes": the_home.glance_window_minutes,
        "members": [person(member) for member in members_of(the_home)],
        "places": [place(request, one) for one in places.order_by("name", "id")],
    }


def _receipt(viewer, delivery, now) -> dict:
    # A delivery time still ahead is the plan, not a receipt; found and read times only
    # when both sides have receipts on (dear.letters.receipts).
    shown = receipts.receipt(viewer, delivery, now)
    return {
        "to": delivery.recipient_id,
        "delivered_at": shown.delivered_at,
        "found_at": shown.found_at,
        "read_at": shown.read_at,
    }


# A told-mode sealed letter, to its recipient before it opens: who and when, never a word.
SEALED_STUB = {
    "salutation": None,
    "body": None,
    "closing": None,
    "revision": None,
    "in_reply_to": None,
}


def letters(viewer, items) -> list[dict]:
    """Letters as ``viewer`` sees them. Expects ``Letter.objects.with_people()``."""
    items = list(items)
    now = timezone.now()
    replied_to = {letter.in_reply_to_id for letter in items if letter.in_reply_to_id}
    # A reply names the letter it answers only to someone who may see that letter.
    visible = (
        set(
            Letter.objects.visible_to(viewer, now)
            .filter(pk__in=replied_to)
            .values_list("pk", flat=True)
        )
        if replied_to
        else set()
    )
    answer = []
    for letter in items:
        deliveries = list(letter.deliveries.all())
        mine = letter.writer_id == viewer.pk
        answer.append(
            {
                "id": letter.pk,
                "home": letter.home_id,
                "from": person_ref(letter.writer),
                "to": [person_ref(delivery.recipient) for delivery in deliveries],
                "salutation": letter.salutation,
                "body": letter.body,
                "closing": letter.closing,
                "state": letter.state,
                # How often a page was saved is the writer's alone (rule 1).
                "revision": letter.revision if mine else None,
                "written_at": letter.written_at,
                "sent_at": letter.sent_at,
                "deliver_at": letter.deliver_at,
                "opened_at": letter.opened_at,
                "place": letter.place_id,
                "hint": letter.hint,
                "in_reply_to": letter.in_reply_to_id if letter.in_reply_to_id in visible else None,
                "deliveries": [_receipt(viewer, d, now) for d in deliveries] if mine else None,
                "blind": letter.blind,
            }
        )
        if not mine and letter.state == State.SEALED and letter.opened_at is None:
            answer[-1].update(SEALED_STUB)
    return answer


def letter(viewer, one) -> dict:
    return letters(viewer, [one])[0]


def revision(one) -> dict:
    return {
        "number": one.number,
        "salutation": one.salutation,
        "body": one.body,
        "closing": one.closing,
        "saved_at": one.saved_at,
        "crumpled": one.crumpled,
        "conflict": one.conflict,
    }
