"""Places and the notes left at them: making, renaming, archiving, relabelling a place;
opening one (which finds the notes waiting there); moving or taking back a note."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from dear.api import present
from dear.api.auth import person_of
from dear.api.schemas import (
    AUTHED,
    WITH_BODY,
    LetterOut,
    MoveIn,
    PlaceIn,
    PlaceOpened,
    PlaceOut,
    PlacePatch,
    answers,
)
from dear.homes import seen
from dear.homes import services as homes
from dear.homes.access import place_for_member
from dear.letters import notes
from dear.letters.access import seen_letter

router = Router(tags=["places"])

PLACE = answers({200: PlaceOut}, *AUTHED, 404)


def _as_now(request: HttpRequest, someone, one) -> dict:
    return present.place(request, seen.place(someone, one.pk))


@router.post("/homes/{home_id}/places", response=answers({201: PlaceOut}, *AUTHED, 404, *WITH_BODY))
def create_place(request: HttpRequest, home_id: str, payload: PlaceIn):
    """A spot ("the counter") or an object ("the book he is reading") of the home."""
    someone = person_of(request)
    made = homes.create_place(someone, home_id, payload.name, payload.kind)
    return Status(201, present.place(request, seen.place(someone, made.pk)))


@router.get("/places/{place_id}", response=answers({200: PlaceOpened}, *AUTHED, 404))
def open_place(request: HttpRequest, place_id: str):
    """Open a place: the notes left here for me, each marked found as I open it."""
    someone = person_of(request)
    opened = notes.find_notes(someone, place_for_member(someone, place_id))
    return present.respond(
        {
            **present.place(request, seen.place(someone, opened.place.pk)),
            "notes": present.letters(opened.notes),
        }
    )


@router.patch("/places/{place_id}", response=answers({200: PlaceOut}, *AUTHED, 404, *WITH_BODY))
def change_place(request: HttpRequest, place_id: str, payload: PlacePatch):
    someone = person_of(request)
    changed = homes.change_place(someone, place_id, name=payload.name, kind=payload.kind)
    return _as_now(request, someone, changed)


@router.post("/places/{place_id}/archive", response=PLACE)
def archive_place(request: HttpRequest, place_id: str):
    """Put a place away; the notes left there are kept."""
    someone = person_of(request)
    return _as_now(request, someone, homes.archive_place(someone, place_id))


@router.post("/places/{place_id}/restore", response=PLACE)
def restore_place(request: HttpRequest, place_id: str):
    someone = person_of(request)
    return _as_now(request, someone, homes.restore_place(someone, place_id))


@router.post("/places/{place_id}/label", response=PLACE)
def replace_label(request: HttpRequest, place_id: str):
    """A new QR code for the place; the old label answers 404 from now on."""
    someone = person_of(request)
    return _as_now(request, someone, homes.replace_label(someone, place_id))


NOTE_ACTION = answers({200: LetterOut}, *AUTHED, 404, 409, *WITH_BODY)


@router.post("/letters/{letter_id}/move", response=NOTE_ACTION, by_alias=True)
def move_note(request: HttpRequest, letter_id: str, payload: MoveIn):
    """Leave a note I left somewhere else (say, its place was archived)."""
    someone = person_of(request)
    moved = notes.move_note(someone, letter_id, payload.place, hint=payload.hint)
    return present.respond(present.letter(seen_letter(someone, moved.pk)))


@router.post(
    "/letters/{letter_id}/take-back",
    response=answers({200: LetterOut}, *AUTHED, 404, 409),
    by_alias=True,
)
def take_back(request: HttpRequest, letter_id: str):
    """Pick a note up before anyone found it: it goes back to the drawer."""
    someone = person_of(request)
    taken = notes.take_back(someone, letter_id)
    return present.respond(present.letter(seen_letter(someone, taken.pk)))
