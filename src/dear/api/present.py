"""Turning domain objects into the API's JSON, deciding per field what the viewer sees."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from dear.homes import seen as homes_seen
from dear.letters import seen
from dear.lib import links


def respond(data, status: int = 200) -> HttpResponse:
    """JSON the server built itself from a read model, sent as it is: validating it again
    against the response schema cost more than building it (bench/README.md). The schema
    still documents it, and the API tests hold the two together."""
    body = json.dumps(data, cls=DjangoJSONEncoder)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


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


def place(request: HttpRequest, one: homes_seen.SeenPlace) -> dict:
    return {
        "id": one.id,
        "name": one.name,
        "kind": one.kind,
        "at": one.at,
        "label_url": links.shared_url(request, reverse("web:label", args=[one.label])),
        "waiting": one.waiting,
        "archived_at": one.archived_at,
    }


def home(request: HttpRequest, one: homes_seen.SeenHome) -> dict:
    return {
        "id": one.id,
        "name": one.name,
        "glance_window_minutes": one.glance_window_minutes,
        "members": [person(member) for member in one.members],
        "places": [place(request, where) for where in one.places],
    }


def _receipt(shown) -> dict:
    return {
        "to": shown.recipient.id,
        "delivered_at": shown.delivered_at,
        "found_at": shown.found_at,
        "read_at": shown.read_at,
    }


def letter(one: seen.SeenLetter) -> dict:
    """A letter as the JSON says it: exactly what the read model built for its viewer."""
    return {
        "id": one.id,
        "home": one.home,
        "from": person_ref(one.writer),
        "to": [person_ref(someone) for someone in one.to],
        "salutation": one.salutation,
        "body": one.body,
        "closing": one.closing,
        "state": one.state,
        "revision": one.revision,
        "written_at": one.written_at,
        "sent_at": one.sent_at,
        "deliver_at": one.deliver_at,
        "opened_at": one.opened_at,
        "place": one.place_id,
        "hint": one.hint,
        "in_reply_to": one.in_reply_to,
        "deliveries": (
            [_receipt(shown) for shown in one.deliveries] if one.deliveries is not None else None
        ),
        "blind": one.blind,
    }


def letters(items) -> list[dict]:
    return [letter(one) for one in items]


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
