from dear.accounts.models import ApiToken
from dear.accounts.services import issue_token, person_for_token
from tests.helpers import PASSWORD


def test_settings_shows_name_password_and_tokens(jess, client_of):
    html = client_of(jess).get("/settings").content.decode()
    assert 'value="Jess"' in html
    assert '<label for="old_password">Current password</label>' in html
    assert "No tokens yet." in html


def test_changing_the_display_name(jess, client_of):
    response = client_of(jess).post("/settings/profile", {"display_name": "  Jessie  "})
    assert response.status_code == 302
    jess.refresh_from_db()
    assert jess.display_name == "Jessie"


def test_an_empty_display_name_is_refused(jess, client_of):
    response = client_of(jess).post("/settings/profile", {"display_name": ""})
    assert response.status_code == 422
    assert b"Tell us the name you sign your letters with." in response.content


def test_changing_the_password_keeps_this_session_logged_in(jess, client_of):
    client = client_of(jess)
    response = client.post(
        "/settings/password", {"old_password": PASSWORD, "new_password": "a brand new secret"}
    )
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    jess.refresh_from_db()
    assert jess.check_password("a brand new secret")


def test_changing_the_password_needs_the_current_one(jess, client_of):
    response = client_of(jess).post(
        "/settings/password", {"old_password": "wrong", "new_password": "a brand new secret"}
    )
    assert response.status_code == 422
    assert b"Your current password is not right." in response.content
    jess.refresh_from_db()
    assert jess.check_password(PASSWORD)


def test_guessing_the_current_password_again_and_again_is_slowed_down(jess, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(jess)
    for guess in ("wrong", "wronger"):
        client.post("/settings/password", {"old_password": guess, "new_password": "a new secret"})

    response = client.post(
        "/settings/password", {"old_password": PASSWORD, "new_password": "a brand new secret"}
    )

    assert response.status_code == 429
    jess.refresh_from_db()
    assert jess.check_password(PASSWORD)


def test_changing_the_password_in_settings_ends_every_api_token(jess, client_of):
    # As a reset by email does: a new password is often the answer to a lost device.
    raw = issue_token(jess, "laptop")

    client_of(jess).post(
        "/settings/password", {"old_password": PASSWORD, "new_password": "a brand new secret"}
    )

    assert person_for_token(raw) is None


def test_a_new_token_is_shown_once_and_works(jess, client_of):
    client = client_of(jess)
    response = client.post("/settings/tokens", {"name": "laptop"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.encode() in response.content
    assert person_for_token(raw)[0] == jess
    again = client.get("/settings")
    assert raw.encode() not in again.content
    assert b"laptop" in again.content


def test_revoking_a_token_stops_it(jess, client_of):
    raw = issue_token(jess, "phone")
    token = ApiToken.objects.get(person=jess)
    response = client_of(jess).post(f"/settings/tokens/{token.pk}/revoke")
    assert response.status_code == 302
    assert person_for_token(raw) is None


def test_nobody_else_can_revoke_my_token(jess, rory, client_of):
    issue_token(jess, "phone")
    token = ApiToken.objects.get(person=jess)
    assert client_of(rory).post(f"/settings/tokens/{token.pk}/revoke").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
