"""An import not yet done is nobody's: its letters are not seen or changed by anyone until
it is, the same letters are never imported twice however the archive is laid out, and
an account deleted mid-import takes that import back whole."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pytest
from django.test import Client

from dear.accounts.models import Person
from dear.accounts.services import issue_token
from dear.archive import imports, restore
from dear.archive.models import Import
from dear.archive.search import search
from dear.archive.services import delete_account, farewell
from dear.letters import access, boxes
from dear.letters.models import Letter, State
from dear.letters.services import save_letter
from dear.lib.errors import Conflict, NotFound
from dear.notify import outbox
from tests.domain.test_import_batches import _small_batches, counts  # noqa: F401
from tests.helpers import PASSWORD, import_now, make_person

BOXES = ("inbox", "sent", "drafts", "drawer")


def _run_until(job, monkeypatch, letters: int) -> None:
    """Run the import until this many letters are in, and hand the rest on."""
    batch = restore.batch

    def watched(job, some, by_id):
        batch(job, some, by_id)
        if job.letters_done >= letters:
            outbox.stopping.set()

    monkeypatch.setattr(restore, "batch", watched)
    try:
        assert imports.run(str(job.pk)) == "running"
    finally:
        outbox.stopping.clear()
        monkeypatch.setattr(restore, "batch", batch)


def _seen_anywhere(person, letter_ids) -> dict:
    web, api = Client(), Client(headers={"Authorization": f"Bearer {issue_token(person, 't')}"})
    web.force_login(person)
    found = {
        "boxes": {box: len(boxes.page(person, box=box)[0]) for box in BOXES},
        "counts": sum(dataclasses.astuple(boxes.counts(person))),
        "search": len(search(person, "stairs")) + len(search(person, "garden")),
        "pages": [web.get(f"/letters/{pk}").status_code for pk in letter_ids],
        "api": [api.get(f"/api/v1/letters/{pk}").status_code for pk in letter_ids],
    }
    for pk in letter_ids:
        try:
            access.seen_letter(person, pk)
        except NotFound:
            continue
        found.setdefault("seen", []).append(pk)
    return found


def test_letters_of_an_import_not_yet_done_are_nobodys_to_see_or_change(archive, db, monkeypatch):
    newcomer = make_person("jess2", "Jess")
    job = imports.start(newcomer, io.BytesIO(archive))
    _run_until(job, monkeypatch, 4)
    # Every letter, seen or not: the import's are in homes nobody is a member of yet.
    made = list(Letter._base_manager.filter(home__memberships__isnull=True))
    assert len(made) == 4
    ids = [letter.pk for letter in made]
    (draft,) = [letter for letter in made if letter.state == State.DRAFT]

    assert _seen_anywhere(newcomer, ids) == {
        "boxes": dict.fromkeys(BOXES, 0),
        "counts": 0,
        "search": 0,
        "pages": [404] * 4,
        "api": [404] * 4,
    }
    assert set(dataclasses.astuple(farewell(newcomer))) == {0}  # nothing of theirs yet
    with pytest.raises(NotFound):
        save_letter(newcomer, draft.pk, revision=draft.revision, body="Mine now.")
    api = Client(headers={"Authorization": f"Bearer {issue_token(newcomer, 'u')}"})
    answer = api.patch(
        f"/api/v1/letters/{draft.pk}",
        data=json.dumps({"revision": draft.revision, "body": "Mine now."}),
        content_type="application/json",
    )
    assert answer.status_code == 404
    draft.refresh_from_db()
    assert (draft.body, draft.revisions.count()) == ("A draft about the garden.", 1)

    assert imports.run(str(job.pk)) == "done"

    seen = _seen_anywhere(newcomer, ids)
    assert seen["boxes"] == {"inbox": 2, "sent": 1, "drafts": 1, "drawer": 1}
    assert seen["search"] == 2
    assert seen["pages"] == seen["api"] == [200] * 4
    assert sorted(seen["seen"]) == sorted(ids)


def _laid_out_again(archive: bytes) -> bytes:
    """The same archive.json, indented, its keys sorted, zipped again."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        data = json.loads(source.read("archive.json"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("archive.json", json.dumps(data, indent=2, sort_keys=True))
    return buffer.getvalue()


def test_the_same_archive_laid_out_again_is_still_the_same_archive(archive, db):
    newcomer = make_person("jess2", "Jess")
    import_now(newcomer, io.BytesIO(archive))
    before = counts()

    with pytest.raises(Conflict) as refused:
        imports.start(newcomer, io.BytesIO(_laid_out_again(archive)))

    assert "You already imported this archive on " in refused.value.message
    assert counts() == before
    assert Import.objects.filter(person=newcomer).count() == 1


def test_a_large_archive_laid_out_again_is_refused_by_the_worker(archive, db, monkeypatch):
    newcomer = make_person("jess2", "Jess")
    import_now(newcomer, io.BytesIO(archive))
    before = counts()
    monkeypatch.setattr(imports, "CHECKED_AT_ONCE_BYTES", 0)  # checked by the worker

    again = import_now(newcomer, io.BytesIO(_laid_out_again(archive)))

    assert again.state == "failed"
    assert "You already imported this archive on " in again.error
    assert counts() == before


def assert_taken_back(before: dict) -> None:
    # The one former member every deleted account leaves in its place, and nobody else:
    # not Rory as the archive named him.
    assert counts() == {**before, "people": before["people"] + 1}
    assert Letter._base_manager.count() == before["letters"]
    assert not Person.objects.filter(display_name="Rory", is_active=False).exists()


def test_an_account_deleted_mid_import_takes_the_import_back_whole(archive, db, monkeypatch):
    before = counts()
    newcomer = make_person("jess2", "Jess")
    job = imports.start(newcomer, io.BytesIO(archive))
    _run_until(job, monkeypatch, 2)
    assert Letter._base_manager.count() == before["letters"] + 2

    delete_account(newcomer, PASSWORD)

    assert_taken_back(before)
    assert not Import.objects.exists()
    assert imports.run(str(job.pk)) == "gone"


def test_an_account_deleted_while_a_batch_is_made_stops_the_import(archive, db, monkeypatch):
    before = counts()
    newcomer = make_person("jess2", "Jess")
    job = imports.start(newcomer, io.BytesIO(archive))
    batch = restore.batch

    def leaves_after_one(job, some, by_id):
        if job.letters_done == 2:
            delete_account(newcomer, PASSWORD)
        batch(job, some, by_id)

    monkeypatch.setattr(restore, "batch", leaves_after_one)

    assert imports.run(str(job.pk)) == "gone"
    assert_taken_back(before)
