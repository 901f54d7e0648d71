"""One name for each rule of a letter's state: on its way, arrived, sent to arrive later,
may be withdrawn.

Services, the read model and the lists all ask these; none restates them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q

from dear.letters import receipts


class State(models.TextChoices):
    """A letter's state, as its writer sees it (DESIGN.md "Words")."""

    DRAFT = "draft"
    KEPT = "kept"
    SENT = "sent"
    SEALED = "sealed"
    DISCARDED = "discarded"


UNSENT = (State.DRAFT, State.KEPT)

# A second's margin: a withdrawal that commits just after the delivery time must not take
# back a letter its reader may already have open on a screen.
WITHDRAW_MARGIN = timedelta(seconds=1)

# Sent and due, or sealed and opened: what may reach a reader (rules 2, 3). A filter on
# Letter; the delivery's time and, for a note, its finding are the reader's own part.
ARRIVED = Q(state=State.SENT) | Q(state=State.SEALED, opened_at__isnull=False)


def has_arrived(state: str, opened_at: datetime | None) -> bool:
    """``ARRIVED`` for one letter in hand: sent, or sealed and opened."""
    return state == State.SENT or (state == State.SEALED and opened_at is not None)


def on_its_way(state: str, deliver_at: datetime | None, now: datetime) -> bool:
    """A sent letter whose delivery time still lies ahead."""
    return state == State.SENT and deliver_at is not None and deliver_at > now


# Longer than any undo window: a letter its writer sent to arrive at a time of her choosing.
ARRIVES_LATER = timedelta(minutes=10)


def sent_to_arrive_later(sent_at: datetime | None, deliver_at: datetime | None) -> bool:
    """Sent to arrive later (in the morning, on a day): its pages say when it arrived,
    not when it was sent."""
    return bool(sent_at and deliver_at and deliver_at - sent_at > ARRIVES_LATER)


def may_withdraw(
    state: str, deliver_at: datetime | None, opened_at: datetime | None, now: datetime
) -> bool:
    """Whether the writer may still take a letter back to the drawer (rule 5): a sealed
    letter until it opens, a sent one until a second before it arrives."""
    if state == State.SEALED:
        return opened_at is None
    return on_its_way(state, deliver_at, now + WITHDRAW_MARGIN)


def _seen_unfound(writer, delivery, now: datetime) -> bool:
    """Whether ``writer`` can see that nobody found their note through ``delivery``."""
    if delivery.delivered_at is None or delivery.delivered_at > now:
        return True  # not there to be found yet, and its writer sees when it will be
    if delivery.found_at is not None or receipts.hidden(writer, delivery.recipient):
        return False
    # Left before receipts were on: it may have been found while nobody could see.
    since = receipts.since(writer, delivery.recipient)
    return since is None or delivery.delivered_at >= since


def may_move_note(writer, deliveries, now: datetime) -> bool:
    """Whether a note's writer may still move it or take it back: only while they can see
    that nobody has found it. A found note's place, time and receipts are history; where
    receipts hide the finding it is refused alike, found or not, so a refusal tells
    nothing. ``deliveries`` carry their recipient's receipts switches."""
    return all(_seen_unfound(writer, d, now) for d in deliveries)
