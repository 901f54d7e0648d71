"""UUIDv7 ids: version 7, RFC 9562 variant, ordered by the time they were made."""

from __future__ import annotations

import random
import time
import uuid

from dear.lib.ids import uuid7


def test_uuid7_has_version_7_and_the_rfc_variant():
    for _ in range(100):
        ident = uuid7()
        assert ident.version == 7
        assert ident.variant == uuid.RFC_4122


def test_uuid7_carries_the_millisecond_it_was_made():
    before = time.time_ns() // 1_000_000
    ident = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= ident.int >> 80 <= after
    assert uuid7(now_ms=1_700_000_000_123).int >> 80 == 1_700_000_000_123


def test_uuid7_sorts_in_the_order_of_time():
    made = [uuid7(now_ms=ms) for ms in range(1_700_000_000_000, 1_700_000_000_200)]
    shuffled = random.sample(made, len(made))
    assert sorted(shuffled) == made
    assert sorted(shuffled, key=str) == made  # as text too, as the database may sort them


def test_uuid7_made_in_the_same_millisecond_are_distinct():
    ids = {uuid7(now_ms=1_700_000_000_000) for _ in range(1000)}
    assert len(ids) == 1000
