from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.homes import services
from dear.homes.access import home_for_member, housemates_of, members_of
from dear.homes.models import Home
from dear.lib.errors import Gone, Invalid, NotFound
from tests.helpers import make_person


def test_creating_a_home_makes_its_creator_a_member(jess):
    home = services.create_home(jess, "  The   flat ")
    assert home.name == "The flat"
    assert list(members_of(home)) == [jess]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_home_needs_a_sensible_name(jess, name):
    with pytest.raises(Invalid):
        services.create_home(jess, name)
    assert not Home.objects.exists()


def test_an_invite_lets_one_person_in_once(home, jess, db):
    invite = services.create_invite(jess, home.pk)
    newcomer = make_person("nell", "Nell")
    assert services.accept_invite(newcomer, invite.code) == home
    assert newcomer in members_of(home)
    latecomer = make_person("lou", "Lou")
    with pytest.raises(Gone):
        services.accept_invite(latecomer, invite.code)
    assert latecomer not in members_of(home)


def test_an_invite_expires_after_seven_days(home, jess, db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        invite = services.create_invite(jess, home.pk)
        assert invite.expires_at == timezone.now() + timedelta(days=7)
        clock.shift(timedelta(days=7, seconds=1))
        with pytest.raises(Gone):
            services.accept_invite(make_person("nell"), invite.code)


def test_a_member_opening_an_invite_leaves_it_for_someone_else(home, jess, rory):
    invite = services.create_invite(jess, home.pk)
    services.accept_invite(rory, invite.code)
    invite.refresh_from_db()
    assert invite.used_at is None


def test_an_unknown_invite_is_not_found(db, jess):
    with pytest.raises(NotFound):
        services.accept_invite(jess, "no-such-code")


def test_an_outsider_cannot_invite_into_a_home(home, other_home, olive):
    with pytest.raises(NotFound):
        services.create_invite(olive, home.pk)


def test_home_lookup_answers_missing_and_not_yours_alike(home, other_home, olive):
    with pytest.raises(NotFound) as not_yours:
        home_for_member(olive, home.pk)
    with pytest.raises(NotFound) as missing:
        home_for_member(olive, "0190d5a0-0000-7000-8000-000000000000")
    assert str(not_yours.value) == str(missing.value)


def test_housemates_span_every_home_and_exclude_oneself(home, other_home, jess, rory, sam, olive):
    assert set(housemates_of(jess)) == {rory, sam}
    assert list(housemates_of(olive)) == []
