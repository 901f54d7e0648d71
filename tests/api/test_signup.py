from datetime import timedelta

import time_machine
from django.utils import timezone

from dear.accounts.models import Person
from dear.homes.models import Invite
from dear.homes.services import create_invite
from tests.api.conftest import ApiClient
from tests.helpers import make_home, make_person

PASSWORD = "a long enough secret"


def signup(**fields):
    body = {"username": "nell", "password": PASSWORD, "display_name": "Nell", **fields}
    return ApiClient().post("/signup", body)


def test_first_person_signs_up_without_invite_and_gets_a_working_token(db):
    response = signup(email="nell@example.org")

    assert response.status_code == 201
    answer = response.json()
    assert answer["person"]["username"] == "nell"
    assert answer["person"]["display_name"] == "Nell"
    assert set(answer["person"]) == {"id", "username", "display_name"}
    me = ApiClient(answer["token"]).get("/me")
    assert me.status_code == 200
    assert me.json()["id"] == answer["person"]["id"]


def test_signup_without_invite_is_forbidden_once_someone_exists(jess):
    response = signup()

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Person.objects.filter(username="nell").exists()


def test_open_signup_lets_anyone_in(jess, settings):
    settings.OPEN_SIGNUP = True

    assert signup().status_code == 201


def test_signup_with_invite_joins_its_home(jess, home):
    invite = create_invite(jess, home.pk)

    response = signup(invite=invite.code)

    assert response.status_code == 201
    me = ApiClient(response.json()["token"]).get("/me").json()
    assert me["homes"] == [{"id": str(home.pk), "name": "The flat"}]
    invite.refresh_from_db()
    assert invite.used_at is not None


def test_used_invite_answers_410_and_creates_nobody(jess, home):
    invite = create_invite(jess, home.pk)
    assert signup(invite=invite.code).status_code == 201

    response = signup(invite=invite.code, username="second")

    assert response.status_code == 410
    assert response.json()["error"]["code"] == "gone"
    assert not Person.objects.filter(username="second").exists()


def test_expired_invite_answers_410(jess, home, settings):
    invite = create_invite(jess, home.pk)

    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITE_DAYS, seconds=1)):
        response = signup(invite=invite.code)

    assert response.status_code == 410
    assert not Person.objects.filter(username="nell").exists()


def test_unknown_invite_answers_403(jess):
    response = signup(invite="no-such-code")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Person.objects.filter(username="nell").exists()


def test_invite_is_checked_before_open_signup(jess, home, settings):
    settings.OPEN_SIGNUP = True
    invite = create_invite(jess, home.pk)
    Invite.objects.filter(pk=invite.pk).update(used_at=timezone.now())

    assert signup(invite=invite.code).status_code == 410


def test_short_password_is_refused_with_422(db):
    response = signup(password="short")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert not Person.objects.exists()


def test_closed_signup_answers_403_without_saying_whether_a_username_is_taken(db):
    make_home("Nell's", make_person("nell"))

    taken = signup(username="NELL")
    free = signup(username="someone")

    assert taken.status_code == free.status_code == 403
    assert taken.json() == free.json()


def test_taken_username_with_open_signup_is_refused_with_422(jess, settings):
    settings.OPEN_SIGNUP = True

    response = signup(username="Jess")

    assert response.status_code == 422
    assert "taken" in response.json()["error"]["message"]


def test_missing_field_is_named_in_the_422(db):
    response = ApiClient().post("/signup", {"username": "nell", "password": PASSWORD})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"].startswith("display_name:")
    assert error["fields"][0]["field"] == "display_name"


def test_malformed_email_is_refused_with_422(db):
    response = signup(email="not an address")

    assert response.status_code == 422
    assert "email" in response.json()["error"]["message"]
