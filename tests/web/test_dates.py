"""One date style on every page: templatetags/clock.py said()."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from dear.web.templatetags.clock import said

NOW = datetime(2026, 12, 2, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (datetime(2026, 12, 2, 12, 4, tzinfo=UTC), "today 12:04"),
        (datetime(2026, 12, 1, 18, 30, tzinfo=UTC), "yesterday 18:30"),
        (datetime(2026, 12, 3, 8, 0, tzinfo=UTC), "tomorrow 08:00"),
        (datetime(2026, 7, 1, 21, 30, tzinfo=UTC), "1 July, 21:30"),
        (datetime(2023, 12, 2, 9, 15, tzinfo=UTC), "2 December 2023"),
    ],
)
def test_a_date_is_said_one_way(at, words):
    with timezone.override(UTC):
        assert said(at, NOW) == words


def test_a_time_of_today_may_be_only_the_clock():
    at = datetime(2026, 12, 2, 12, 4, tzinfo=UTC)
    with timezone.override(UTC):
        assert said(at, NOW, clock_only=True) == "12:04"
        assert said(at, NOW, clock_only="at") == "at 12:04"
        assert said(datetime(2026, 12, 1, 23, 50, tzinfo=UTC), NOW, clock_only="at") == (
            "yesterday 23:50"
        )


def test_today_is_the_readers_today():
    # 23:30 UTC on 1 December is already 2 December in Tokyo.
    at = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    with timezone.override("Asia/Tokyo"):
        assert said(at, NOW) == "today 08:30"
