import pytest
from django.test import Client

from tests.helpers import PASSWORD


def _error(response) -> str:
    html = response.content.decode()
    start = html.index('class="form-error"')
    return html[start : html.index("</p>", start)]


def test_login_with_the_right_password_logs_in_and_goes_home(jess, client):
    response = client.post("/login", {"username": "jess", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_follows_a_local_next_but_not_a_foreign_one(jess, client):
    response = client.post("/login", {"username": "jess", "password": PASSWORD, "next": "/inbox"})
    assert response["Location"] == "/inbox"
    other = Client()
    response = other.post(
        "/login", {"username": "jess", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_wrong_password_and_unknown_user_get_the_same_answer(jess, client):
    wrong = client.post("/login", {"username": "jess", "password": "not it at all"})
    unknown = client.post("/login", {"username": "nobody", "password": "not it at all"})
    assert wrong.status_code == unknown.status_code == 401
    assert _error(wrong) == _error(unknown)
    assert "Wrong username or password." in _error(wrong)


def test_guessing_slows_down_that_browser_and_says_how_long_to_wait(jess, client, settings):
    settings.LOGIN_LIMIT = 3
    for _ in range(3):
        assert client.post("/login", {"username": "jess", "password": "nope"}).status_code == 401
    response = client.post("/login", {"username": "jess", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert "Too many failed logins from here. Try again in a minute." in _error(response)


def test_a_browser_that_logged_in_before_is_let_in_while_others_guess_from_its_address(
    jess, settings
):
    settings.LOGIN_LIMIT = 3
    jess_laptop = Client(REMOTE_ADDR="192.168.1.1")  # the whole house, behind one router
    assert jess_laptop.post("/login", {"username": "jess", "password": PASSWORD}).status_code == 302
    assert jess_laptop.cookies["dear_device"]["httponly"]
    jess_laptop.post("/logout")

    guesser = Client(REMOTE_ADDR="192.168.1.1")
    for _ in range(3):
        assert guesser.post("/login", {"username": "jess", "password": "x"}).status_code == 401
    assert guesser.post("/login", {"username": "jess", "password": PASSWORD}).status_code == 429
    assert jess_laptop.post("/login", {"username": "jess", "password": PASSWORD}).status_code == 302


def test_the_per_address_limit_counts_the_client_address(jess, settings):
    settings.LOGIN_LIMIT_PER_ADDRESS = 2
    here = Client(REMOTE_ADDR="10.0.0.7")
    for name in ("a", "b"):
        assert here.post("/login", {"username": name, "password": "x"}).status_code == 401
    assert here.post("/login", {"username": "c", "password": "x"}).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.8")
    assert elsewhere.post("/login", {"username": "jess", "password": PASSWORD}).status_code == 302


def test_the_password_is_never_echoed_back(jess, client):
    response = client.post("/login", {"username": "jess", "password": "secret guess 123"})
    assert b"secret guess 123" not in response.content
    assert b'value="jess"' in response.content


def test_logout_needs_a_post_and_logs_out(jess, client_of):
    client = client_of(jess)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302
    assert response["Location"] == "/login"
    assert client.get("/inbox").status_code == 302


def test_a_logged_in_person_visiting_login_goes_home(jess, client_of):
    response = client_of(jess).get("/login")
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/login", "/logout"])
def test_posting_without_a_csrf_token_is_refused(jess, path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"username": "jess", "password": PASSWORD})
    assert response.status_code == 403
    assert b"Please try again" in response.content


def test_login_with_a_csrf_token_from_the_form_works(jess):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login")
    token = page.context["csrf_token"]
    response = client.post(
        "/login", {"username": "jess", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
