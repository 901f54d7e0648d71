"""GET /search, GET /export and POST /import."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from dear.accounts.models import Person
from dear.archive import importer, imports, index
from dear.archive.models import Import, Upload
from dear.homes.models import Home
from dear.letters.models import Letter
from tests.api.conftest import PREFIX, client_for
from tests.helpers import PASSWORD, make_letter, make_person, send_now


def test_search_answers_letters_with_a_marked_snippet(as_rory, jess, rory):
    letter = send_now(make_letter(jess, rory, body="I left a note under the <b>coffee</b> cup."))

    response = as_rory.get("/search", {"q": "coffee"})

    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["id"] == str(letter.pk)
    assert item["from"]["display_name"] == "Jess"
    assert item["body"] == letter.body
    assert {"text": "coffee", "mark": True} in item["snippet"]
    assert "<b>" in "".join(part["text"] for part in item["snippet"])


def test_search_never_answers_a_draft_to_its_recipient(as_rory, jess, rory):
    make_letter(jess, rory, body="A secret draft about the lighthouse.")

    assert as_rory.get("/search", {"q": "lighthouse"}).json() == {"items": []}


def test_search_refuses_an_empty_or_overlong_query(as_jess):
    for params in ({"q": ""}, {"q": "x" * 201}, {}, {"q": "tea", "limit": 0}):
        response = as_jess.get("/search", params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid"


def test_search_limit_caps_the_answer(as_jess, jess, rory):
    for n in range(4):
        make_letter(jess, rory, body=f"Candle {n}.")

    assert len(as_jess.get("/search", {"q": "candle", "limit": 2}).json()["items"]) == 2


def test_export_is_a_zip_with_every_letter(as_jess, jess, rory):
    make_letter(jess, rory, body="Draft.")
    send_now(make_letter(rory, jess, body="To Jess."))

    response = as_jess.get("/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "dear-jess-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("archive.json"))
    assert sorted(letter["body"] for letter in data["letters"]) == ["Draft.", "To Jess."]


def _upload(token: str, content: bytes, name: str = "archive.zip"):
    client = Client(headers={"Authorization": f"Bearer {token}"})
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(f"{PREFIX}/import", {"archive": upload})


@pytest.fixture
def tasks_at_once(settings):
    """The worker's part of an import runs as soon as it is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_import_is_accepted_and_restored_by_the_worker(as_jess, jess, rory, tasks_at_once):
    send_now(make_letter(jess, rory, body="Across the sea."))
    exported = b"".join(as_jess.get("/export").streaming_content)
    newcomer = make_person("newcomer", "Jess")
    token = client_for(newcomer).token

    response = _upload(token, exported)

    assert response.status_code == 202, response.content
    answer = response.json()
    assert set(answer) == {"id", "state", "letters", "done", "error"}
    assert (answer["letters"], answer["error"]) == (1, "")
    progress = Client(headers={"Authorization": f"Bearer {token}"}).get(
        f"{PREFIX}/import/{answer['id']}"
    )
    assert progress.status_code == 200
    assert progress.json() == {**answer, "state": "done", "done": 1}
    assert Letter.objects.get(writer=newcomer).body == "Across the sea."


def test_import_answers_at_once_and_the_worker_restores_later(as_jess, jess, rory):
    send_now(make_letter(jess, rory, body="Across the sea."))
    exported = b"".join(as_jess.get("/export").streaming_content)
    newcomer = make_person("newcomer", "Jess")

    response = _upload(client_for(newcomer).token, exported)

    assert response.status_code == 202
    assert response.json()["state"] == "pending"
    assert not Letter.objects.filter(writer=newcomer).exists()
    (queued,) = DBTaskResult.objects.filter(task_path="dear.archive.imports.restore_import")
    assert queued.args_kwargs["args"] == [response.json()["id"]]


@pytest.mark.parametrize("not_an_id", ["null,null", "1", "not-an-import"])
def test_progress_of_something_that_is_not_an_import_id_is_not_found(as_jess, not_an_id):
    response = as_jess.get(f"/import/{not_an_id}")

    assert response.status_code == 404


def test_importing_the_same_archive_again_adds_nothing_and_says_when(
    as_jess, jess, rory, tasks_at_once
):
    send_now(make_letter(jess, rory, body="Across the sea."))
    exported = b"".join(as_jess.get("/export").streaming_content)
    newcomer = make_person("newcomer", "Jess")
    token = client_for(newcomer).token
    assert _upload(token, exported).status_code == 202

    again = _upload(token, exported)

    assert again.status_code == 409
    assert "You already imported this archive on " in again.json()["error"]["message"]
    assert Letter.objects.filter(writer=newcomer).count() == 1


def test_a_failed_import_says_why(as_jess, jess, rory, tasks_at_once, monkeypatch):
    send_now(make_letter(jess, rory, body="Across the sea."))
    exported = b"".join(as_jess.get("/export").streaming_content)
    monkeypatch.setattr(index, "add", lambda entries: 1 / 0)

    answer = _upload(as_jess.token, exported).json()

    shown = as_jess.get(f"/import/{answer['id']}").json()
    assert shown["state"] == "failed"
    assert "taken back" in shown["error"]
    assert Letter.objects.filter(writer=jess).count() == 1


def test_a_large_archive_is_checked_by_the_worker_and_a_wrong_one_fails_saying_why(
    as_jess, tasks_at_once, monkeypatch
):
    monkeypatch.setattr(imports, "CHECKED_AT_ONCE_BYTES", 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive.json", json.dumps({"format": "something else"}))

    answer = _upload(as_jess.token, buffer.getvalue())

    assert answer.status_code == 202
    shown = as_jess.get(f"/import/{answer.json()['id']}").json()
    assert shown["state"] == "failed"
    assert shown["error"] == "archive.json is not an archive exported from Dear."
    assert not Upload.objects.exists()
    assert Home.objects.count() == 1  # the flat, and nothing made


def test_a_zip_of_more_files_than_an_export_holds_is_too_large(as_jess, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ENTRIES", 3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(4):
            archive.writestr(f"letter-{n}.md", "Dear you,")

    answer = _upload(as_jess.token, buffer.getvalue())

    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert "more files than an export of 100,000 letters" in answer.json()["error"]["message"]
    assert not Import.objects.exists()


def test_import_of_a_file_that_is_not_an_export_says_so(as_jess):
    response = _upload(as_jess.token, b"hello, not a zip")

    assert response.status_code == 422
    assert "not a zip" in response.json()["error"]["message"]


def test_import_without_a_file_says_what_is_missing(as_jess):
    response = as_jess.post("/import", {})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_deleting_my_account_needs_my_password(as_jess, jess):
    response = as_jess.post("/me/delete", {"password": "not mine"})

    assert response.status_code == 422
    assert "Nothing was deleted" in response.json()["error"]["message"]
    assert Person.objects.filter(pk=jess.pk).exists()


def test_deleting_my_account_answers_what_went_and_what_stayed(as_jess, jess, rory):
    send_now(make_letter(jess, rory, body="Delivered."))
    make_letter(jess, rory, body="A draft.")

    response = as_jess.post("/me/delete", {"password": PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"deleted_letters": 1, "deleted_revisions": 2, "stay_with_readers": 1}
    assert not Person.objects.filter(pk=jess.pk).exists()
    assert as_jess.get("/me").status_code == 401
