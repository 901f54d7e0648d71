"""Opaque cursors for keyset pagination: a (timestamp, id) pair, base64-encoded."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime

# The shape of every cursor Dear gives out: unpadded base64url, and short (a timestamp
# and an id take about 100 characters). Anything else is refused before it is decoded.
ALPHABET = "[A-Za-z0-9_-]"
MAX_LENGTH = 128
SHAPE = re.compile(f"{ALPHABET}{{1,{MAX_LENGTH}}}")


class BadCursor(ValueError):
    pass


def encode(when: datetime, ident: uuid.UUID) -> str:
    raw = json.dumps([when.isoformat(), str(ident)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        if not SHAPE.fullmatch(cursor):
            raise ValueError("not a cursor's shape")
        padded = cursor + "=" * (-len(cursor) % 4)
        when, ident = json.loads(base64.urlsafe_b64decode(padded.encode()))
        parsed = datetime.fromisoformat(when)
        if parsed.tzinfo is None:
            raise ValueError("naive timestamp")
        # In UTC, so a time at the edge of the calendar fails here, not in the database.
        return parsed.astimezone(UTC), uuid.UUID(ident)
    except (
        ValueError,
        TypeError,
        OverflowError,
        json.JSONDecodeError,
        UnicodeDecodeError,
    ) as exc:
        raise BadCursor("That page cursor is not one Dear gave out.") from exc
