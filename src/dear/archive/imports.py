"""Imports: an exported archive checked while its person waits, restored by the worker.

``start`` opens the archive in the request and checks it whole when it is small (a bad
one is refused there, saying why, and stores nothing; a large one is checked by the
worker before anything is made), records an ``Import`` with the zip beside it, and
queues the worker, which restores it batch by batch (``restore``), so the import never
holds the database for longer than one batch. The same archive imported again by the
same person adds nothing. A failed import is taken back whole, and says why.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from datetime import datetime, timedelta
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from dear.archive import importer, restore
from dear.archive.models import Import, ImportState, Upload
from dear.lib.errors import Conflict, DearError, NotFound
from dear.notify import outbox

logger = logging.getLogger("dear.archive")
# An import whose worker has said nothing for this long is taken to have died with it.
STALLED_AFTER = timedelta(minutes=5)
# archive.json up to this size (some 3,000 letters) is checked whole in the request, in a
# tenth of a second; 100,000 letters take 3 s, for the worker.
CHECKED_AT_ONCE_BYTES = 2_000_000
# One worker runs one task at a time: after this long an import hands itself on to a
# task queued behind whatever else waits (emails first), so nothing waits on it longer.
SLICE_SECONDS = 30.0
# The archive an import handed on was reading, for its next slice: one, in this process.
_kept: dict = {}


def import_for(person, import_id) -> Import:
    """The person's own import; any other, or none, is the same 404."""
    job = Import.objects.filter(pk=import_id, person=person).first()
    if job is None:
        raise NotFound()
    return job


def _day(person, moment: datetime) -> str:
    """In the person's own time zone: when they did it, as they would say it."""
    local = timezone.localtime(moment, person.zone)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _earlier(person_id, digest: str, *, besides=None) -> Import | None:
    """This person's import of the same archive, unless it failed (``besides`` this one)."""
    same = Import.objects.filter(person=person_id, digest=digest).exclude(state=ImportState.FAILED)
    return same.exclude(pk=besides).first() if besides else same.first()


def _already(person, earlier: Import) -> Conflict:
    when = _day(person, earlier.created_at)
    if earlier.state == ImportState.DONE:
        return Conflict(
            f"You already imported this archive on {when}: nothing was added this time."
        )
    return Conflict(
        f"This archive is being imported already (since {when}): nothing was added this time."
    )


def start(person, stream: IO[bytes]) -> Import:
    """Check the archive and queue it; Invalid or TooLarge say what is wrong."""
    raw = importer.read_json(stream)
    # Checked here when that is quick; a larger one, which would hold this server process
    # (and everyone else's requests queued on it) for seconds, is checked by the worker
    # before it makes anything, and a wrong one ends as a failed import saying why.
    if len(raw) <= CHECKED_AT_ONCE_BYTES:
        archive = importer.parse(raw)
        total, digest = len(archive.letters), importer.digest(archive)
        del archive
    else:
        # Until the worker reads it and says which archive it is (``_same``).
        total, digest = 0, hashlib.sha256(raw).hexdigest()
    stream.seek(0)
    zipped = stream.read()
    del raw
    earlier = _earlier(person.pk, digest)
    if earlier is not None:
        raise _already(person, earlier)
    try:
        with transaction.atomic():
            job = Import.objects.create(person=person, digest=digest, letters_total=total)
            Upload.objects.create(of=job, data=zipped)
    except IntegrityError:
        # The same archive, sent twice at once: the other request took it.
        raise _already(person, _earlier(person.pk, digest)) from None
    restore_import.enqueue(str(job.pk))
    return job


# After email: a letter's email should not wait for someone's archive of thousands.
@task(priority=-10)
def restore_import(import_id: str) -> str:
    """The worker's part: ``run``, as a task."""
    return run(import_id)


