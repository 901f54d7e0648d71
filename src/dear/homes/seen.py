"""What a person is shown of their homes: members, housemates and places, built once here
for the pages and the JSON alike.

Only current members see a home; a place says ``waiting`` when a hinted note for the
viewer lies there unfound (rule 2: that something waits, never what). Each function
reads flat rows in a fixed number of queries, however many homes, people or places.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from dear.homes.models import Home, Kind, Membership, Place

KINDS = Kind.choices

# How a sentence puts a note at a place: "by the counter", "in the book", "on the fridge".
# A name that starts with its own preposition ("under the pillow") keeps it; else the
# first word known below decides; else the kind: a spot is stood by, an object opened.
PREPOSITIONS = ("next to", "by", "in", "inside", "on", "under", "behind", "beside", "at")
_BY_WORD = {
    "on": ("fridge", "table", "desk", "door", "shelf", "mirror", "wall", "windowsill", "bed"),
    "under": ("pillow", "mat", "doormat", "cushion", "cup", "mug", "plant"),
    "in": ("book", "pocket", "drawer", "bag", "box", "jar", "coat", "jacket", "shoe", "wallet"),
}
_PREPOSITION_OF = {word: prep for prep, words in _BY_WORD.items() for word in words}
_DEFAULT_PREPOSITION = {Kind.SPOT: "by", Kind.OBJECT: "in"}
_SMALL_FIRST_WORDS = {"the", "a", "an", "my", "our", "your", "his", "her", "their"}


def place_at(name: str, kind: str) -> str:
    """Where a note lies, said inside a sentence: "Left by the counter." """
    words = name.split()
    if not words:
        return name
    if words[0].lower() in _SMALL_FIRST_WORDS:
        words[0] = words[0].lower()  # "The counter" reads "by the counter" mid-sentence
    lowered = [word.lower().strip(".,;:!?'\"") for word in words]
    for prep in PREPOSITIONS:
        if lowered[: len(prep.split())] == prep.split():
            return " ".join([prep, *words[len(prep.split()) :]])
    prep = next(
        (_PREPOSITION_OF[word] for word in lowered if word in _PREPOSITION_OF),
        _DEFAULT_PREPOSITION.get(kind, "at"),
    )
    return f"{prep} {' '.join(words)}"


@dataclass(frozen=True, slots=True)
class Member:
    id: uuid.UUID
    username: str
    display_name: str

    @property
    def pk(self) -> uuid.UUID:
        return self.id


@dataclass(frozen=True, slots=True)
class SeenPlace:
    id: uuid.UUID
    home: uuid.UUID
    name: str
    kind: str
    label: str
    archived_at: datetime | None
    waiting: bool = False  # a hinted note for the viewer lies here unfound

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def at(self) -> str:
        """The place named inside a sentence: "by the counter", "in the book"."""
        return place_at(self.name, self.kind)


@dataclass(slots=True)
class SeenHome:
    id: uuid.UUID
    name: str
    glance_window_minutes: int
    members: list[Member] = field(default_factory=list)  # by name, the viewer included
    places: list[SeenPlace] = field(default_factory=list)  # open places, by name
    viewer: uuid.UUID | None = None

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def housemates(self) -> list[Member]:
        return [member for member in self.members if member.id != self.viewer]


_PLACE_FIELDS = ("id", "home_id", "name", "kind", "label", "archived_at")


def _place(row: dict) -> SeenPlace:
    return SeenPlace(
        row["id"],
        row["home_id"],
        row["name"],
        row["kind"],
        row["label"],
        row["archived_at"],
        bool(row.get("waiting", False)),
    )


def homes_of(viewer, *, home_ids=None, places: bool = True) -> list[SeenHome]:
    """``viewer``'s homes by name, each with its current members and, with ``places``,
    its open places marked ``waiting``. Three queries (two without places)."""
    queryset = Home.objects.of_member(viewer)
    if home_ids is not None:
        queryset = queryset.filter(pk__in=list(home_ids))
    homes = [
        SeenHome(pk, name, window, viewer=viewer.pk)
        for pk, name, window in queryset.order_by("name", "id").values_list(
            "id", "name", "glance_window_minutes"
        )
    ]
    if not homes:
        return []
    by_id = {home.id: home for home in homes}
    members = (
        Membership.objects.current()
        .filter(home_id__in=list(by_id))
        .values_list("home_id", "person_id", "person__username", "person__display_name")
    )
    for home_id, pk, username, display_name in members:
        by_id[home_id].members.append(Member(pk, username, display_name))
    for one in homes:
        one.members.sort(key=lambda member: (member.display_name.lower(), str(member.id)))
    if places:
        rows = (
            Place.objects.filter(home_id__in=list(by_id))
            .open()
            .with_waiting(viewer)
            .order_by("name", "id")
            .values(*_PLACE_FIELDS, "waiting")
        )
        for row in rows:
            by_id[row["home_id"]].places.append(_place(row))
    return homes


def names_of(viewer) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of ``viewer``'s homes, the oldest first. One query."""
    return list(
        Home.objects.of_member(viewer).order_by("created_at", "id").values_list("id", "name")
    )


def home(viewer, home_id) -> SeenHome | None:
    """One of ``viewer``'s homes, or None (the caller's access check answers the 404)."""
    found = homes_of(viewer, home_ids=[home_id])
    return found[0] if found else None


def place(viewer, place_id) -> SeenPlace:
    """A place of one of ``viewer``'s homes, marked ``waiting`` for them. One query; the
    caller has already checked access (``homes.access``)."""
    row = Place.objects.with_waiting(viewer).filter(pk=place_id).values(*_PLACE_FIELDS, "waiting")
    return _place(row.get())


def open_places(viewer, home_id) -> list[SeenPlace]:
    """The open places of ``home_id``, by name, while ``viewer`` is a member of it: someone
    who left a home sees its letters, never its places as they are now. One query."""
    rows = (
        Place.objects.of_member(viewer)
        .open()
        .filter(home_id=home_id)
        .order_by("name", "id")
        .values(*_PLACE_FIELDS)
    )
    return [_place(row) for row in rows]
