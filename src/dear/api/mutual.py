"""Sealing a letter, glances, and the moments two people share (DESIGN.md rules 3 and 8).

A second glance at the same person inside the window answers 429 `rate_limited`: one
glance per person per pair per window, so nobody can poll for the other's glances.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from dear.api import present
from dear.api.auth import person_of
from dear.api.limits import Cursor
from dear.api.mutual_schemas import (
    GlanceIn,
    GlanceOut,
    GlanceWindowIn,
    GlanceWindowOut,
    MomentPage,
    SealIn,
)
from dear.api.schemas import AUTHED, WITH_BODY, LetterOut, answers
from dear.letters.access import seen_letter
from dear.mutual import services as mutual

router = Router(tags=["sealed letters and glances"])
TOLD = SealIn()  # no body: sealed in told mode


class MomentFilters(Schema):
    cursor: Cursor | None = None


def moment(viewer, one) -> dict:
    mine_first = one.first_id == viewer.pk
    mine, theirs = (
        (one.first_letter_id, one.second_letter_id)
        if mine_first
        else (one.second_letter_id, one.first_letter_id)
    )
    return {
        "id": one.pk,
        "kind": one.kind,
        "home": one.home_id,
        "with": present.person_ref(one.other(viewer)),
        "at": one.at,
        "my_letter": mine,
        "their_letter": theirs,
    }


@router.post(
    "/letters/{letter_id}/seal",
    response=answers({200: LetterOut}, *AUTHED, 404, 409, *WITH_BODY),
    by_alias=True,
    tags=["letters"],
)
def seal(request: HttpRequest, letter_id: str, payload: SealIn = TOLD):
    """Seal a letter to its one recipient: it opens when they seal one back to you, and
    then both open together. Until then you may withdraw it."""
    someone = person_of(request)
    sealed = mutual.seal(someone, letter_id, blind=payload.blind)
    return present.respond(present.letter(seen_letter(someone, sealed.letter.pk)))


@router.post("/glances", response=answers({201: GlanceOut}, *AUTHED, 404, 429, *WITH_BODY))
def glance(request: HttpRequest, payload: GlanceIn):
    """A silent "thinking of you". `mutual` is true when they glanced at you within the
    home's window; otherwise they are never shown it. A second glance at the same person
    inside the window is refused with 429."""
    glanced = mutual.glance(person_of(request), payload.to, home=payload.home)
    return Status(201, {"mutual": glanced.mutual})


@router.get("/moments", response=answers({200: MomentPage}, *AUTHED, 422), by_alias=True)
def moments(request: HttpRequest, filters: Query[MomentFilters]):
    """Mutual glances and sealed pairs that opened, newest first."""
    someone = person_of(request)
    found, next_cursor = mutual.moments_page(someone, cursor=filters.cursor)
    return {"items": [moment(someone, one) for one in found], "next": next_cursor}


@router.put(
    "/homes/{home_id}/glance-window",
    response=answers({200: GlanceWindowOut}, *AUTHED, 404, *WITH_BODY),
    tags=["homes"],
)
def set_glance_window(request: HttpRequest, home_id: str, payload: GlanceWindowIn):
    """How close together two glances must be to meet; any member may change it."""
    home = mutual.set_glance_window(person_of(request), home_id, payload.minutes)
    return {"home": home.pk, "minutes": home.glance_window_minutes}
