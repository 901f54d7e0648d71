"""Notes: letters left at a place in the home instead of sent (DESIGN.md rule 2).

A note is a sent letter with a place. Its recipients see it only once they have opened
that place (``found_at``); a hint tells them the place holds something, never what.
Like ``services.py``, this module changes letters, and the rules of notes live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone

from dear.archive import index as search_index
from dear.homes.models import Place
from dear.letters import rules, seen
from dear.letters.access import letter_for_writer
from dear.letters.models import Delivery, Letter, State
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
    notes: list[seen.SeenLetter]
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
                # Still at this place: a note its writer moved meanwhile is not found here.
                Delivery.objects.filter(
                    pk__in=ids, found_at__isnull=True, letter__place=place
                ).update(found_at=now)
                found_now = set(
                    Delivery.objects.filter(pk__in=ids, found_at=now).values_list(
                        "letter_id", flat=True
                    )
                )
                search_index.refresh(found_now)
        notes = seen.letters(
            person,
            seen.rows_of(
                Letter.objects.received_by(person, now)
                .filter(place=place)
                .order_by("-deliver_at", "-pk")[:NOTES_SHOWN]
            ),
            now=now,
        )
    return Opened(place=place, notes=notes, found_now=found_now)


def read_where_found(person, opened: Opened, now=None) -> list[seen.SeenLetter]:
    """The notes of ``opened`` that ``person`` has not read yet, now read: the place shows
    them whole, as letters, so finding them there is reading them. One update."""
    unread = [note for note in opened.notes if note.read_at is None]
    if not unread:
        return []
    now = now or timezone.now()
    Delivery.objects.filter(
        letter_id__in=[note.id for note in unread], recipient=person, read_at__isnull=True
    ).update(read_at=now)
    return [replace(note, read_at=now) for note in unread]


def left_here(writer, place: Place, now=None) -> list[seen.SeenLetter]:
    """The notes ``writer`` left at ``place``, newest first, as the writer sees them:
    receipts decide whether a page may say "not found yet" (``SeenLetter.may_move``) or
    who found one. Those every recipient is seen to have found are history, not waiting."""
    now = now or timezone.now()
    mine = seen.letters(
        writer,
        seen.rows_of(
            Letter.objects.filter(writer=writer, place=place, state=State.SENT).order_by(
                "-sent_at", "-pk"
            )[:NOTES_SHOWN]
        ),
        now=now,
    )
    return [
        note for note in mine if not note.deliveries or not all(r.found_at for r in note.deliveries)
    ]


def _sent_note(writer, letter_id, doing: str) -> Letter:
    """The writer's note, its row and its deliveries locked: a note being found at this
    moment is either found before the check or after the move, never in between."""
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state != State.SENT or letter.place_id is None:
        raise Conflict(
            f"Only a note left at a place can be {doing}; this is a {letter.state} letter."
        )
    deliveries = Delivery.objects.select_related("recipient").select_for_update(of=("self",))
    prefetch_related_objects([letter], Prefetch("deliveries", queryset=deliveries.order_by("pk")))
    if not may_move(writer, letter):
        raise Conflict(why_it_stays(writer, letter, doing))
    return letter


def may_move(writer, letter: Letter, now=None) -> bool:
    """Whether the writer may still move their note or take it back (``rules.may_move_note``).
    Expects the deliveries' recipients preloaded."""
    return rules.may_move_note(writer, letter.deliveries.all(), now or timezone.now())


def why_it_stays(writer, letter: Letter, doing: str = "moved") -> str:
    """Why a note the writer may not move stays put, telling no more than receipts do."""
    finder = seen.own(writer, letter).found_by
    if finder is not None:
        name = finder.recipient.display_name
        return f"{name} has found this note, so it stays where it was found."
    return (
        "This note stays where you left it: receipts cannot show you whether it was "
        f"found, so it can no longer be {doing}."
    )


@transaction.atomic
def move_note(writer, letter_id, place_id, *, hint: bool | None = None) -> Letter:
    """Leave a note somewhere else (say, its place was archived), while its writer can
    see that nobody has found it (``may_move``)."""
    letter = _sent_note(writer, letter_id, "moved")
    letter.place = place_for_note(writer, letter, place_id)
    if hint is not None:
        letter.hint = bool(hint)
    letter.updated_at = timezone.now()
    letter.save(update_fields=["place", "hint", "updated_at"])
    return letter


@transaction.atomic
def take_back(writer, letter_id) -> Letter:
    """Pick a note up from its place before anyone found it (``may_move``): it goes back
    to the drawer."""
    letter = _sent_note(writer, letter_id, "taken back")
    letter.state = State.KEPT
    letter.sent_at = None
    letter.deliver_at = None
    letter.place = None
    letter.hint = False
    letter.updated_at = timezone.now()
    letter.save(update_fields=["state", "sent_at", "deliver_at", "place", "hint", "updated_at"])
    letter.deliveries.update(delivered_at=None, found_at=None, read_at=None)
    return letter


def stranded_notes(writer) -> list[seen.SeenLetter]:
    """Notes ``writer`` left at places since archived that they can still move or take
    back (``may_move``): nobody can find them there now. Newest first. A note found, or
    one whose finding receipts hide, stays put, so it is not offered here.

    Found from the archived places of the writer's homes, which are few: asking by
    writer would walk every letter they ever sent.
    """
    archived = Place.objects.of_member(writer).filter(archived_at__isnull=False).values("pk")
    found = Delivery.objects.filter(letter=OuterRef("pk"), found_at__isnull=False)
    at_archived_places = seen.rows_of(
        Letter.objects.filter(place__in=archived, state=State.SENT)
        .exclude(Exists(found))
        .order_by("-sent_at", "-pk")
    )
    mine = [row for row in at_archived_places if row["writer_id"] == writer.pk]
    return [note for note in seen.letters(writer, mine) if note.may_move]
