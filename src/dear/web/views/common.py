"""Small pieces several view modules share."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from dear.accounts.models import Person
from dear.letters.models import Delivery, Letter, State
from dear.letters.services.leaving import Departed
from dear.lib.errors import NotFound

STATE_WORDS = {
    State.DRAFT: "Draft",
    State.KEPT: "In the drawer",
    State.SENT: "Sent",
    State.SEALED: "Sealed",
    State.DISCARDED: "In the basket",
}


def person_of(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def letter_link(letter: Letter, person: Person) -> str:
    """Where a letter opens for ``person``: its writer edits what is still unsent."""
    if letter.writer_id == person.pk and letter.is_unsent:
        return reverse("web:edit", args=[letter.pk])
    return reverse("web:letter", args=[letter.pk])


@dataclass
class Row:
    """A letter as one line of a list, from the point of view of whoever reads the list."""

    letter: Letter
    url: str
    mine: bool
    people: list[Person]
    delivery: Delivery | None
    # An unsent letter whose writer or reader has left its home (letters.services.leaving).
    departed: Departed | None = None

    @property
    def unread(self) -> bool:
        return self.delivery is not None and self.delivery.read_at is None

    @property
    def state(self) -> str:
        return STATE_WORDS.get(self.letter.state, self.letter.state)


def rows(letters, person: Person) -> list[Row]:
    """List rows built from prefetched deliveries only: no query per letter."""
    out = []
    for letter in letters:
        deliveries = list(letter.deliveries.all())
        mine = letter.writer_id == person.pk
        own = next((d for d in deliveries if d.recipient_id == person.pk), None)
        people = [d.recipient for d in deliveries] if mine else [letter.writer]
        out.append(Row(letter, letter_link(letter, person), mine, people, None if mine else own))
    return out


def uuid_or_404(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise NotFound() from None
