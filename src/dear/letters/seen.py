"""What a person is shown of a letter: built once here, rendered by every face.

Every function takes the viewer and answers plain objects already cut to what that
viewer may see: receipts by both people's switches (``receipts.py``), a told-mode sealed
letter emptied to a stub, the letter a reply answers only when the viewer may see it
too, revisions counted for the writer alone. The API's JSON, the pages, the export and
search results render these and nothing else, so no face can show more than another.

Letters are read as flat rows (no model instances, no password hash fetched with a
writer) in a fixed number of queries however many there are: the letters, their
deliveries, and, only when some letter is a reply, the replies' targets.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.utils import timezone

from dear.homes.models import Home, Membership
from dear.homes.seen import place_at
from dear.letters import receipts, rules
from dear.letters.models import UNSENT, Delivery, Letter, State
from dear.letters.receipts import Receipt
from dear.lib import times

# What a list reads of each letter: no more.
FIELDS = (
    "id",
    "home_id",
    "writer_id",
    "writer__display_name",
    "writer__time_zone",
    "salutation",
    "body",
    "closing",
    "state",
    "revision",
    "written_at",
    "updated_at",
    "sent_at",
    "deliver_at",
    "opened_at",
    "place_id",
    "place__name",
    "place__kind",
    "place__archived_at",
    "hint",
    "blind",
    "in_reply_to_id",
    "state_before_discard",
)
_DELIVERY_FIELDS = (
    "letter_id",
    "recipient_id",
    "recipient__display_name",
    "recipient__time_zone",
    "recipient__receipts",
    "recipient__receipts_since",
    "delivered_at",
    "found_at",
    "read_at",
)


@dataclass(frozen=True, slots=True)
class Someone:
    """A person as a letter names them."""

    id: uuid.UUID
    display_name: str
    time_zone: str = ""

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def zone(self):
        return times.zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class Place:
    """The place a note was left at, as its letter names it."""

    id: uuid.UUID
    name: str
    archived_at: datetime | None
    kind: str = "spot"

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def at(self) -> str:
        """The place named inside a sentence: "by the counter", "in the book"."""
        return place_at(self.name, self.kind)


@dataclass(frozen=True, slots=True)
class Departed:
    """Why an unsent letter can no longer go: its writer or some of its readers left."""

    home: str
    you: bool
    people: tuple[Someone, ...]


@dataclass(slots=True)
class SeenLetter:
    """A letter as one person sees it."""

    id: uuid.UUID
    home: uuid.UUID
    writer: Someone
    to: tuple[Someone, ...]
    # None for a sealed letter's stub: who and when, never a word.
    salutation: str | None
    body: str | None
    closing: str | None
    state: str
    revision: int | None  # how often a page was saved is the writer's alone (rule 1)
    written_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    deliver_at: datetime | None
    opened_at: datetime | None
    place: Place | None
    hint: bool
    blind: bool
    in_reply_to: uuid.UUID | None
    mine: bool
    stub: bool
    # The writer's receipts; None for anyone else.
    deliveries: tuple[Receipt, ...] | None
    # For a reader: when it reached them, found it (a note) and read it: their own doing,
    # not a receipt.
    arrived_at: datetime | None
    found_at: datetime | None
    read_at: datetime | None
    # Where a letter in the basket goes back to: its writer's alone.
    state_before_discard: str
    on_its_way: bool
    may_withdraw: bool
    # A note its writer may still move or take back: nobody found it, as far as they see.
    may_move: bool
    # Set by ``letters(..., departures=True)`` for the writer's unsent letters.
    departed: Departed | None = None

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def writer_id(self) -> uuid.UUID:
        return self.writer.id

    @property
    def place_id(self) -> uuid.UUID | None:
        return self.place.id if self.place else None

    @property
    def recipients(self) -> tuple[Someone, ...]:
        return self.to

    @property
    def is_unsent(self) -> bool:
        return self.state in UNSENT

    @property
    def is_note(self) -> bool:
        return self.place is not None and self.state == State.SENT

    @property
    def found_by(self) -> Receipt | None:
        """For a note's writer: the first receipt that shows it found, if one does."""
        return next((r for r in self.deliveries or () if r.found_at is not None), None)

    @property
    def unread(self) -> bool:
        return not self.mine and not self.stub and self.read_at is None


