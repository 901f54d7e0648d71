"""Quiet reminders, per housemate: "Nine days since you and Rory wrote."

`quiet_days` is the quiet so far once it is long enough to mention (the home page shows
the line then), null before. Only a current housemate may be named; anyone else is a 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from dear.api import present
from dear.api.auth import person_of
from dear.api.limits import ReminderDays
from dear.api.schemas import AUTHED, WITH_BODY, PersonRef, answers
from dear.lib.errors import NotFound
from dear.notify import reminders

router = Router(tags=["reminders"])


class ReminderIn(Schema):
    after_days: ReminderDays = Field(
        reminders.DEFAULT_DAYS, description="Days without a letter between you, 1 to 365."
    )
    email: StrictBool = Field(False, description="Email me too (when this server sends email).")


class ReminderOut(Schema):
    with_: PersonRef = Field(alias="with")
    after_days: int
    email: bool
    quiet_days: int | None = Field(
        description="Whole days since a letter between you, once that is at least "
        "after_days; null until then."
    )


class ReminderList(Schema):
    items: list[ReminderOut]


def reminder(stretch: reminders.Stretch) -> dict:
    return {
        "with": present.person_ref(stretch.other),
        "after_days": stretch.reminder.after_days,
        "email": stretch.reminder.email,
        "quiet_days": stretch.days if stretch.due else None,
    }


@router.get("/reminders", response=answers({200: ReminderList}, *AUTHED), by_alias=True)
def list_reminders(request: HttpRequest):
    """The reminders I set, by housemate's name."""
    return {"items": [reminder(one) for one in reminders.stretches(person_of(request))]}


@router.put(
    "/reminders/{person_id}",
    response=answers({200: ReminderOut}, *AUTHED, 404, *WITH_BODY),
    by_alias=True,
)
def set_reminder(request: HttpRequest, person_id: str, payload: ReminderIn):
    """Remind me when `after_days` pass without a letter between me and this housemate;
    again to change it (the quiet keeps counting from where it was)."""
    someone = person_of(request)
    made = reminders.set_reminder(
        someone, person_id, after_days=payload.after_days, email=payload.email
    )
    stretch = reminders.stretch_with(someone, made.other)
    if stretch is None:  # they left the home a moment ago
        raise NotFound()
    return reminder(stretch)


@router.delete("/reminders/{person_id}", response=answers({204: None}, *AUTHED, 404))
def clear_reminder(request: HttpRequest, person_id: str):
    """Stop reminding me; stopping one that was never set is fine."""
    reminders.clear_reminder(person_of(request), person_id)
    return Status(204, None)
