"""What a person is shown of their moments, beside their letters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q

from dear.mutual.models import Moment


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