def run(import_id: str) -> str:
    """Restore a queued import, or go on with one whose worker died; returns its state."""
    job = Import.objects.filter(pk=import_id).first()
    if job is None or job.state in (ImportState.DONE, ImportState.FAILED):
        return job.state if job else "gone"
    now = timezone.now()
    if job.state == ImportState.RUNNING and job.updated_at >= now - STALLED_AFTER:
        return job.state  # another worker is on it
    # Claimed by one worker only, even if it was queued twice.
    claimed = Import.objects.filter(pk=job.pk, state=job.state, updated_at=job.updated_at)
    if not claimed.update(updated_at=now):
        return job.state
    job.updated_at = now
    upload = Upload.objects.filter(of=job).first()
    if upload is None:
        restore.undo(job, "The archive was not kept: import it again.")
        return ImportState.FAILED
    kept = _kept.pop(job.pk, None)
    _kept.clear()
    try:
        archive, ordered = kept or _read(upload)
    except DearError as wrong:
        restore.undo(job, wrong.message)
        return ImportState.FAILED
    del upload
    try:
        if job.state == ImportState.PENDING:
            if (earlier := _same(job, archive)) is not None:
                restore.undo(job, _already(job.person, earlier).message)
                return ImportState.FAILED
            job.letters_total = len(archive.letters)
            Import.objects.filter(pk=job.pk).update(letters_total=job.letters_total)
            restore.begin(job, archive)
        by_id = {letter.id: letter for letter in archive.letters}
        until = time.monotonic() + SLICE_SECONDS
        for first in range(job.letters_done, len(ordered), restore.BATCH):
            restore.batch(job, ordered[first : first + restore.BATCH], by_id)
            # Handed on when its time is up, or at once when the worker is asked to stop,
            # so the next worker goes on with it without waiting for it to look stalled.
            time_up = time.monotonic() > until or outbox.stopping.is_set()
            if time_up and job.letters_done < len(ordered):
                # The next slice most likely runs in this same process: it need not read
                # the archive again (3 s for 100,000 letters).
                _kept[job.pk] = (archive, ordered)
                return _hand_on(job)
        restore.finish(job)
    except restore.Stopped:
        return "gone"  # taken back meanwhile, its person's account deleted
    except Exception as exc:
        # Never the letters' words: the kind of failure and how far it got.
        logger.exception("Import %s failed after %s letters", job.pk, job.letters_done)
        restore.undo(
            job,
            f"The import stopped after {job.letters_done:,} of {job.letters_total:,} "
            f"letters ({type(exc).__name__}), and everything it had made was taken back. "
            "Try again; if it stops again, the server's log says more.",
        )
        return ImportState.FAILED
    return ImportState.DONE


def _same(job: Import, archive: importer.ArchiveIn) -> Import | None:
    """An earlier import of the same archive by the same person, if there is one; else
    this import takes the archive's digest, which a large archive had to wait for."""
    digest = importer.digest(archive)
    earlier = _earlier(job.person_id, digest, besides=job.pk)
    if earlier is None:
        try:
            with transaction.atomic():
                Import.objects.filter(pk=job.pk).update(digest=digest)
        except IntegrityError:
            # Taken by another import of the same archive at this very moment.
            earlier = _earlier(job.person_id, digest, besides=job.pk)
    return earlier


def _read(upload: Upload) -> tuple[importer.ArchiveIn, list]:
    archive = importer.parse(importer.read_json(io.BytesIO(upload.data)))
    return archive, restore.in_order(archive)


def _hand_on(job: Import) -> str:
    """Queue the rest of the import behind whatever else waits. Marked as quiet for long,
    so the next task to take it up may claim it (and a sweep does not queue it twice)."""
    quiet = timezone.now() - STALLED_AFTER - timedelta(seconds=1)
    Import.objects.filter(pk=job.pk).update(updated_at=quiet)
    restore_import.enqueue(str(job.pk))
    return job.state


def take_back(person) -> None:
    """The person's unfinished imports, taken back whole: for when their account goes,
    which would otherwise leave those imports' homes and letters behind for ever."""
    unfinished = Import.objects.filter(
        person=person, state__in=(ImportState.PENDING, ImportState.RUNNING)
    )
    # Locked first: a worker's batch of these imports waits, then finds them gone.
    for job in unfinished.select_for_update():
        restore.undo(job, "The account was deleted.")


def stalled(now: datetime | None = None) -> list[str]:
    """Imports no worker is moving on: queued or running, and quiet for a while."""
    now = now or timezone.now()
    quiet = Import.objects.filter(
        state__in=(ImportState.PENDING, ImportState.RUNNING), updated_at__lt=now - STALLED_AFTER
    )
    return [str(pk) for pk in quiet.values_list("pk", flat=True)]


def resume_stalled() -> int:
    """Queue again each import whose worker died mid-way: it goes on where it stopped.
    One still waiting in the queue (behind a long import, say) is not queued twice."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=restore_import.module_path
    )
    queued = {str(row.args_kwargs.get("args", [None])[0]) for row in waiting}
    again = [pk for pk in stalled() if pk not in queued]
    for import_id in again:
        restore_import.enqueue(import_id)
    return len(again)
