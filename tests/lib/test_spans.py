from datetime import timedelta

import pytest

from dear.lib.spans import span


@pytest.mark.parametrize(
    ("length", "said"),
    [
        (timedelta(days=3 * 365 + 2), "three years"),
        (timedelta(days=365), "a year"),
        (timedelta(days=61), "two months"),
        (timedelta(days=15), "two weeks"),
        (timedelta(days=1, hours=5), "a day"),
        (timedelta(hours=1), "an hour"),
        (timedelta(minutes=12, seconds=40), "12 minutes"),
        (timedelta(minutes=3), "three minutes"),
        (timedelta(seconds=20), "a few seconds"),
        (timedelta(seconds=-5), "a few seconds"),
    ],
)
def test_a_span_reads_as_a_letter_would_say_it(length, said):
    assert span(length) == said
