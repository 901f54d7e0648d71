import re

from dear.accounts.models import ApiToken
from dear.accounts.services import issue_token, person_for_token, set_receipts
from dear.homes import services as homes
from tests.helpers import PASSWORD, make_person


def test_settings_shows_the_name_receipts_and_password(jess, client_of):
    html = client_of(jess).get("/settings").content.decode()
    assert 'value="Jess"' in html
    assert "Turn receipts off" in html
    assert '<label for="old_password">Current password</label>' in html


def test_settings_puts_what_changes_often_first_and_the_password_last(jess, client_of):
    html = client_of(jess).get("/settings").content.decode()
    headings = re.findall(r'<h2 id="[\w-]+">([^<]+)</h2>', html)
    assert headings == [
        "Your name",
        "Read receipts",
        "How Dear tells you",
        "Your time",
        "Quiet reminders",
        "Your password",
    ]


def test_settings_leaves_tokens_import_and_deletion_to_more(jess, client_of):
    html = client_of(jess).get("/settings").content.decode()
    assert 'action="/settings/tokens"' not in html
    assert "Make a token" not in html
    assert "API" not in html
    assert 'action="/archive/import"' not in html
    assert 'href="/settings/delete"' not in html
    assert 'href="/more"' in html


def test_receipts_are_one_button_that_says_what_it_does_for_both_people(jess, client_of):
    client = client_of(jess)
    html = client.get("/settings").content.decode()
    assert "the people who write to you see when you found and read their letters" in html
    assert "you see when they found and read yours" in html
    assert re.search(r'name="receipts" value="off"[^>]*>Turn receipts off</button>', html)

    followed = client.post("/settings/receipts", {"receipts": "off"}, follow=True)

    jess.refresh_from_db()
    assert jess.receipts is False
    page = followed.content.decode()
    assert "Receipts are off, both ways." in page
    assert "Your receipts are <strong>off</strong>." in page
    assert re.search(r'name="receipts" value="on"[^>]*>Turn receipts on</button>', page)


def test_receipts_turned_back_on_from_settings(jess, client_of):
    set_receipts(jess, False)
    client_of(jess).post("/settings/receipts", {"receipts": "on"})
    jess.refresh_from_db()
    assert jess.receipts is True


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


def test_the_tokens_page_has_its_own_heading_and_offers_to_make_one(jess, client_of):
    html = client_of(jess).get("/settings/tokens").content.decode()
    assert "<h1>For the terminal and other apps: tokens</h1>" in html
    assert "No tokens yet. Make one below" in html
    assert 'action="/settings/tokens"' in html
    assert "Make a token</button>" in html


def test_a_new_token_is_shown_once_and_works(jess, client_of):
    client = client_of(jess)
    response = client.post("/settings/tokens", {"name": "laptop"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.encode() in response.content
    assert person_for_token(raw)[0] == jess
    again = client.get("/settings/tokens")
    assert raw.encode() not in again.content
    assert b"laptop" in again.content
    assert b"last used" in again.content  # person_for_token used it just now


def test_a_token_name_too_long_is_refused_on_the_tokens_page(jess, client_of):
    response = client_of(jess).post("/settings/tokens", {"name": "x" * 81})
    assert response.status_code == 422
    html = response.content.decode()
    assert "A token name holds at most 80 characters." in html
    assert "<h1>For the terminal and other apps: tokens</h1>" in html
    assert not ApiToken.objects.filter(person=jess).exists()


def test_revoking_a_token_stops_it_and_goes_back_to_the_tokens(jess, client_of):
    raw = issue_token(jess, "phone")
    token = ApiToken.objects.get(person=jess)
    response = client_of(jess).post(f"/settings/tokens/{token.pk}/revoke")
    assert response.status_code == 302
    assert response["Location"] == "/settings/tokens"
    assert person_for_token(raw) is None


def test_nobody_else_can_revoke_my_token(jess, rory, client_of):
    issue_token(jess, "phone")
    token = ApiToken.objects.get(person=jess)
    assert client_of(rory).post(f"/settings/tokens/{token.pk}/revoke").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_tokens_page_lists_only_my_tokens(jess, rory, client_of):
    issue_token(jess, "jess laptop")
    issue_token(rory, "rory phone")
    html = client_of(jess).get("/settings/tokens").content.decode()
    assert "jess laptop" in html
    assert "rory phone" not in html


# More: everything of mine that is not a letter, one tap from the bar


def test_more_leads_to_settings_search_each_home_export_tokens_deletion_and_log_out(
    home, jess, client_of
):
    other = homes.create_home(jess, "The cabin")
    html = client_of(jess).get("/more").content.decode()
    assert "<h1>More</h1>" in html
    for href in ("/settings", "/search", "/archive", "/settings/tokens", "/settings/delete"):
        assert f'href="{href}"' in html
    assert f'href="/homes/{home.pk}">{home.name} ' in html
    assert f'href="/homes/{other.pk}">The cabin ' in html
    assert re.search(
        r'<form method="post" action="/logout">\s*<input type="hidden" name="csrfmiddlewaretoken"'
        r'[^>]*>\s*<button type="submit">Log out</button>',
        html,
    )
    assert "For the terminal and other apps: tokens" in html


def test_more_lists_only_my_homes(home, jess, olive, other_home, client_of):
    html = client_of(jess).get("/more").content.decode()
    assert f"/homes/{other_home.pk}" not in html
    assert f"/homes/{home.pk}" in html


def test_more_without_a_home_offers_to_make_one(db, client_of):
    loner = make_person("loner")
    html = client_of(loner).get("/more").content.decode()
    assert "You are in no home yet." in html
    assert 'href="/">Make one</a>' in html


def test_logging_out_from_more_ends_the_session(jess, client_of):
    client = client_of(jess)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/more")["Location"].startswith("/login")


def test_deleting_my_account_can_be_called_off_back_to_more(jess, client_of):
    client = client_of(jess)
    assert 'href="/more">No, keep my account</a>' in client.get("/settings/delete").content.decode()
    second = client.post("/settings/delete/confirm").content.decode()
    assert 'href="/more">No, keep it</a>' in second
