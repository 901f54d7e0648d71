from django.contrib.auth import get_user_model

from dear.homes.models import Home
from dear.mutual import services as mutual
from tests.helpers import PASSWORD, make_letter, make_person, send_now

WELCOME = {
    "display_name": "Ada",
    "username": "ada",
    "password": PASSWORD,
    "home_name": "The lighthouse",
}


def test_root_shows_the_welcome_page_when_nobody_exists(db, client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Welcome to Dear" in response.content
    assert b'action="/welcome"' in response.content


def test_welcome_makes_the_first_person_and_their_home_and_logs_them_in(db, client):
    response = client.post("/welcome", WELCOME)
    assert response.status_code == 302
    assert response["Location"] == "/"
    ada = get_user_model().objects.get(username="ada")
    assert ada.display_name == "Ada"
    assert list(Home.objects.of_member(ada).values_list("name", flat=True)) == ["The lighthouse"]
    page = client.get("/")
    assert b"The lighthouse" in page.content
    # Nobody else lives there yet: the home page offers the invite itself.
    assert b"Invite someone to The lighthouse" in page.content


def test_root_sends_a_logged_out_visitor_to_login_once_someone_exists(jess, client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/"


def test_welcome_is_refused_once_someone_exists(jess, client):
    response = client.post("/welcome", {**WELCOME, "username": "intruder"})
    assert response.status_code == 403
    assert b"needs an invite" in response.content
    assert b"Create my home" not in response.content
    assert not get_user_model().objects.filter(username="intruder").exists()


def test_welcome_with_a_weak_password_shows_the_form_again_and_makes_nobody(db, client):
    response = client.post("/welcome", {**WELCOME, "password": "qx7k"})
    assert response.status_code == 422
    assert b"at least 8 characters" in response.content
    assert b'value="ada"' in response.content
    assert b"qx7k" not in response.content
    assert not get_user_model().objects.exists()


def test_welcome_without_a_home_name_makes_no_account_either(db, client):
    response = client.post("/welcome", {**WELCOME, "home_name": "  "})
    assert response.status_code == 422
    assert b"Give the home a name." in response.content
    assert not get_user_model().objects.exists()


def test_home_page_lists_housemates_with_a_way_to_write_to_each(home, jess, client_of):
    page = client_of(jess).get("/").content.decode()
    assert "The flat" in page
    assert "Write to Rory" in page
    assert "Write to Sam" in page
    assert "Write to Jess" not in page


def test_home_page_shows_unread_letters_waiting_and_not_read_ones(home, jess, rory, client_of):
    unread = send_now(make_letter(jess, rory, body="Unread words"))
    read = send_now(make_letter(jess, rory, body="Already read words"))
    client = client_of(rory)
    client.get(f"/letters/{read.pk}")
    page = client.get("/").content.decode()
    assert f"/letters/{unread.pk}" in page
    assert f"/letters/{read.pk}" not in page


def test_person_without_a_home_is_offered_to_make_one(db, client_of):
    lone = make_person("lone", "Lone")
    client = client_of(lone)
    assert b"Make a home" in client.get("/").content
    response = client.post("/homes", {"name": "Attic"})
    assert response.status_code == 302
    assert list(Home.objects.of_member(lone).values_list("name", flat=True)) == ["Attic"]


def test_making_a_home_without_a_name_shows_why(db, client_of):
    response = client_of(make_person("lone")).post("/homes", {"name": ""})
    assert response.status_code == 422
    assert b"Give the home a name." in response.content


def test_someone_nothing_has_reached_is_not_told_everything_was_read(home, rory, client_of):
    page = client_of(rory).get("/").content.decode()
    assert "Nothing has come for you yet." in page
    assert "Everything that reached you has been read." not in page


def test_someone_who_read_everything_is_told_so(delivered, rory, client_of):
    client = client_of(rory)
    client.get(f"/letters/{delivered.pk}")
    page = client.get("/").content.decode()
    assert "Nothing new. Everything that reached you has been read." in page
    assert "Nothing has come for you yet." not in page


def _what_waits(page: str) -> str:
    return page[page.index('id="waiting-heading"') : page.index("All your letters</a>")]


def test_a_sealed_letter_for_you_is_part_of_what_waits(home, jess, rory, client_of):
    mutual.seal(jess, make_letter(jess, rory).pk)

    page = client_of(rory).get("/").content.decode()

    assert "Nothing has come for you yet." not in page
    waits = _what_waits(page)
    assert "Sealed for you</h3>" in waits
    assert "Jess sealed a letter for you. It opens when you seal one back." in waits


def test_with_everything_read_a_sealed_letter_still_waits(delivered, jess, rory, client_of):
    client = client_of(rory)
    client.get(f"/letters/{delivered.pk}")
    mutual.seal(jess, make_letter(jess, rory).pk)

    waits = _what_waits(client.get("/").content.decode())

    assert "Nothing new" not in waits and "Nothing has come" not in waits
    assert "Jess sealed a letter for you." in waits


def test_a_blind_sealed_letter_leaves_home_as_it_was(home, jess, rory, client_of):
    mutual.seal(jess, make_letter(jess, rory).pk, blind=True)

    page = client_of(rory).get("/").content.decode()

    assert "Nothing has come for you yet." in page
    assert "Sealed for you" not in page


def test_the_home_page_leads_to_all_the_letters(home, jess, client_of):
    assert 'href="/letters"' in client_of(jess).get("/").content.decode()
