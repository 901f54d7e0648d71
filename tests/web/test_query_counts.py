"""List pages stay O(1) in queries as a home's letters grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import make_letter, send_now


def _letters_both_ways(jess, rory, count: int) -> None:
    for n in range(count):
        writer, reader = (jess, rory) if n % 2 else (rory, jess)
        send_now(make_letter(writer, reader, body=f"letter {n}"))


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# session, person, then each page's own reads: exact, so a new query per page shows up here.
PAGES = {
    "/": 9,  # + the homes' places, + notes left at archived places, + sealed for me
    "/inbox": 4,
    "/with/{rory}": 8,  # each direction walks its writer's own index: 2 × (letters + 2 prefetches)
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_a_page_runs_the_same_queries_for_3_letters_as_for_30(home, jess, rory, client_of, path):
    client = client_of(jess)
    url = path.format(rory=rory.pk)
    _letters_both_ways(jess, rory, 3)
    with_three = _queries(client, url)
    _letters_both_ways(jess, rory, 27)
    with_thirty = _queries(client, url)
    assert with_three == with_thirty == PAGES[path]


@pytest.mark.parametrize("path", sorted(PAGES))
def test_a_page_runs_its_exact_number_of_queries(
    home, jess, rory, client_of, path, django_assert_num_queries
):
    client = client_of(jess)
    _letters_both_ways(jess, rory, 30)
    with django_assert_num_queries(PAGES[path]):
        client.get(path.format(rory=rory.pk))
