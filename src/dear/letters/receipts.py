"""Receipts: what a letter's writer may see of when it was found and read.

Receipts go both ways or not at all (the rule Signal uses): a person with receipts off
shows nobody when they found or read a letter, and sees nobody's. The times are still
stored, because the reader needs them (a note is theirs once found; unread marks), but
they are shown only when both sides have receipts on, and only if they happened after
each side last turned receipts on, so switching them on later reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Receipt:
    recipient: object
    delivered_at: datetime | None  # None while the delivery time still lies ahead
    found_at: datetime | None
    read_at: datetime | None
    hidden: bool  # one side has receipts off: found and read are never shown


def hidden(viewer, recipient) -> bool:
    return not (viewer.receipts and recipient.receipts)


def since(viewer, recipient) -> datetime | None:
    times = [t for t in (viewer.receipts_since, recipient.receipts_since) if t is not None]
    return max(times) if times else None


def receipt(viewer, delivery, now) -> Receipt:
    """``delivery`` as its letter's writer ``viewer`` may see it (recipient preloaded)."""
    recipient = delivery.recipient
    off = hidden(viewer, recipient)
    since_on = since(viewer, recipient)

    def shown(when):
        if off or when is None or (since_on is not None and when < since_on):
            return None
        return when

    delivered = delivery.delivered_at
    return Receipt(
        recipient=recipient,
        delivered_at=delivered if delivered is not None and delivered <= now else None,
        found_at=shown(delivery.found_at),
        read_at=shown(delivery.read_at),
        hidden=off,
    )
