"""The shapes of sealing, glances and moments in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import StrictBool

from dear.api.limits import GlanceMinutes
from dear.api.schemas import PersonRef


class SealIn(Schema):
    blind: StrictBool = Field(
        False, description="Tell the recipient nothing at all until it opens (default: told)."
    )


class GlanceIn(Schema):
    to: UUID = Field(description="The housemate you are thinking of.")
    home: UUID | None = Field(
        None, description="Needed only when you share more than one home with them."
    )


class GlanceOut(Schema):
    mutual: bool = Field(
        description="They glanced at you within the window: you both have a moment now."
    )


class MomentOut(Schema):
    id: UUID
    kind: Literal["glance", "sealed"]
    home: UUID
    with_: PersonRef = Field(alias="with")
    at: datetime
    my_letter: UUID | None = Field(description="sealed: the letter I sealed, opened now.")
    their_letter: UUID | None = Field(description="sealed: the letter they sealed to me.")


class MomentPage(Schema):
    items: list[MomentOut]
    next: str | None = Field(description="Pass as ?cursor= for the next page; null at the end.")


class GlanceWindowIn(Schema):
    minutes: GlanceMinutes = Field(description="From 5 to 1440 (24 hours).")


class GlanceWindowOut(Schema):
    home: UUID
    minutes: int
