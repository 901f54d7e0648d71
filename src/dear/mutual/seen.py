"""What a person is shown of their moments, beside their letters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from dear.mutual.access import moments_of
from dear.mutual.models import Glance, Kind, Moment
from dear.mutual.services import WINDOW_MINUTES, window_words


@dataclass(frozen=True, slots=True)
class Partner:
    """The letter a sealed letter opened together with, as one of the pair sees it."""

    id: uuid.UUID
    writer_name: str
    mine: bool


def partner_of(viewer, letter_id) -> Partner | None:
    """For one of a sealed pair that opened: the other letter of the pair. One query;
    None for anyone outside the pair's moment."""
    row = (
        Moment.objects.of(viewer)
        .filter(Q(first_letter_id=letter_id) | Q(second_letter_id=letter_id))
        .values(
            "first_letter_id",
            "first_letter__writer_id",
            "first_letter__writer__display_name",
            "second_letter_id",
            "second_letter__writer_id",
            "second_letter__writer__display_name",
        )
        .first()
    )
    if row is None:
        return None
    side = "second_letter" if row["first_letter_id"] == letter_id else "first_letter"
    if row[f"{side}_id"] is None:
        return None
    return Partner(
        row[f"{side}_id"],
        row[f"{side}__writer__display_name"],
        row[f"{side}__writer_id"] == viewer.pk,
    )


@dataclass(frozen=True, slots=True)
class SeenMoment:
    """A moment as one of its two people sees it: who with, when, and for a sealed pair
    both letters (None for a letter since deleted)."""

    id: uuid.UUID
    kind: str
    at: datetime
    home_name: str
    other_id: uuid.UUID
    other_name: str
    my_letter: uuid.UUID | None
    their_letter: uuid.UUID | None

    @property
    def is_glance(self) -> bool:
        return self.kind == Kind.GLANCE


def seen_moments(viewer, moments) -> list[SeenMoment]:
    """Moments read with ``mutual.access.moments_of`` (people and home preloaded)."""
    shown = []
    for moment in moments:
        mine_first = moment.first_id == viewer.pk
        other = moment.second if mine_first else moment.first
        shown.append(
            SeenMoment(
                id=moment.pk,
                kind=moment.kind,
                at=moment.at,
                home_name=moment.home.name,
                other_id=other.pk,
                other_name=other.display_name,
                my_letter=moment.first_letter_id if mine_first else moment.second_letter_id,
                their_letter=moment.second_letter_id if mine_first else moment.first_letter_id,
            )
        )
    return shown


# How long a glance that met stays on Home before it lives on the Moments page only.
FRESH = timedelta(hours=24)


def fresh_glances(viewer, now=None) -> list[SeenMoment]:
    """Mutual glances of the last day, newest first: the cards on ``viewer``'s Home."""
    now = now or timezone.now()
    found = moments_of(viewer).filter(kind=Kind.GLANCE, at__gt=now - FRESH)[:5]
    return seen_moments(viewer, found)


@dataclass(frozen=True, slots=True)
class WaitingGlance:
    """A glance of the viewer's own that has not met one yet and still may."""

    to_name: str
    at: datetime
    until: datetime
    window: str


@dataclass(frozen=True, slots=True)
class OwnGlances:
    """The viewer's own glances still inside their home's window."""

    # Not met yet: told to the glancer alone, never to the one glanced at (rule 8).
    waiting: list[WaitingGlance]
    # (home id, person id) for each person the viewer glanced at there within the window,
    # met or not: ``services.glance`` refuses another until the window has passed.
    glanced: frozenset[tuple[uuid.UUID, uuid.UUID]]

    def at_in(self, home_id) -> frozenset[uuid.UUID]:
        """Whom the viewer may not glance at again yet in ``home_id``."""
        return frozenset(to for home, to in self.glanced if home == home_id)


def own_glances(viewer, now=None) -> OwnGlances:
    """``viewer``'s glances inside their home's window: which still wait, and whom they
    may not glance at again yet. One query."""
    now = now or timezone.now()
    longest = timedelta(minutes=WINDOW_MINUTES[1])
    rows = (
        Glance.objects.filter(by=viewer, at__gt=now - longest)
        .order_by("-at")
        .values(
            "at", "home_id", "to_id", "to__display_name", "moment_id", "home__glance_window_minutes"
        )
    )
    waiting, glanced = [], set()
    for row in rows:
        minutes = row["home__glance_window_minutes"]
        until = row["at"] + timedelta(minutes=minutes)
        if until <= now:
            continue
        glanced.add((row["home_id"], row["to_id"]))
        if row["moment_id"] is None:
            waiting.append(
                WaitingGlance(row["to__display_name"], row["at"], until, window_words(minutes))
            )
    return OwnGlances(waiting, frozenset(glanced))
