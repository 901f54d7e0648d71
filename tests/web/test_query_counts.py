"""List pages stay O(1) in queries as a home's letters grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dear.homes.models import Membership
from dear.notify import reminders
from tests.helpers import make_letter, make_person, send_now


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
    "/": 12,  # + the homes' places, + notes left at archived places, + sealed for me,
    # + quiet reminders (one query with the last letter each way as subqueries),
    # + glances that met in the last day, + my own glances still waiting
    "/inbox": 4,
    "/letters": 5,  # three counts: the writer's own letters, the inbox, sealed for them
    "/homes/{home}": 6,  # the access check, then the home, its members, its places
    "/with/{rory}": 8,  # each direction walks its writer's own index: 2 letter queries,
    # + their deliveries, + the shared home, + the reminder about them, with its quiet so far
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_a_page_runs_the_same_queries_for_3_letters_as_for_30(home, jess, rory, client_of, path):
    client = client_of(jess)
    url = path.format(rory=rory.pk, home=home.pk)
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
        client.get(path.format(rory=rory.pk, home=home.pk))


REMINDER_PAGES = {"/": "since you and", "/settings": "/reminder/stop", "/with/{rory}": "Rory wrote"}


@pytest.mark.parametrize("path", sorted(REMINDER_PAGES))
def test_reminders_cost_one_query_however_many_there_are(home, jess, rory, client_of, path):
    client = client_of(jess)
    url = path.format(rory=rory.pk)
    mates = [make_person(f"mate{n}") for n in range(4)]
    for mate in mates:
        Membership.objects.create(home=home, person=mate)
    _letters_both_ways(jess, rory, 3)
    reminders.set_reminder(jess, rory.pk, after_days=1)
    later = timezone.now() + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        with_one = _queries(client, url)
        assert REMINDER_PAGES[path] in client.get(url).content.decode()
    for mate in mates:
        reminders.set_reminder(jess, mate.pk, after_days=1)
        send_now(make_letter(mate, jess))
    _letters_both_ways(jess, rory, 10)
    with time_machine.travel(later + timedelta(days=2), tick=False):
        with_five = _queries(client, url)
        page = client.get(url).content.decode()
    assert with_one == with_five
    if path == "/":
        assert page.count("since you and") == 5
