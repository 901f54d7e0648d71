import re
from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from dear.homes import services as homes
from dear.homes.access import is_member
from tests.helpers import PASSWORD

SIGNUP = {"display_name": "Bea", "username": "bea", "password": PASSWORD}


def test_a_member_makes_an_invite_and_sees_its_link_expiry_and_qr_code(home, jess, client_of):
    response = client_of(jess).post(f"/homes/{home.pk}/invites")
    assert response.status_code == 200
    html = response.content.decode()
    invite = home.invites.get()
    assert f'value="http://testserver/invite/{invite.code}"' in html
    assert f'datetime="{invite.expires_at.isoformat()}"' in html
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "style" not in svg
    assert "<title>QR code of the link</title>" in svg


ONLY_HERE = "This link opens only on this computer"


def test_an_invite_made_on_the_server_itself_says_a_phone_cannot_open_it(home, jess, client_of):
    html = client_of(jess).post(f"/homes/{home.pk}/invites", HTTP_HOST="127.0.0.1:8000")
    assert 'value="http://127.0.0.1:8000/invite/' in html.content.decode()
    assert ONLY_HERE in html.content.decode()
    elsewhere = client_of(jess).post(f"/homes/{home.pk}/invites", HTTP_HOST="192.168.1.20:8000")
    assert 'value="http://192.168.1.20:8000/invite/' in elsewhere.content.decode()
    assert ONLY_HERE not in elsewhere.content.decode()


def test_an_invite_made_on_the_server_itself_names_the_address_phones_would_open(
    home, jess, client_of, settings
):
    # What `dear serve` on 127.0.0.1 found as this computer's address on the home network.
    settings.LAN_URL = "http://192.168.1.20:8000/"
    html = client_of(jess).post(f"/homes/{home.pk}/invites", HTTP_HOST="127.0.0.1:8000")
    html = html.content.decode()
    assert ONLY_HERE + ": Dear is listening here alone, so a phone cannot reach it." in html
    assert "start Dear with <code>dear serve --host 0.0.0.0</code>" in html
    assert (
        "they will find it at <code>http://192.168.1.20:8000/</code>. "
        "Open Dear at that address and make the invite there."
    ) in html


def test_an_invite_names_the_public_url_whatever_address_the_browser_used(
    home, jess, client_of, settings
):
    settings.PUBLIC_URL = "http://dear.home:8000"
    settings.LAN_URL = "http://192.168.1.20:8000/"
    html = client_of(jess).post(f"/homes/{home.pk}/invites", HTTP_HOST="127.0.0.1:8000")
    invite = home.invites.get()
    assert f'value="http://dear.home:8000/invite/{invite.code}"' in html.content.decode()
    assert ONLY_HERE not in html.content.decode()
    assert "192.168.1.20" not in html.content.decode()


def test_an_outsider_cannot_make_an_invite_to_a_home_not_theirs(home, other_home, olive, client_of):
    response = client_of(olive).post(f"/homes/{home.pk}/invites")
    assert response.status_code == 404
    assert not home.invites.exists()


def test_an_invite_link_shows_a_signup_form_when_logged_out(home, jess, client):
    invite = homes.create_invite(jess, home.pk)
    response = client.get(f"/invite/{invite.code}")
    assert response.status_code == 200
    assert b"Join The flat" in response.content
    assert b"Jess invited you" in response.content
    assert b"Sign up and join" in response.content


def test_signing_up_through_an_invite_joins_the_home_and_logs_in(home, jess, client):
    invite = homes.create_invite(jess, home.pk)
    response = client.post(f"/invite/{invite.code}", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/"
    bea = get_user_model().objects.get(username="bea")
    assert is_member(bea, home)
    page = client.get("/").content.decode()
    assert "Welcome to The flat." in page
    assert "Write to Jess" in page


def test_signup_with_a_taken_username_shows_the_form_again_and_keeps_the_invite(home, jess, client):
    invite = homes.create_invite(jess, home.pk)
    response = client.post(f"/invite/{invite.code}", {**SIGNUP, "username": "rory"})
    assert response.status_code == 422
    assert b"That username is taken." in response.content
    assert b"Sign up and join" in response.content
    invite.refresh_from_db()
    assert invite.used_at is None


def test_a_logged_in_person_joins_with_a_button(home, other_home, jess, olive, client_of):
    invite = homes.create_invite(jess, home.pk)
    client = client_of(olive)
    assert b"Join this home" in client.get(f"/invite/{invite.code}").content
    assert client.post(f"/invite/{invite.code}").status_code == 302
    assert is_member(olive, home)


def test_a_used_invite_answers_410(home, jess, client):
    invite = homes.create_invite(jess, home.pk)
    client.post(f"/invite/{invite.code}", SIGNUP)
    stranger = Client()
    response = stranger.get(f"/invite/{invite.code}")
    assert response.status_code == 410
    assert b"used or has expired" in response.content
    again = stranger.post(f"/invite/{invite.code}", {**SIGNUP, "username": "cal"})
    assert again.status_code == 410
    assert not get_user_model().objects.filter(username="cal").exists()


def test_an_expired_invite_answers_410(home, jess, client):
    invite = homes.create_invite(jess, home.pk)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get(f"/invite/{invite.code}").status_code == 410
        assert client.post(f"/invite/{invite.code}", SIGNUP).status_code == 410
    assert not get_user_model().objects.filter(username="bea").exists()


def test_an_unknown_invite_answers_404(db, client):
    response = client.get("/invite/no-such-code")
    assert response.status_code == 404
    assert b"There is no such invite" in response.content
