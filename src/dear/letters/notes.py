"""Notes: letters left at a place in the home instead of sent (DESIGN.md rule 2).

A note is a sent letter with a place. Its recipients see it only once they have opened
that place (``found_at``); a hint tells them the place holds something, never what.
Like ``services.py``, this module changes letters, and the rules of notes live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dear.homes.models import Place
from dear.letters.access import letter_for_writer
from dear.letters.models import Delivery, Letter, State
from dear.letters.receipts import hidden, unknown_finding
from dear.lib.errors import Conflict, Invalid

NOTES_SHOWN = 50


def place_for_note(writer, letter: Letter, place_id) -> Place:
    """The open place of the letter's home a note may be left at, or a clear refusal."""
    try:
        place = Place.objects.of_member(writer).get(pk=place_id, home_id=letter.home_id)
    except (Place.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Invalid("There is no such place in this letter's home.") from None
    if place.archived_at is not None:
        raise Invalid(f"{place.name} is archived; choose another place to leave the note.")
    return place


@dataclass
class Opened:
    """A place as its opener finds it: the notes left there for them, newest first."""

    place: Place
    notes: list[Letter]
    found_now: set = field(default_factory=set)


def find_notes(person, place: Place, now=None) -> Opened:
    """Open a place: every note waiting there for ``person`` is found, in one transaction.

    An archived place holds its notes but gives none up: their writers move them or take
    them back. The answer also lists the notes found here before, so opening twice (or a
    retry after a lost answer) loses nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        found_now: set = set()
        if place.archived_at is None:
            waiting = Delivery.objects.filter(
                recipient=person,
                letter__place=place,
                letter__state=State.SENT,
                delivered_at__lte=now,
                found_at__isnull=True,
            )
            ids = list(waiting.values_list("pk", flat=True))
            if ids:
                Delivery.objects.filter(pk__in=ids, found_at__isnull=True).update(found_at=now)
                found_now = set(
                    Delivery.objects.filter(pk__in=ids).values_list("letter_id", flat=True)
                )
        notes = list(
            Letter.objects.received_by(person, now)
            .filter(place=place)
            .with_people()
            .order_by("-deliver_at", "-pk")[:NOTES_SHOWN]
        )
    return Opened(place=place, notes=notes, found_now=found_now)


def _sent_note(writer, letter_id, doing: str) -> Letter:
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state != State.SENT or letter.place_id is None:
        raise Conflict(
            f"Only a note left at a place can be {doing}; this is a {letter.state} letter."
        )
    return letter


@transaction.atomic
def move_note(writer, letter_id, place_id, *, hint: bool | None = None) -> Letter:
    """Leave a note somewhere else (say, its place was archived). Whoever found it keeps
    it; whoever has not will find it at the new place."""
    letter = _sent_note(writer, letter_id, "moved")
    letter.place = place_for_note(writer, letter, place_id)
    if hint is not None:
        letter.hint = bool(hint)
    letter.updated_at = timezone.now()
    letter.save(update_fields=["place", "hint", "updated_at"])
    return letter


def may_take_back(writer, letter: Letter) -> bool:
    """A note goes back to the drawer only while its writer can see that nobody found it.
    With receipts hidden that cannot be seen, and a refusal would tell: so it is refused
    alike, found or not. Expects the deliveries' recipients preloaded."""
    return all(
        d.found_at is None and not hidden(writer, d.recipient) for d in letter.deliveries.all()
    )


@transaction.atomic
def take_back(writer, letter_id) -> Letter:
    """Pick a note up from its place before anyone found it: it goes back to the drawer."""
    letter = _sent_note(writer, letter_id, "taken back")
    if not may_take_back(writer, letter):
        raise Conflict(
            "This note can only be moved now: it may have been found, and a found note "
            "cannot go back to the drawer."
        )
    letter.state = State.KEPT
    letter.sent_at = None
    letter.deliver_at = None
    letter.place = None
    letter.hint = False
    letter.updated_at = timezone.now()
    letter.save(update_fields=["state", "sent_at", "deliver_at", "place", "hint", "updated_at"])
    letter.deliveries.update(delivered_at=None, found_at=None, read_at=None)
    return letter


def stranded_notes(writer) -> list[Letter]:
    """Notes ``writer`` left at places since archived that someone may not have found:
    each waits for its writer to move it or take it back. Newest first.

    Found from the archived places of the writer's homes, which are few: asking by
    writer would walk every letter they ever sent.
    """
    archived = Place.objects.filter(
        archived_at__isnull=False,
        home__memberships__person=writer,
        home__memberships__left_at__isnull=True,
    ).values("pk")
    unknown = Delivery.objects.filter(letter=OuterRef("pk")).filter(unknown_finding(writer))
    at_archived_places = (
        Letter.objects.filter(place__in=archived, state=State.SENT)
        .filter(Exists(unknown))
        .with_people()
    )
    mine = [note for note in at_archived_places if note.writer_id == writer.pk]
    return sorted(mine, key=lambda note: (note.sent_at, note.pk), reverse=True)
