"""Only one person can be the first: signups racing on an empty Dear let exactly one in.
Real threads and committed transactions, as in test_sealed_concurrency."""

from __future__ import annotations

import pytest

from dear.accounts import services
from dear.accounts.models import Person
from dear.lib.errors import Forbidden
from tests.domain.test_sealed_concurrency import at_once
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 6


def test_of_several_first_signups_at_once_exactly_one_gets_in(settings):
    settings.OPEN_SIGNUP = False
    for round_ in range(4):
        Person.objects.all().delete()

        def sign_up(n, r=round_):
            try:
                return services.signup(
                    username=f"first-{r}-{n}", password=PASSWORD, display_name=f"First {n}"
                )
            except Forbidden:
                return None

        made = at_once(*[lambda n=n: sign_up(n) for n in range(RACERS)])
        assert len([person for person in made if person is not None]) == 1
        assert Person.objects.count() == 1
