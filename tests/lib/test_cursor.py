"""Page cursors: what encode gives out, decode takes back; anything else is refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dear.lib import cursor
from dear.lib.cursor import BadCursor
from dear.lib.ids import uuid7


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 11, 1, 9, 30, 15, 123456, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_cursor_round_trips_time_and_id(when):
    ident = uuid7()
    token = cursor.encode(when, ident)
    assert cursor.decode(token) == (when, ident)


def test_cursor_is_url_safe_text():
    token = cursor.encode(datetime.now(UTC), uuid7())
    assert token.isascii()
    assert not set(token) & set("+/= ")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


SOME_ID = "0190f1c2-7a3b-7c4d-8e5f-60718293a4b5"
NOON = "2026-11-01T12:00:00+00:00"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("not a cursor!", id="not-base64"),
        pytest.param("%%%%", id="symbols"),
        pytest.param(b64(b"\xff\xfe\xfd"), id="not-utf8"),
        pytest.param(b64(b"not json"), id="not-json"),
        pytest.param(b64(json.dumps({"when": 1}).encode()), id="object"),
        pytest.param(b64(json.dumps([NOON]).encode()), id="one-item"),
        pytest.param(b64(json.dumps([NOON, SOME_ID, "x"]).encode()), id="three-items"),
        pytest.param(b64(json.dumps(["yesterday", SOME_ID]).encode()), id="not-a-time"),
        pytest.param(b64(json.dumps(["2026-11-01T12:00:00", SOME_ID]).encode()), id="naive-time"),
        pytest.param(b64(json.dumps([NOON, "not-a-uuid"]).encode()), id="not-a-uuid"),
        pytest.param(b64(json.dumps([1, 2]).encode()), id="numbers"),
        pytest.param(b64(json.dumps(42).encode()), id="a-number"),
    ],
)
def test_cursor_refuses_anything_it_did_not_give_out(token):
    with pytest.raises(BadCursor):
        cursor.decode(token)


def test_a_cursor_at_the_edge_of_the_calendar_is_refused_not_a_crash():
    for edge in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"):
        raw = json.dumps([edge, "0190d5a0-0000-7000-8000-000000000000"]).encode()
        with pytest.raises(BadCursor):
            cursor.decode(base64.urlsafe_b64encode(raw).decode())


def test_cursor_of_another_shape_than_dear_gives_out_is_refused():
    # Padded, as base64 may be written: it decodes, but it is not the shape the API
    # document states (unpadded base64url), so it is refused alike everywhere.
    ident = uuid7()
    for micro in range(4):
        when = datetime(2026, 1, 1, microsecond=micro * 10, tzinfo=UTC)
        raw = json.dumps([when.isoformat(), str(ident)]).encode()
        padded = base64.urlsafe_b64encode(raw).decode()
        if padded.endswith("="):
            break
    with pytest.raises(cursor.BadCursor):
        cursor.decode(padded)
    with pytest.raises(cursor.BadCursor):
        cursor.decode("x" * (cursor.MAX_LENGTH + 1))
