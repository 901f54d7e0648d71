"""Small pieces several view modules share."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from dear.letters.rules import State, sent_to_arrive_later
from dear.letters.seen import SeenLetter
from dear.lib.errors import NotFound

STATE_WORDS = {
    State.DRAFT: "Draft",
    State.KEPT: "In the drawer",
    State.SENT: "Sent",
    State.SEALED: "Sealed",
    State.DISCARDED: "In the basket",
}


def state_words(letter: SeenLetter) -> str:
    """What became of a letter, in the word its kind uses: a note is left, never sent;
    a letter sent to arrive later arrived; a sealed letter is sealed."""
    if letter.on_its_way:
        return "On its way"
    if letter.is_note:
        return "Left"
    if letter.state == State.SENT and sent_to_arrive_later(letter.sent_at, letter.deliver_at):
        return "Arrived"
    return STATE_WORDS.get(letter.state, letter.state)


def person_of(request: HttpRequest):
    return request.user  # type: ignore[return-value]


def letter_link(letter: SeenLetter, person) -> str:
    """Where a letter opens for ``person``: its writer edits what is still unsent."""
    if letter.mine and letter.is_unsent:
        return reverse("web:edit", args=[letter.id])
    return reverse("web:letter", args=[letter.id])


@dataclass
class Row:
    """A letter as one line of a list: the read model's letter and where it opens."""

    letter: SeenLetter
    url: str

    @property
    def mine(self) -> bool:
        return self.letter.mine

    @property
    def people(self):
        return self.letter.to if self.letter.mine else (self.letter.writer,)

    @property
    def unread(self) -> bool:
        return self.letter.unread

    @property
    def departed(self):
        return self.letter.departed

    @property
    def state(self) -> str:
        return state_words(self.letter)


def rows(letters, person) -> list[Row]:
    """List rows from letters the read model built: no query."""
    return [Row(letter, letter_link(letter, person)) for letter in letters]


def uuid_or_404(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise NotFound() from None
