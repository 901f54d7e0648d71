"""Homes and invites."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router
from ninja.responses import Status

from dear.api import present
from dear.api.auth import person_of
from dear.api.schemas import AUTHED, WITH_BODY, HomeIn, HomeOut, InviteOut, LeftOut, answers
from dear.homes import seen
from dear.homes import services as homes
from dear.homes.access import home_for_member
from dear.lib import links
from dear.lib.errors import NotFound

router = Router(tags=["homes"])


@router.post("/homes", response=answers({201: HomeOut}, *AUTHED, *WITH_BODY))
def create_home(request: HttpRequest, payload: HomeIn):
    someone = person_of(request)
    home = homes.create_home(someone, payload.name)
    return Status(201, present.home(request, seen.home(someone, home.pk)))


@router.get("/homes/{home_id}", response=answers({200: HomeOut}, *AUTHED, 404))
def get_home(request: HttpRequest, home_id: str):
    someone = person_of(request)
    return present.home(request, seen.home(someone, home_for_member(someone, home_id).pk))


@router.post("/homes/{home_id}/leave", response=answers({200: LeftOut}, *AUTHED, 404))
def leave_home(request: HttpRequest, home_id: str):
    """Leave the home. You keep the letters you wrote and those that reached you, and lose
    the home, its places and its members. What had not arrived between you and the
    others goes back to its writer's drawer. Coming back takes a new invite."""
    left = homes.leave_home(person_of(request), home_id)
    home = {"id": left.home.pk, "name": left.home.name}
    return {"left": True, "home": home, "back_in_drawer": left.back_in_drawer}


@router.post("/homes/{home_id}/invites", response=answers({201: InviteOut}, *AUTHED, 404))
def create_invite(request: HttpRequest, home_id: str):
    """A single-use invite into the home; anyone holding the link may join."""
    invite = homes.create_invite(person_of(request), home_id)
    return Status(
        201,
        {
            "code": invite.code,
            "url": links.shared_url(request, reverse("web:invite", args=[invite.code])),
            "expires_at": invite.expires_at,
        },
    )


@router.post("/invites/{code}/accept", response=answers({200: HomeOut}, *AUTHED, 404, 410))
def accept_invite(request: HttpRequest, code: str):
    if "\x00" in code:
        raise NotFound("There is no such invite. Check the link you were given.")
    someone = person_of(request)
    home = homes.accept_invite(someone, code)
    return present.home(request, seen.home(someone, home.pk))
