"""An import never holds the house: batches in short transactions, its homes hidden until
it is done, a failure taken back whole, and the same archive never imported twice."""

from __future__ import annotations

import gc
import io
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dear.accounts.models import Person
from dear.archive import importer, imports, index, restore
from dear.archive.models import Entry, Import, Upload
from dear.archive.search import search
from dear.homes.models import Home, Place
from dear.letters.models import Delivery, Letter, Revision
from dear.lib.errors import Conflict, TooLarge
from dear.notify import outbox
from tests.helpers import import_now, make_person


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(restore, "BATCH", 2)
    monkeypatch.setattr(restore, "rest", lambda busy: None)


def counts() -> dict:
    return {
        "homes": Home.objects.count(),
        "places": Place.objects.count(),
        "people": Person.objects.count(),
        "letters": Letter.objects.count(),
        "deliveries": Delivery.objects.count(),
        "revisions": Revision.objects.count(),
        "entries": Entry.objects.count(),
    }


def fts_rows() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM archive_fts")
        return cursor.fetchone()[0]


def test_letters_are_restored_a_batch_at_a_time_with_progress_between(archive, db):
    newcomer = make_person("jess2", "Jess")
    seen = []
    batch = restore.batch

    def watched(job, some, by_id):
        seen.append(Import.objects.get(pk=job.pk).letters_done)
        batch(job, some, by_id)

    restore.batch = watched
    try:
        job = import_now(newcomer, io.BytesIO(archive))
    finally:
        restore.batch = batch

    assert seen == [0, 2, 4]
    assert (job.state, job.letters_total, job.letters_done) == ("done", 5, 5)
    assert job.finished_at is not None
    assert not Upload.objects.exists()
    reply = Letter.objects.get(
        writer__display_name="Rory", body="I saw it.", home__memberships__person=newcomer
    )
    assert reply.in_reply_to.body == "The light on the stairs."
    assert reply.in_reply_to.writer == newcomer


def test_half_made_homes_are_not_the_persons_until_every_letter_is_in(archive, db, monkeypatch):
    newcomer = make_person("jess2", "Jess")
    homes_during = []
    batch = restore.batch

    def watched(job, some, by_id):
        batch(job, some, by_id)
        homes_during.append(Home.objects.of_member(newcomer).count())

    monkeypatch.setattr(restore, "batch", watched)
    import_now(newcomer, io.BytesIO(archive))

    assert homes_during == [0, 0, 0]
    assert Home.objects.of_member(newcomer).count() == 1


def test_a_failed_import_takes_back_everything_it_made_and_says_why(archive, db, monkeypatch):
    newcomer = make_person("jess2", "Jess")
    before, fts_before = counts(), fts_rows()
    add = index.add
    calls = []

    def second_batch_fails(entries):
        calls.append(len(entries))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return add(entries)

    monkeypatch.setattr(index, "add", second_batch_fails)
    job = import_now(newcomer, io.BytesIO(archive))

    assert job.state == "failed"
    assert "stopped after 2 of 5 letters" in job.error
    assert "taken back" in job.error
    assert counts() == before
    assert fts_rows() == fts_before
    assert not search(newcomer, "stairs")
    assert not Upload.objects.exists()
    assert not Person.objects.filter(username__startswith="former-").exists()


def test_a_failed_import_may_be_tried_again(archive, db, monkeypatch):
    newcomer = make_person("jess2", "Jess")
    monkeypatch.setattr(index, "add", lambda entries: 1 / 0)
    assert import_now(newcomer, io.BytesIO(archive)).state == "failed"
    monkeypatch.undo()
    monkeypatch.setattr(restore, "rest", lambda busy: None)

    again = import_now(newcomer, io.BytesIO(archive))

    assert again.state == "done"
    assert Letter.objects.filter(home__memberships__person=newcomer).count() == 5


def test_the_same_archive_twice_adds_nothing_the_second_time(archive, db):
    newcomer = make_person("jess2", "Jess")
    import_now(newcomer, io.BytesIO(archive))
    before = counts()

    with pytest.raises(Conflict) as refused:
        imports.start(newcomer, io.BytesIO(archive))

    assert "You already imported this archive on " in refused.value.message
    assert "nothing was added" in refused.value.message
    assert counts() == before
    assert Import.objects.filter(person=newcomer).count() == 1


def test_the_day_it_was_imported_is_said_in_the_persons_own_time_zone(archive, db):
    newcomer = make_person("jess2", "Jess", time_zone="Europe/Berlin")
    with time_machine.travel(datetime(2026, 12, 3, 23, 30, tzinfo=UTC)):
        import_now(newcomer, io.BytesIO(archive))

    with pytest.raises(Conflict) as refused:
        imports.start(newcomer, io.BytesIO(archive))

    assert "imported this archive on 4 December 2026 at 00:30" in refused.value.message


def test_someone_else_importing_the_same_archive_is_an_import_of_its_own(archive, db):
    import_now(make_person("jess2", "Jess"), io.BytesIO(archive))

    other = import_now(make_person("jess3", "Jess"), io.BytesIO(archive))

    assert other.state == "done"
    assert Import.objects.count() == 2


def test_an_archive_still_being_imported_is_not_started_again(archive, db):
    newcomer = make_person("jess2", "Jess")
    imports.start(newcomer, io.BytesIO(archive))

    with pytest.raises(Conflict) as refused:
        imports.start(newcomer, io.BytesIO(archive))

    assert "being imported already" in refused.value.message
    assert Import.objects.count() == 1