class _Reader:
    """A recipient with the receipts switches ``receipts.receipt`` reads; never shown."""

    __slots__ = ("someone", "receipts", "receipts_since")

    def __init__(self, row: dict) -> None:
        self.someone = Someone(
            row["recipient_id"], row["recipient__display_name"], row["recipient__time_zone"]
        )
        self.receipts = row["recipient__receipts"]
        self.receipts_since = row["recipient__receipts_since"]


class _Delivery:
    __slots__ = ("recipient", "recipient_id", "delivered_at", "found_at", "read_at")

    def __init__(self, row: dict) -> None:
        self.recipient = _Reader(row)
        self.recipient_id = row["recipient_id"]
        self.delivered_at = row["delivered_at"]
        self.found_at = row["found_at"]
        self.read_at = row["read_at"]


def rows_of(queryset) -> list[dict]:
    """The rows ``letters`` reads, from an ordered (and sliced) letter queryset."""
    return list(queryset.values(*FIELDS))


def _deliveries(ids) -> dict[uuid.UUID, list[_Delivery]]:
    found: dict[uuid.UUID, list[_Delivery]] = {}
    rows = Delivery.objects.filter(letter_id__in=ids).order_by("pk").values(*_DELIVERY_FIELDS)
    for row in rows:
        found.setdefault(row["letter_id"], []).append(_Delivery(row))
    return found


