"""The shapes the API accepts and answers with (DESIGN.md, "API contract, v1")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from dear.api.limits import (
    ClockTime,
    Closing,
    Cursor,
    DisplayName,
    EmailAddress,
    HomeName,
    LetterBody,
    NewPassword,
    PlaceName,
    Recipients,
    Salutation,
    Secret,
    Text,
    TokenName,
    Username,
    WholeNumber,
)
from dear.letters.boxes import PAGE_SIZE


class ErrorDetail(Schema):
    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    current_revision: int | None = Field(None, description="With stale_revision only.")
    kept_as: int | None = Field(
        None, description="With stale_revision only: the revision your text was kept as."
    )


class ErrorOut(Schema):
    error: ErrorDetail


def answers(ok: dict, *statuses: int) -> dict:
    """A route's responses: its success schemas and the error statuses it may answer."""
    return {**ok, **dict.fromkeys(statuses, ErrorOut)}


# An authenticated route may always answer these, beside its own: 400 comes from the
# guard that refuses a NUL in any path or query string (dear.web.middleware).
AUTHED = (400, 401)
WITH_BODY = (400, 413, 422)


class OkOut(Schema):
    ok: bool


class PersonOut(Schema):
    id: UUID
    username: str
    display_name: str


class PersonRef(Schema):
    id: UUID
    display_name: str


class HomeRef(Schema):
    id: UUID
    name: str


class MeOut(PersonOut):
    homes: list[HomeRef]
    receipts: bool = Field(
        description="Read receipts, both ways: off, I see none of others' and show none of mine."
    )
    time_zone: str = Field(description='An IANA name, "" while not known (UTC meanwhile).')
    quiet_from: str = Field(description='"HH:MM": emails about letters wait from then…')
    quiet_until: str = Field(description="…until then, on my clock.")


class MePatch(Schema):
    display_name: DisplayName | None = None
    receipts: StrictBool | None = None
    time_zone: Text | None = Field(None, description='An IANA name such as "Europe/Lisbon".')
    quiet_from: ClockTime | None = Field(None, description='"HH:MM"; equal to quiet_until: none.')
    quiet_until: ClockTime | None = Field(None, description='"HH:MM".')


class SignupIn(Schema):
    username: Username
    password: NewPassword
    display_name: DisplayName
    email: EmailAddress = ""
    invite: Text = ""


class SignupOut(Schema):
    person: PersonOut
    token: str


class TokenIn(Schema):
    username: Text
    password: Secret
    name: TokenName = ""


class TokenOut(Schema):
    token: str


class TokenInfo(Schema):
    id: UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None
    current: bool = Field(description="The token this request came with.")


class PasswordIn(Schema):
    current_password: Secret
    new_password: NewPassword


class HomeIn(Schema):
    name: HomeName


PlaceKind = Literal["spot", "object"]


class PlaceIn(Schema):
    name: PlaceName
    kind: PlaceKind = Field("spot", description="A spot (the counter) or an object (a book).")


class PlacePatch(Schema):
    name: PlaceName | None = None
    kind: PlaceKind | None = None


class PlaceOut(Schema):
    id: UUID
    name: str
    kind: str
    at: str = Field(description='The place inside a sentence: "by the counter", "in the book".')
    label_url: str = Field(description="The URL the place's QR label points at.")
    waiting: bool = Field(description="A note for me waits here, and its writer left a hint.")
    archived_at: datetime | None


class HomeOut(Schema):
    id: UUID
    name: str
    glance_window_minutes: int = Field(description="How close together two glances meet.")
    members: list[PersonOut]
    places: list[PlaceOut]


class LeftOut(Schema):
    left: bool
    home: HomeRef
    back_in_drawer: int = Field(
        description="How many of your own letters there that had not arrived (on their way, "
        "sealed and unopened, notes nobody found) came back to your drawer."
    )


class InviteOut(Schema):
    code: str
    url: str
    expires_at: datetime


class LetterIn(Schema):
    home: UUID
    to: Recipients
    salutation: Salutation | None = Field(None, description='Default: "Dear <names>,".')
    body: LetterBody = ""
    closing: Closing | None = Field(None, description="Default: the writer's display name.")
    in_reply_to: UUID | None = None


class LetterPatch(Schema):
    revision: WholeNumber = Field(description="The revision this edit was made on.")
    salutation: Salutation | None = None
    body: LetterBody | None = None
    closing: Closing | None = None
    to: Recipients | None = None


class SendIn(Schema):
    deliver_at: datetime | None = Field(
        None, description="When it arrives (with a time zone). Default: after the undo window."
    )
    arrives_on: datetime | None = Field(
        None,
        description="When it arrives, as a date and time on the recipient's clock, without a "
        'zone: "2027-03-28T08:30". Read on the recipients\' zone when they all share one, '
        "otherwise on mine. Give at most one of deliver_at, arrives_on and morning.",
    )
    morning: StrictBool = Field(
        False, description="Arrive at the next 08:00 on the clock arrives_on is read on."
    )
    place: UUID | None = Field(
        None, description="Leave it at this place of its home, as a note, instead of sending."
    )
    hint: StrictBool = Field(
        False, description="With a place: tell the recipient that something waits there."
    )


class MoveIn(Schema):
    place: UUID = Field(description="An open place of the note's home.")
    hint: StrictBool | None = Field(None, description="Default: as it was.")


class DeliveryOut(Schema):
    to: UUID
    delivered_at: datetime | None
    found_at: datetime | None
    read_at: datetime | None


class LetterOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    id: UUID
    home: UUID
    from_: PersonRef = Field(alias="from")
    to: list[PersonRef]
    salutation: str | None = Field(
        description="null in a stub: a told-mode sealed letter for me that has not opened."
    )
    body: str | None = Field(description="null in a stub, like salutation.")
    closing: str | None = Field(description="null in a stub, like salutation.")
    state: str
    revision: int | None = Field(
        description="The writer's own count of saved pages: null for anyone else."
    )
    blind: bool = Field(description="Sealed blind: its recipient is told nothing until it opens.")
    written_at: datetime
    sent_at: datetime | None
    deliver_at: datetime | None
    opened_at: datetime | None
    place: UUID | None
    hint: bool
    in_reply_to: UUID | None
    deliveries: list[DeliveryOut] | None = Field(description="Receipts; for the writer only.")


class PlaceOpened(PlaceOut):
    notes: list[LetterOut] = Field(
        description="The notes left here for me, newest first; opening marks them found."
    )


class LetterPage(Schema):
    items: list[LetterOut]
    next: str | None = Field(description="Pass as ?cursor= for the next page; null at the end.")


class LetterFilters(Schema):
    box: Literal["inbox", "sent", "scheduled", "drafts", "drawer", "sealed", "basket"] | None = (
        Field(
            None,
            description="`scheduled`: letters I sent that have not arrived yet, the soonest first.",
        )
    )
    with_: UUID | None = Field(None, alias="with", description="Only letters with this person.")
    cursor: Cursor | None = None
    limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE, description="Letters per page.")


class RevisionOut(Schema):
    number: int
    salutation: str
    body: str
    closing: str
    saved_at: datetime
    crumpled: bool
    conflict: bool


class DeletedOut(Schema):
    deleted: int
