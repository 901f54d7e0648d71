import ipaddress
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.accounts.models import ApiToken
from tests.api.conftest import ApiClient, client_for
from tests.helpers import PASSWORD


def log_in(username, password=PASSWORD, address="127.0.0.1", name="", **headers):
    body = {"username": username, "password": password, "name": name}
    client = ApiClient(address=address)
    client.client.defaults.update(headers)  # e.g. what a proxy adds: X-Forwarded-For
    return client.post("/tokens", body)


def test_right_password_gives_a_token_that_works(jess):
    response = log_in("jess", name="laptop")

    assert response.status_code == 201
    token = response.json()["token"]
    assert ApiClient(token).get("/me").json()["username"] == "jess"
    assert ApiToken.objects.get(person=jess).name == "laptop"


def test_wrong_password_and_unknown_user_answer_the_same_401(jess):
    wrong_password = log_in("jess", "not the password")
    unknown_user = log_in("nobody-here", "not the password")

    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()
    assert wrong_password.json()["error"]["code"] == "unauthorized"


def test_guessing_from_anywhere_else_never_refuses_the_right_password(jess, settings):
    settings.LOGIN_LIMIT = 5
    for _ in range(5):
        assert log_in("jess", "wrong", address="10.0.0.1").status_code == 401
    guessed_at = log_in("jess", address="10.0.0.1")
    assert guessed_at.status_code == 429
    assert guessed_at.json()["error"]["code"] == "rate_limited"
    assert guessed_at.headers["Retry-After"] == "1"

    assert log_in("jess", address="10.0.0.99").status_code == 201


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(jess, settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.2"),)
    settings.LOGIN_LIMIT = 2
    guesser = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(2):
        assert log_in("jess", "wrong", address="10.0.0.2", **guesser).status_code == 401
    assert log_in("jess", address="10.0.0.2", **guesser).status_code == 429
    jess_phone = {"HTTP_X_FORWARDED_FOR": "192.168.1.20"}
    assert log_in("jess", address="10.0.0.2", **jess_phone).status_code == 201


def test_address_is_rate_limited_after_too_many_failures_on_any_account(jess, rory, settings):
    settings.LOGIN_LIMIT_PER_ADDRESS = 5
    for name in ("a", "b", "c", "d", "e"):
        assert log_in(name, "wrong", address="10.0.0.7").status_code == 401

    assert log_in("rory", address="10.0.0.7").status_code == 429
    assert log_in("rory", address="10.0.0.8").status_code == 201


def test_rate_limit_lifts_when_the_window_has_passed(jess, settings):
    settings.LOGIN_LIMIT = 5
    for _ in range(5):
        log_in("jess", "wrong")
    assert log_in("jess").status_code == 429

    later = timezone.now() + timedelta(seconds=settings.LOGIN_WINDOW_SECONDS + 1)
    with time_machine.travel(later):
        assert log_in("jess").status_code == 201


def test_revoking_the_current_token_ends_it_and_only_it(jess):
    first = client_for(jess)
    second = client_for(jess)

    response = first.delete("/tokens/current")

    assert response.status_code == 204
    assert first.get("/me").status_code == 401
    assert second.get("/me").status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer dear_not-a-real-token", "Bearer nonsense", "Basic amVzczpwdw=="],
)
def test_missing_or_bad_token_answers_401_in_the_error_format(jess, header):
    client = ApiClient()
    if header:
        client.client.defaults["HTTP_AUTHORIZATION"] = header

    response = client.get("/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_a_disabled_person_stops_working(jess):
    client = client_for(jess)
    jess.is_active = False
    jess.save()

    assert client.get("/me").status_code == 401


def test_overlong_token_name_is_refused_with_422(jess):
    assert log_in("jess", name="x" * 81).status_code == 422