def _answerable(viewer, rows, now) -> set:
    """Of the letters these rows answer, those ``viewer`` may see (one query, if any)."""
    # Every row here is the viewer's to read, bar a sealed stub: its words are not.
    shown = {
        row["id"]
        for row in rows
        if row["writer_id"] == viewer.pk or row["state"] != State.SEALED or row["opened_at"]
    }
    wanted = {row["in_reply_to_id"] for row in rows if row["in_reply_to_id"]} - shown
    visible = shown & {row["in_reply_to_id"] for row in rows}
    if wanted:
        visible |= set(
            Letter.objects.visible_to(viewer, now)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
    return visible


def _one(viewer, row: dict, deliveries: list[_Delivery], answerable: set, now) -> SeenLetter:
    mine = row["writer_id"] == viewer.pk
    state = row["state"]
    stub = not mine and state == State.SEALED and row["opened_at"] is None
    own = None if mine else next((d for d in deliveries if d.recipient_id == viewer.pk), None)
    if not mine and own is None:
        # Every caller hands in rows already cut to what the viewer may see; a letter
        # neither theirs nor to them would be a face deciding for itself.
        raise ValueError("a letter neither written by nor sent to its viewer")
    place = (
        Place(row["place_id"], row["place__name"], row["place__archived_at"], row["place__kind"])
        if row["place_id"]
        else None
    )
    shown_receipts = None
    if mine:
        # Named by the Someone a page shows, not the switches the rule read.
        shown_receipts = tuple(
            replace(receipts.receipt(viewer, d, now), recipient=d.recipient.someone)
            for d in deliveries
        )
    reply = row["in_reply_to_id"]
    return SeenLetter(
        id=row["id"],
        home=row["home_id"],
        writer=Someone(row["writer_id"], row["writer__display_name"], row["writer__time_zone"]),
        to=tuple(d.recipient.someone for d in deliveries),
        salutation=None if stub else row["salutation"],
        body=None if stub else row["body"],
        closing=None if stub else row["closing"],
        state=state,
        revision=row["revision"] if mine else None,
        written_at=row["written_at"],
        updated_at=row["updated_at"],
        sent_at=row["sent_at"],
        deliver_at=row["deliver_at"],
        opened_at=row["opened_at"],
        place=place,
        hint=row["hint"],
        blind=row["blind"],
        in_reply_to=reply if reply and not stub and reply in answerable else None,
        mine=mine,
        stub=stub,
        deliveries=shown_receipts,
        arrived_at=own.delivered_at if own else None,
        found_at=own.found_at if own else None,
        read_at=own.read_at if own else None,
        state_before_discard=row["state_before_discard"] if mine else "",
        on_its_way=mine and rules.on_its_way(state, row["deliver_at"], now),
        may_withdraw=mine and rules.may_withdraw(state, row["deliver_at"], row["opened_at"], now),
        may_move=mine
        and place is not None
        and state == State.SENT
        and rules.may_move_note(viewer, deliveries, now),
    )


def letters(viewer, rows: list[dict], *, now=None, departures: bool = False) -> list[SeenLetter]:
    """The letters of ``rows`` (see ``rows_of``) as ``viewer`` sees them, in that order.

    The rows must come from a query that already decided what ``viewer`` may see
    (``Letter.objects.visible_to``, a box, ``sealed_for`` for stubs)."""
    if not rows:
        return []
    now = now or timezone.now()
    deliveries = _deliveries([row["id"] for row in rows])
    answerable = _answerable(viewer, rows, now)
    seen = [_one(viewer, row, deliveries.get(row["id"], []), answerable, now) for row in rows]
    if departures:
        _mark_departures(viewer, seen)
    return seen


def by_ids(viewer, ids, *, now=None) -> list[SeenLetter]:
    """The letters of ``ids`` that ``viewer`` may see, in the order of ``ids``."""
    if not ids:
        return []
    now = now or timezone.now()
    rows = {
        row["id"]: row
        for row in rows_of(Letter.objects.visible_to(viewer, now).filter(pk__in=list(ids)))
    }
    return letters(viewer, [rows[pk] for pk in ids if pk in rows], now=now)


def own(writer, letter: Letter, *, now=None) -> SeenLetter:
    """A letter its writer has just written, saved or sent, from the instance in hand: no
    need to find it again through ``visible_to``; its deliveries are read, and its place
    or the letter it answers if the instance does not hold them already."""
    if letter.writer_id != writer.pk:
        raise ValueError("own() is for the letter's writer")
    place = letter.place if letter.place_id else None
    row = {
        **{name: _as_stored(getattr(letter, name)) for name in FIELDS if "__" not in name},
        "writer__display_name": writer.display_name,
        "writer__time_zone": writer.time_zone,
        "place__name": place.name if place else None,
        "place__kind": place.kind if place else None,
        "place__archived_at": place.archived_at if place else None,
    }
    return letters(writer, [row], now=now)[0]


def _as_stored(value):
    # A time a client gave with its own offset reads back from the database in UTC.
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def sealed_stubs(viewer, limit: int) -> list[SeenLetter]:
    """Told-mode letters sealed for ``viewer``, newest first: stubs, who and when, never a
    word. Blind ones are never among them (rule 3)."""
    queryset = Letter.objects.sealed_for(viewer).order_by("-sent_at", "-pk")[:limit]
    return letters(viewer, rows_of(queryset))


def letter(viewer, queryset, *, now=None) -> SeenLetter | None:
    """One letter of ``queryset`` (already narrowed to one id), or None."""
    found = letters(viewer, rows_of(queryset[:1]), now=now)
    return found[0] if found else None


def _mark_departures(viewer, seen: list[SeenLetter]) -> None:
    """Mark each of ``viewer``'s unsent letters whose home its writer or a reader has
    left. One query, two when some letter can no longer go."""
    unsent = [letter for letter in seen if letter.mine and letter.is_unsent]
    if not unsent:
        return
    people = {viewer.pk} | {someone.id for letter in unsent for someone in letter.to}
    here = set(
        Membership.objects.current()
        .filter(home_id__in={letter.home for letter in unsent}, person_id__in=people)
        .values_list("home_id", "person_id")
    )
    gone = {}
    for letter in unsent:
        you = (letter.home, viewer.pk) not in here
        readers = tuple(p for p in letter.to if (letter.home, p.id) not in here)
        if you or readers:
            gone[letter.id] = (you, readers)
    if not gone:
        return
    names = dict(
        Home.objects.filter(
            pk__in={letter.home for letter in unsent if letter.id in gone}
        ).values_list("pk", "name")
    )
    for letter in unsent:
        if letter.id in gone:
            you, readers = gone[letter.id]
            letter.departed = Departed(names[letter.home], you, readers)