def test_an_import_whose_worker_died_goes_on_where_it_stopped(archive, db, monkeypatch):
    newcomer = make_person("jess2", "Jess")
    job = imports.start(newcomer, io.BytesIO(archive))
    batch = restore.batch

    def dies_after_one(job, some, by_id):
        batch(job, some, by_id)
        raise SystemExit("killed")

    monkeypatch.setattr(restore, "batch", dies_after_one)
    with pytest.raises(SystemExit):
        imports.run(str(job.pk))
    monkeypatch.setattr(restore, "batch", batch)
    DBTaskResult.objects.all().delete()

    assert imports.run(str(job.pk)) == "running"  # not quiet for long: someone may be on it
    with time_machine.travel(timezone.now() + imports.STALLED_AFTER + timedelta(seconds=1)):
        assert imports.resume_stalled() == 1
        assert imports.resume_stalled() == 0  # already queued
        assert DBTaskResult.objects.count() == 1
        assert imports.run(str(job.pk)) == "done"

    job.refresh_from_db()
    assert (job.state, job.letters_done) == ("done", 5)
    mine = Letter.objects.filter(home__memberships__person=newcomer)
    assert sorted(mine.values_list("body", flat=True)) == sorted(
        Letter.objects.exclude(home__memberships__person=newcomer)
        .filter(home__memberships__person__username="jess")
        .values_list("body", flat=True)
    )
    assert Person.objects.filter(username__startswith="former-").count() == 1  # Rory, once


def test_a_long_import_hands_itself_on_so_other_tasks_run_between(archive, db, monkeypatch):
    monkeypatch.setattr(imports, "SLICE_SECONDS", 0)
    newcomer = make_person("jess2", "Jess")
    job = imports.start(newcomer, io.BytesIO(archive))
    DBTaskResult.objects.all().delete()
    progress = []
    parse = importer.parse
    reads = []
    monkeypatch.setattr(importer, "parse", lambda raw: reads.append(1) or parse(raw))

    for _ in range(5):
        state = imports.run(str(job.pk))
        job.refresh_from_db()
        progress.append((state, job.letters_done))
        if state == "done":
            break
        (queued,) = DBTaskResult.objects.all()  # the rest, queued behind what else waits
        assert queued.args_kwargs["args"] == [str(job.pk)]
        assert imports.resume_stalled() == 0
        queued.delete()

    assert progress == [("running", 2), ("running", 4), ("done", 5)]
    assert len(reads) == 1  # each slice after the first goes on with the archive in hand


def test_a_worker_asked_to_stop_hands_the_import_on_after_the_batch_in_hand(archive, db):
    newcomer = make_person("jess2", "Jess")
    job = imports.start(newcomer, io.BytesIO(archive))
    DBTaskResult.objects.all().delete()
    outbox.stopping.set()
    try:
        assert imports.run(str(job.pk)) == "running"
    finally:
        outbox.stopping.clear()

    job.refresh_from_db()
    assert job.letters_done == 2
    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [str(job.pk)]
    assert imports.run(str(job.pk)) == "done"


def test_no_garbage_is_collected_while_a_batch_holds_the_database(archive, db, monkeypatch):
    # A full collection over a parsed archive of 30,000 letters took 300-500 ms, and on
    # SQLite everyone's writes waited behind the batch's lock that long.
    newcomer = make_person("jess2", "Jess")
    in_batch = []
    collections = []  # (in a batch, transactions open beyond the test's own)
    batch = restore.batch

    def watched(job, some, by_id):
        in_batch.append(True)
        try:
            batch(job, some, by_id)
        finally:
            in_batch.pop()

    def on_collect(phase, info):
        if phase == "start":
            collections.append((bool(in_batch), len(connection.savepoint_ids) - outside))

    monkeypatch.setattr(restore, "batch", watched)
    outside = len(connection.savepoint_ids)
    threshold = gc.get_threshold()
    gc.set_threshold(1)  # a young collection at almost every allocation
    gc.callbacks.append(on_collect)
    try:
        job = import_now(newcomer, io.BytesIO(archive))
    finally:
        gc.callbacks.remove(on_collect)
        gc.set_threshold(*threshold)

    assert job.state == "done"
    assert any(batched and held == 0 for batched, held in collections)  # before, not in
    assert [held for batched, held in collections if batched and held] == []


def test_replies_that_go_round_in_a_circle_are_restored_without_the_circle():
    def letter(n: int, answers: int | None):
        return importer.LetterIn.model_construct(
            id=uuid.UUID(int=n), in_reply_to=uuid.UUID(int=answers) if answers else None
        )

    # 1 and 2 answer each other, 3 answers itself, 4 answers 1.
    parsed = importer.ArchiveIn.model_construct(
        letters=[letter(1, 2), letter(2, 1), letter(3, 3), letter(4, 1)]
    )

    ordered = restore.in_order(parsed)

    position = {letter.id.int: n for n, (letter, _) in enumerate(ordered)}
    links = {letter.id.int: answers and answers.int for letter, answers in ordered}
    assert links[3] is None
    assert links[4] == 1
    assert sorted([links[1], links[2]], key=bool) == [None, links[1] or links[2]]
    for child, parent in links.items():
        if parent is not None:
            assert position[parent] < position[child]


def test_a_zip_with_more_files_than_an_export_holds_is_refused_before_any_is_read(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ENTRIES", 10)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for n in range(11):
            archive.writestr(f"{n}.md", "x")
    stream.seek(0)
    monkeypatch.setattr(zipfile, "ZipFile", None)  # nothing may open it

    with pytest.raises(TooLarge) as refused:
        importer.read(stream)

    assert "more files than an export of 100,000 letters" in refused.value.message
