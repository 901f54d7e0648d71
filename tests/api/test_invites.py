from datetime import timedelta

import time_machine
from django.utils import timezone

from dear.homes.access import is_member
from dear.homes.models import Invite
from tests.api.conftest import client_for
from tests.helpers import make_person


def test_member_makes_an_invite_with_a_link_and_an_expiry(home, as_sam, settings):
    before = timezone.now()

    response = as_sam.post(f"/homes/{home.pk}/invites")

    assert response.status_code == 201
    invite = response.json()
    assert invite["url"] == f"http://testserver/invite/{invite['code']}"
    stored = Invite.objects.get(code=invite["code"])
    assert stored.home == home
    assert stored.expires_at >= before + timedelta(days=settings.INVITE_DAYS)


def test_accepting_an_invite_joins_its_home(home, olive, as_jess, as_olive):
    code = as_jess.post(f"/homes/{home.pk}/invites").json()["code"]

    response = as_olive.post(f"/invites/{code}/accept")

    assert response.status_code == 200
    assert response.json()["id"] == str(home.pk)
    assert is_member(olive, home)
    assert as_olive.get(f"/homes/{home.pk}").status_code == 200


def test_used_invite_answers_410(home, as_jess, as_olive):
    code = as_jess.post(f"/homes/{home.pk}/invites").json()["code"]
    as_olive.post(f"/invites/{code}/accept")
    latecomer = client_for(make_person("nell"))

    response = latecomer.post(f"/invites/{code}/accept")

    assert response.status_code == 410
    assert response.json()["error"]["code"] == "gone"


def test_expired_invite_answers_410_and_joins_nobody(home, olive, as_jess, as_olive, settings):
    code = as_jess.post(f"/homes/{home.pk}/invites").json()["code"]

    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITE_DAYS, minutes=1)):
        response = as_olive.post(f"/invites/{code}/accept")

    assert response.status_code == 410
    assert not is_member(olive, home)


def test_unknown_invite_answers_404(as_olive):
    response = as_olive.post("/invites/no-such-code/accept")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_member_opening_their_own_homes_invite_leaves_it_for_its_guest(home, as_jess, as_rory):
    code = as_jess.post(f"/homes/{home.pk}/invites").json()["code"]

    assert as_rory.post(f"/invites/{code}/accept").status_code == 200
    assert Invite.objects.get(code=code).used_at is None


def test_outsider_cannot_invite_into_a_home(home, as_olive):
    response = as_olive.post(f"/homes/{home.pk}/invites")

    assert response.status_code == 404
    assert not Invite.objects.exists()
