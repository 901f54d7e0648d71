"""My email address and which emails I want (`/me/email`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictBool

from dear.api.auth import person_of
from dear.api.limits import EmailAddress
from dear.api.schemas import AUTHED, WITH_BODY, Secret, answers
from dear.notify import addresses, transport

router = Router(tags=["email"])


class EmailIn(Schema):
    address: EmailAddress | None = Field(
        None,
        description='A new address: kept unconfirmed and sent a link at once. "" removes '
        "mine. Left out: stays as it is.",
    )
    password: Secret | None = Field(
        None,
        description="My password: needed when `address` changes (added, replaced or "
        "removed), since the address can get a new password; not for the choices. Wrong "
        "or missing: 422, changing nothing; too many wrong ones: 429.",
    )
    words: StrictBool | None = Field(None, description="Put a letter's words in its email.")
    letters: StrictBool | None = Field(None, description="Email me when a letter arrives.")
    sealed: StrictBool | None = Field(None, description="Email me when a sealed pair opens.")
    moments: StrictBool | None = Field(None, description="Email me when a glance becomes a moment.")


class EmailOut(Schema):
    available: bool = Field(description="Whether this server sends email at all.")
    address: str = Field(description='"" for none.')
    confirmed: bool = Field(description="Its link was followed; only then is it emailed.")
    words: bool
    letters: bool
    sealed: bool
    moments: bool
    link_sent: bool | None = Field(
        None,
        description="After a change of address or POST .../link: whether the mail server "
        "took the confirmation link (false: the address is kept; ask again later).",
    )


def _email(person, link_sent: bool | None = None) -> dict:
    choices = addresses.choices_of(person)
    return {
        "available": transport.configured(),
        "address": person.email,
        "confirmed": bool(person.email and person.email_confirmed_at),
        **{name: getattr(choices, name) for name in addresses.CHOICES},
        "link_sent": link_sent,
    }


@router.get("/me/email", response=answers({200: EmailOut}, *AUTHED))
def my_email(request: HttpRequest):
    return _email(person_of(request))


@router.put("/me/email", response=answers({200: EmailOut}, *AUTHED, 409, 429, *WITH_BODY))
def change_my_email(request: HttpRequest, payload: EmailIn):
    """Change my address or choices; what is left out stays. A bad address, or a change
    of address without my right password, answers 422, and a new address on a server
    without email 409, changing nothing. A confirmed address replaced or removed is told."""
    me = person_of(request)
    sent = addresses.update(
        me,
        address=payload.address,
        password=payload.password,
        **{name: getattr(payload, name) for name in addresses.CHOICES},
    )
    return _email(me, sent)


@router.post("/me/email/link", response=answers({200: EmailOut}, *AUTHED, 409, 429))
def send_my_link(request: HttpRequest):
    """Send the confirmation link again; 409 when there is no unconfirmed address."""
    me = person_of(request)
    return _email(me, addresses.send_link(me))
