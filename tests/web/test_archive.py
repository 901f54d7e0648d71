"""The search page, the archive page (export and import) and deleting an account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from dear.accounts.models import Person
from dear.archive import imports, index
from dear.archive.models import Import
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


@pytest.fixture
def tasks_at_once(settings):
    """The worker's part of an import runs as soon as it is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _named(content: bytes) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = "dear.zip"
    return upload


def _export_of(client) -> io.BytesIO:
    return _named(b"".join(client.get("/archive/export").streaming_content))


def test_uploading_an_export_restores_its_letters(client_of, home, jess, rory, tasks_at_once):
    send_now(make_letter(jess, rory, body="Across the sea."))
    upload = _export_of(client_of(jess))
    newcomer = make_person("newcomer", "Jess")
    client = client_of(newcomer)

    response = client.post("/archive/import", {"archive": upload})

    assert response.status_code == 302
    assert response["Location"] == "/archive"
    assert Letter.objects.get(writer=newcomer).body == "Across the sea."
    page = client.get("/archive").content.decode()
    assert "1 letter restored" in page
    assert 'http-equiv="refresh"' not in page


def test_the_archive_page_shows_an_import_under_way_and_looks_again(client_of, home, jess, rory):
    send_now(make_letter(jess, rory, body="Across the sea."))
    client = client_of(jess)
    job = imports.start(jess, _export_of(client))
    Import.objects.filter(pk=job.pk).update(state="running", letters_done=0)

    page = client.get("/archive").content.decode()

    assert "Restoring 1 letter: 0 so far." in page
    assert f'<progress id="progress-{job.pk}" max="1" value="0">' in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_a_large_archive_waiting_for_its_check_says_so(client_of, home, jess, rory, monkeypatch):
    send_now(make_letter(jess, rory, body="Across the sea."))
    client = client_of(jess)
    monkeypatch.setattr(imports, "CHECKED_AT_ONCE_BYTES", 0)
    imports.start(jess, _export_of(client))

    page = client.get("/archive").content.decode()

    assert "Checking the archive you sent" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_a_failed_import_is_shown_with_its_reason(
    client_of, home, jess, rory, tasks_at_once, monkeypatch
):
    send_now(make_letter(jess, rory, body="Across the sea."))
    client = client_of(jess)
    monkeypatch.setattr(index, "add", lambda entries: 1 / 0)

    client.post("/archive/import", {"archive": _export_of(client)})

    page = client.get("/archive").content.decode()
    assert "failed." in page
    assert "everything it had made was taken back" in page


def test_uploading_the_same_export_twice_says_it_was_imported_before(
    client_of, home, jess, rory, tasks_at_once
):
    send_now(make_letter(jess, rory, body="Across the sea."))
    client = client_of(jess)
    exported = _export_of(client).getvalue()
    client.post("/archive/import", {"archive": _named(exported)})
    before = Letter.objects.count()

    response = client.post("/archive/import", {"archive": _named(exported)})

    assert response.status_code == 409
    assert "You already imported this archive on" in response.content.decode()
    assert Letter.objects.count() == before


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
