"""Letters: writing, saving, the lifecycle actions, the boxes, and the basket."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from dear.api import present
from dear.api.auth import person_of
from dear.api.schemas import (
    AUTHED,
    WITH_BODY,
    DeletedOut,
    LetterFilters,
    LetterIn,
    LetterOut,
    LetterPage,
    LetterPatch,
    RevisionOut,
    SendIn,
    answers,
)
from dear.homes.access import housemate
from dear.letters import boxes, seen
from dear.letters import services as letters
from dear.letters.access import letter_for_writer, seen_letter

router = Router(tags=["letters"])

# Every action answers the letter as it now is, or 409 when its state does not allow it.
ACTION = answers({200: LetterOut}, *AUTHED, 404, 409, 422)
# No body sends now; a body that is not a JSON object is refused (dear.api.bodies).
SEND_NOW = SendIn()


def _as_now(request: HttpRequest, letter_id, status: int = 200) -> HttpResponse:
    return present.respond(present.letter(seen_letter(person_of(request), letter_id)), status)


def _in_hand(request: HttpRequest, letter, status: int = 200) -> HttpResponse:
    """The letter a writer's action just changed, answered from the instance the service
    returned instead of looking it up again."""
    return present.respond(present.letter(seen.own(person_of(request), letter)), status)


@router.post(
    "/letters", response=answers({201: LetterOut}, *AUTHED, 404, *WITH_BODY), by_alias=True
)
def create_letter(request: HttpRequest, payload: LetterIn):
    """A new draft, revision 1."""
    letter = letters.create_letter(
        person_of(request),
        home=payload.home,
        to=payload.to,
        salutation=payload.salutation,
        body=payload.body,
        closing=payload.closing,
        in_reply_to=payload.in_reply_to,
    )
    return _in_hand(request, letter, 201)


@router.get("/letters", response=answers({200: LetterPage}, *AUTHED, 404, 422), by_alias=True)
def list_letters(request: HttpRequest, filters: Query[LetterFilters]):
    """A box, newest first; or, with only `with`, the correspondence with one person,
    oldest first."""
    someone = person_of(request)
    # Not a housemate, a former one or nobody at all: the same 404 as on the web.
    other = housemate(someone, filters.with_) if filters.with_ is not None else None
    items, next_cursor = boxes.page(
        someone, box=filters.box, with_person=other, cursor=filters.cursor, limit=filters.limit
    )
    return present.respond({"items": present.letters(items), "next": next_cursor})


@router.get("/letters/{letter_id}", response=answers({200: LetterOut}, *AUTHED, 404), by_alias=True)
def get_letter(request: HttpRequest, letter_id: str):
    return _as_now(request, letter_id)


@router.patch(
    "/letters/{letter_id}",
    response=answers({200: LetterOut}, *AUTHED, 404, 409, *WITH_BODY),
    by_alias=True,
)
def save_letter(request: HttpRequest, letter_id: str, payload: LetterPatch):
    """Save the page. Against a stale `revision` the text is kept as a revision of its own
    and the answer is 409 `stale_revision`, with `current_revision` and `kept_as`."""
    letter = letters.save_letter(
        person_of(request),
        letter_id,
        revision=payload.revision,
        salutation=payload.salutation,
        body=payload.body,
        closing=payload.closing,
        to=payload.to,
    )
    return _in_hand(request, letter)


@router.get(
    "/letters/{letter_id}/revisions", response=answers({200: list[RevisionOut]}, *AUTHED, 404)
)
def list_revisions(request: HttpRequest, letter_id: str):
    """Every saved page, crumpled ones and kept conflicts included. The writer's only."""
    letter = letter_for_writer(person_of(request), letter_id)
    return [present.revision(one) for one in letter.revisions.order_by("number")]


@router.post("/letters/{letter_id}/revisions/{int:number}/restore", response=ACTION, by_alias=True)
def restore_revision(request: HttpRequest, letter_id: str, number: int):
    """Bring back an earlier page as a new revision."""
    letter = letters.restore_revision(person_of(request), letter_id, number)
    return _in_hand(request, letter)


@router.post("/letters/{letter_id}/crumple", response=ACTION, by_alias=True)
def crumple(request: HttpRequest, letter_id: str):
    """Start the page over; the old page is kept as a crumpled revision."""
    letter = letters.crumple(person_of(request), letter_id)
    return _in_hand(request, letter)


@router.post("/letters/{letter_id}/keep", response=ACTION, by_alias=True)
def keep(request: HttpRequest, letter_id: str):
    """Put a draft in the drawer."""
    letter = letters.keep(person_of(request), letter_id)
    return _in_hand(request, letter)


@router.post("/letters/{letter_id}/discard", response=ACTION, by_alias=True)
def discard(request: HttpRequest, letter_id: str):
    """Move an unsent letter to the basket."""
    letter = letters.discard(person_of(request), letter_id)
    return _in_hand(request, letter)


@router.post("/letters/{letter_id}/restore", response=ACTION, by_alias=True)
def restore(request: HttpRequest, letter_id: str):
    """Take a letter back out of the basket."""
    letter = letters.restore(person_of(request), letter_id)
    return _in_hand(request, letter)


@router.post(
    "/letters/{letter_id}/send",
    response=answers({200: LetterOut}, *AUTHED, 404, 409, *WITH_BODY),
    by_alias=True,
)
def send(request: HttpRequest, letter_id: str, payload: SendIn = SEND_NOW):
    """Send now (delivered after the undo window), at `deliver_at`, at `arrives_on` on the
    recipient's clock, or with `morning` at their next 08:00; with `place`, leave it there
    as a note: its recipients see it once they open that place."""
    letter = letters.send(
        person_of(request),
        letter_id,
        deliver_at=payload.deliver_at,
        arrives_on=payload.arrives_on,
        morning=payload.morning,
        place=payload.place,
        hint=payload.hint,
    )
    return _in_hand(request, letter)


@router.post("/letters/{letter_id}/withdraw", response=ACTION, by_alias=True)
def withdraw(request: HttpRequest, letter_id: str):
    """Take back a sent letter before it is delivered; it goes to the drawer."""
    letter = letters.withdraw(person_of(request), letter_id)
    return _in_hand(request, letter)


@router.post("/letters/{letter_id}/read", response=ACTION, by_alias=True)
def read(request: HttpRequest, letter_id: str):
    """Mark a letter read for me (its writer sees when, in `deliveries`)."""
    return present.respond(present.letter(letters.mark_read(person_of(request), letter_id)))


@router.post("/basket/empty", response=answers({200: DeletedOut}, *AUTHED))
def empty_basket(request: HttpRequest):
    """Delete, for good, every letter in my basket: the only request that loses words."""
    return {"deleted": letters.empty_basket(person_of(request))}
