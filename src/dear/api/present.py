"""Turning domain objects into the API's JSON, deciding per field what the viewer sees."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from dear.homes.access import members_of
from dear.homes.models import Place
from dear.letters.models import Delivery, Letter, State


def person(someone) -> dict:
    return {"id": someone.pk, "username": someone.username, "display_name": someone.display_name}


def person_ref(someone) -> dict:
    return {"id": someone.pk, "display_name": someone.display_name}


def places_with_waiting(viewer, home, now=None):
    """The home's places, each marked ``waiting`` when a hinted note for ``viewer`` lies
    there unfound. One query however many places and notes there are."""
    now = now or timezone.now()
    waiting = Delivery.objects.filter(
        letter__place=OuterRef("pk"),
        letter__state=State.SENT,
        letter__hint=True,
        recipient=viewer,
        delivered_at__lte=now,
        found_at__isnull=True,
    )
    return (
        Place.objects.filter(home=home, archived_at__isnull=True)
        .annotate(waiting=Exists(waiting))
        .order_by("name", "id")
    )


def home(request: HttpRequest, viewer, the_home) -> dict:
    return {
        "id": the_home.pk,
        "name": the_home.name,
        "members": [person(member) for member in members_of(the_home)],
        "places": [
            {
                "id": place.pk,
                "name": place.name,
                "label_url": request.build_absolute_uri(f"/p/{place.label}"),
                "waiting": place.waiting,
            }
            for place in places_with_waiting(viewer, the_home)
        ],
    }


def _receipt(delivery, now) -> dict:
    # A delivery time still ahead is the plan, not a receipt.
    delivered = delivery.delivered_at
    return {
        "to": delivery.recipient_id,
        "delivered_at": delivered if delivered is not None and delivered <= now else None,
        "found_at": delivery.found_at,
        "read_at": delivery.read_at,
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
                "revision": letter.revision,
                "written_at": letter.written_at,
                "sent_at": letter.sent_at,
                "deliver_at": letter.deliver_at,
                "opened_at": letter.opened_at,
                "place": letter.place_id,
                "hint": letter.hint,
                "in_reply_to": letter.in_reply_to_id if letter.in_reply_to_id in visible else None,
                "deliveries": [_receipt(d, now) for d in deliveries] if mine else None,
            }
        )
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
