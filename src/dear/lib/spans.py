"""How long between two times, as a letter would say it: "three years", "12 minutes"."""

from __future__ import annotations

from datetime import timedelta

from dear.lib import words

_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
# Longest first: the first unit that fits at least once names the span.
_UNITS = (
    ("year", 365 * _DAY),
    ("month", 30 * _DAY),
    ("week", 7 * _DAY),
    ("day", _DAY),
    ("hour", _HOUR),
    ("minute", _MINUTE),
)


def _count(n: int, unit: str) -> str:
    if n == 1:
        return f"{'an' if unit == 'hour' else 'a'} {unit}"
    # Small numbers in words, as a letter writes them; larger ones read better as digits.
    shown = words.number(n) if n < 10 else str(n)
    return f"{shown} {unit}s"


def span(length: timedelta) -> str:
    """ "three years", "two weeks", "a day", "12 minutes", "a few seconds": rounded down
    to the largest unit that fits."""
    seconds = max(0, int(length.total_seconds()))
    for unit, size in _UNITS:
        if seconds >= size:
            return _count(seconds // size, unit)
    return "a few seconds"
