"""The search page, the archive page (export and import) and deleting an account."""

from __future__ import annotations

import io
import json
import zipfile

from dear.accounts.models import Person
from dear.letters.models import Letter
from tests.helpers import PASSWORD, make_letter, make_person, send_now


def test_search_shows_the_matching_passage_with_the_words_marked(client_of, home, jess, rory):
    letter = send_now(make_letter(jess, rory, body="Under the <em>coffee</em> cup, by the sink."))

    response = client_of(rory).get("/search", {"q": "coffee"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/letters/{letter.pk}"' in html
    assert "<mark>coffee</mark>" in html
    # The letter's own markup arrives as text, never as HTML.
    assert "&lt;em&gt;" in html
    assert "<em>" not in html


def test_search_never_shows_a_draft_to_its_recipient(client_of, home, jess, rory):
    make_letter(jess, rory, body="A secret about the lighthouse.")

    html = client_of(rory).get("/search", {"q": "lighthouse"}).content.decode()

    assert "secret" not in html
    assert "No letter you can read holds lighthouse." in html


def test_search_page_without_a_query_is_just_the_form(client_of, home, jess):
    response = client_of(jess).get("/search")

    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_an_unusable_query_is_explained_on_the_page(client_of, home, jess):
    response = client_of(jess).get("/search", {"q": "x" * 201})

    assert response.status_code == 422
    assert "at most 200 characters" in response.content.decode()


def test_the_export_button_downloads_every_letter(client_of, home, jess, rory):
    make_letter(jess, rory, body="Still a draft.")

    response = client_of(jess).get("/archive/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    bodies = [letter["body"] for letter in json.loads(archive.read("archive.json"))["letters"]]
    assert bodies == ["Still a draft."]


def test_uploading_an_export_restores_its_letters(client_of, home, jess, rory):
    send_now(make_letter(jess, rory, body="Across the sea."))
    exported = b"".join(client_of(jess).get("/archive/export").streaming_content)
    newcomer = make_person("newcomer", "Jess")
    upload = io.BytesIO(exported)
    upload.name = "dear.zip"

    response = client_of(newcomer).post("/archive/import", {"archive": upload})

    assert response.status_code == 302
    assert Letter.objects.get(writer=newcomer).body == "Across the sea."


def test_uploading_something_else_explains_what_is_wrong(client_of, home, jess):
    upload = io.BytesIO(b"a holiday photo")
    upload.name = "photo.jpg"

    response = client_of(jess).post("/archive/import", {"archive": upload})

    assert response.status_code == 422
    assert "not a zip" in response.content.decode()


def test_deleting_asks_twice_and_says_what_stays(client_of, home, jess, rory):
    send_now(make_letter(jess, rory, body="Delivered."))
    make_letter(jess, rory, body="A draft.")
    client = client_of(jess)

    first = client.get("/settings/delete").content.decode()
    assert "Download my letters" in first
    assert "1 draft" in first
    assert "1 letter that already reached its reader" in first

    second = client.post("/settings/delete/confirm")
    assert second.status_code == 200
    assert "Yes, delete my account for good" in second.content.decode()
    assert Person.objects.filter(pk=jess.pk).exists()


def test_a_wrong_password_keeps_the_account(client_of, home, jess):
    response = client_of(jess).post(
        "/settings/delete/confirm", {"confirm": "yes", "password": "nope"}
    )

    assert response.status_code == 422
    assert "Nothing was deleted" in response.content.decode()
    assert Person.objects.filter(pk=jess.pk).exists()


def test_deleting_with_the_password_ends_the_account_and_the_session(client_of, home, jess):
    client = client_of(jess)

    response = client.post("/settings/delete/confirm", {"confirm": "yes", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/login"
    assert not Person.objects.filter(pk=jess.pk).exists()
    assert client.get("/inbox").status_code == 302
