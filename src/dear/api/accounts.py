"""Signing up, API tokens, and who I am."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from dear.accounts import services as accounts
from dear.api import present
from dear.api.auth import person_of, token_of
from dear.api.schemas import (
    AUTHED,
    WITH_BODY,
    MeOut,
    MePatch,
    PasswordIn,
    SignupIn,
    SignupOut,
    TokenIn,
    TokenInfo,
    TokenOut,
    answers,
)
from dear.homes import seen
from dear.lib.client import client_address
from dear.notify import addresses

router = Router(tags=["accounts"])


@router.post("/signup", auth=None, response=answers({201: SignupOut}, 403, 404, 410, *WITH_BODY))
def signup(request: HttpRequest, payload: SignupIn):
    """Allowed for the very first person, with an invite (which joins its home), or when
    DEAR_OPEN_SIGNUP is on."""
    someone = accounts.signup(
        username=payload.username,
        password=payload.password,
        display_name=payload.display_name,
        email=payload.email,
        invite=payload.invite,
    )
    token = accounts.issue_token(someone)
    # The address given is unconfirmed, like any other, until its link is followed.
    addresses.welcome_address(someone)
    return Status(201, {"person": present.person(someone), "token": token})


@router.post("/tokens", auth=None, response=answers({201: TokenOut}, 401, 429, *WITH_BODY))
def create_token(request: HttpRequest, payload: TokenIn):
    """Log in for a token. The raw token is shown this once; only its digest is kept."""
    someone = accounts.login(
        payload.username,
        payload.password,
        address=client_address(request),
        request=request,
    )
    return Status(201, {"token": accounts.issue_token(someone, payload.name)})


@router.delete("/tokens/current", response=answers({204: None}, *AUTHED))
def revoke_current_token(request: HttpRequest):
    accounts.revoke_token(token_of(request))
    return Status(204, None)


def _me(someone) -> dict:
    return {
        **present.person(someone),
        "homes": [{"id": pk, "name": name} for pk, name in seen.names_of(someone)],
        "receipts": someone.receipts,
        **present.clock(someone),
    }


@router.get("/me", response=answers({200: MeOut}, *AUTHED))
def me(request: HttpRequest):
    return _me(person_of(request))


@router.patch("/me", response=answers({200: MeOut}, *AUTHED, *WITH_BODY))
def change_me(request: HttpRequest, payload: MePatch):
    """My name, read receipts, time zone and quiet hours: what is left out stays as it
    was. Anything refused (a housemate's name, an unknown zone, a time not written
    "HH:MM") answers 422 and changes nothing."""
    someone = person_of(request)
    with transaction.atomic():
        if payload.display_name is not None:
            someone = accounts.update_profile(someone, display_name=payload.display_name)
        if payload.receipts is not None:
            someone = accounts.set_receipts(someone, payload.receipts)
        someone = accounts.set_time(
            someone,
            time_zone=payload.time_zone,
            quiet_from=payload.quiet_from,
            quiet_until=payload.quiet_until,
        )
    return _me(someone)


@router.post("/me/password", response=answers({200: TokenOut}, *AUTHED, 429, *WITH_BODY))
def change_my_password(request: HttpRequest, payload: PasswordIn):
    """A new password ends every session and every API token, this one too; the answer
    carries a new token, named as this one was, to go on with."""
    someone = person_of(request)
    name = token_of(request).name
    accounts.change_password(someone, payload.current_password, payload.new_password)
    return {"token": accounts.issue_token(someone, name)}


@router.get("/tokens", response=answers({200: list[TokenInfo]}, *AUTHED))
def list_tokens(request: HttpRequest):
    """My API tokens, the newest first (never their values, which are not kept)."""
    current = token_of(request).pk
    return [
        {
            "id": token.pk,
            "name": token.name,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "current": token.pk == current,
        }
        for token in accounts.tokens_of(person_of(request))
    ]


@router.delete("/tokens/{uuid:token_id}", response=answers({204: None}, *AUTHED, 404))
def revoke_token(request: HttpRequest, token_id: UUID):
    """Revoke one of my tokens; another person's, or none, is 404."""
    accounts.revoke_token_of(person_of(request), token_id)
    return Status(204, None)
