"""Restoring a checked archive here, in transactions short enough that nobody waits.

Each home of the archive becomes a home of its own here, with the importing person as
its only member. The people they wrote with become former members: named as they were,
unable to log in, and no member of any home, so nothing reaches anyone real. Every
letter keeps its words, state, dates, receipts and revisions; only the ids are new.

``begin`` makes the homes, places and former members; ``batch`` makes a hundred
letters at a time, each batch with its deliveries, revisions and search entries and the
import's progress, in one transaction; ``finish`` makes the person a member of the
homes and lets their letters be seen: until the last letter is in, the homes are marked
``importing`` and none of their letters is anyone's to see or change (``Letter.objects``).
``undo`` takes a failed import back, batch by batch too.

A letter's new id comes from its archive id and a salt the import keeps, so a worker
that died mid-import goes on from the last batch it finished, and a reply can name the
letter it answers before knowing which batch made it.
"""

from __future__ import annotations

import contextlib
import gc
import secrets
import time
import uuid
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dear.accounts.models import Person
from dear.archive import index
from dear.archive.importer import ArchiveIn, LetterIn
from dear.archive.models import Import, ImportState, Upload
from dear.homes.models import Home, Membership, Place
from dear.letters.models import Delivery, Letter, Revision, State
from dear.lib.ids import uuid7

# Letters per transaction: on SQLite each batch holds the one write lock for some 40 ms
# (200 held it for 70 ms; the writes waiting behind it, and the reads queued behind those
# in their server process, wait that long).
BATCH = 100
# SQLite hands its write lock to no one in particular: a writer waiting on it sleeps and
# looks again (up to 100 ms apart), and one that takes it again at once can keep it for
# good. So after each batch the import rests as long as the batch took, and at least
# this long, and everyone else's writes go first.
REST_SECONDS = 0.1


class Stopped(Exception):
    """The import was taken back while a batch was being made: the batch is not kept."""


def _former_member(display_name: str) -> Person:
    """Someone the archive names who has no account here: a name, and no way in."""
    person = Person(
        username=f"former-{uuid.uuid4().hex[:20]}", display_name=display_name, is_active=False
    )
    person.set_unusable_password()
    return person


def begin(job: Import, archive: ArchiveIn) -> None:
    """Make the homes, places and former members, and note what stands for what."""
    now = timezone.now()
    me = archive.person.id
    with transaction.atomic():
        homes = {h.id: Home(name=h.name, importing=True) for h in archive.homes}
        Home.objects.bulk_create(homes.values())
        others = [p for p in archive.people if p.id != me]
        ghosts = {p.id: _former_member(p.display_name) for p in others}
        Person.objects.bulk_create(ghosts.values())
        # Archived: an imported place keeps its notes but is not a place in anyone's home.
        places = {
            p.id: Place(home=homes[p.home], name=p.name, archived_at=now) for p in archive.places
        }
        Place.objects.bulk_create(places.values())
        job.made = {
            "salt": secrets.token_hex(16),
            "homes": {str(k): str(v.pk) for k, v in homes.items()},
            "people": {
                str(me): str(job.person_id),
                **{str(k): str(v.pk) for k, v in ghosts.items()},
            },
            "places": {str(k): str(v.pk) for k, v in places.items()},
        }
        job.state = ImportState.RUNNING
        job.updated_at = now
        job.save(update_fields=["made", "state", "updated_at"])


def in_order(archive: ArchiveIn) -> list[tuple[LetterIn, uuid.UUID | None]]:
    """The letters, each after the letter it answers, with that letter's archive id
    (None when it is not in the archive, or when replies go round in a circle)."""
    by_id = {letter.id: letter for letter in archive.letters}
    depth: dict = {}
    for letter in archive.letters:
        path, seen = [], {letter.id}
        current = letter
        while current.id not in depth:
            parent = by_id.get(current.in_reply_to) if current.in_reply_to else None
            if parent is None or parent.id in seen:
                depth[current.id] = 0
                break
            path.append(current.id)
            seen.add(parent.id)
            current = parent
        for n, pk in enumerate(reversed(path), start=1):
            depth[pk] = depth[current.id] + n

    def answers(letter: LetterIn) -> uuid.UUID | None:
        parent = letter.in_reply_to
        return parent if parent in depth and depth[parent] < depth[letter.id] else None

    ordered = sorted(archive.letters, key=lambda letter: depth[letter.id])
    return [(letter, answers(letter)) for letter in ordered]


def letter_id(made: dict, letter_in: LetterIn, archive_id: uuid.UUID) -> uuid.UUID:
    """Time-ordered like every id here, by when the letter was first written."""
    ms = int(letter_in.written_at.timestamp() * 1000)
    return uuid7(ms, seed=f"{made['salt']}:{archive_id}".encode())


def batch(job: Import, letters: list[tuple[LetterIn, uuid.UUID | None]], by_id: dict) -> None:
    """Make these letters, with everything that is theirs, and count them done."""
    started = time.monotonic()
    made = job.made
    homes, people, places = made["homes"], made["people"], made["places"]
    made_letters, deliveries, revisions = [], [], []
    for letter_in, answers in letters:
        letter = Letter(
            pk=letter_id(made, letter_in, letter_in.id),
            home_id=homes[str(letter_in.home)],
            writer_id=people[str(letter_in.from_)],
            salutation=letter_in.salutation,
            body=letter_in.body,
            closing=letter_in.closing,
            state=letter_in.state,
            state_before_discard=(
                letter_in.state_before_discard if letter_in.state == State.DISCARDED else ""
            ),
            revision=letter_in.revision or 1,
            written_at=letter_in.written_at,
            updated_at=letter_in.updated_at or letter_in.written_at,
            sent_at=letter_in.sent_at,
            deliver_at=letter_in.deliver_at,
            opened_at=letter_in.opened_at,
            place_id=places[str(letter_in.place)] if letter_in.place else None,
            hint=letter_in.hint,
            in_reply_to_id=letter_id(made, by_id[answers], answers) if answers else None,
        )
        made_letters.append(letter)
        receipts = {d.to: d for d in letter_in.deliveries}
        for to in dict.fromkeys(letter_in.to):
            receipt = receipts.get(to)
            deliveries.append(
                Delivery(
                    letter=letter,
                    recipient_id=people[str(to)],
                    delivered_at=receipt.delivered_at if receipt else None,
                    found_at=receipt.found_at if receipt else None,
                    read_at=receipt.read_at if receipt else None,
                )
            )
        revisions += [
            Revision(
                letter=letter,
                number=r.number,
                salutation=r.salutation,
                body=r.body,
                closing=r.closing,
                saved_at=r.saved_at,
                crumpled=r.crumpled,
                conflict=r.conflict,
            )
            for r in letter_in.revisions
        ]
    entries = index.fresh_entries(made_letters, deliveries)
    # Everything is built: the transaction only writes.
    with _uncollected(), transaction.atomic():
        # First, so an import taken back meanwhile (its person leaving) stops here; and
        # on PostgreSQL the import's row is locked before the homes it writes into.
        going = Import.objects.filter(pk=job.pk, state=ImportState.RUNNING)
        if not going.update(
            letters_done=F("letters_done") + len(made_letters), updated_at=timezone.now()
        ):
            raise Stopped()
        Letter.every.bulk_create(made_letters)
        Delivery.objects.bulk_create(deliveries, batch_size=1000)
        Revision.objects.bulk_create(revisions, batch_size=500)
        index.add(entries)
    job.letters_done += len(made_letters)
    rest(time.monotonic() - started)


@contextlib.contextmanager
def _uncollected() -> Iterator[None]:
    """No garbage collection while the batch holds the database. A full collection walks
    every object the worker holds, the parsed archive first: some 300-500 ms for 30,000
    letters, and everyone's writes waited that long behind it. It runs after instead,
    when the batch has let go."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def rest(busy: float) -> None:
    # Never while holding the lock itself (an account deleted takes its imports back
    # in its own transaction).
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(max(REST_SECONDS, min(busy, 1.0)))


def finish(job: Import) -> None:
    """The homes become the person's, all at once, and the upload goes."""
    now = timezone.now()
    with transaction.atomic():
        going = Import.objects.filter(pk=job.pk, state=ImportState.RUNNING)
        if not going.update(state=ImportState.DONE, finished_at=now, updated_at=now):
            raise Stopped()
        homes = list(job.made["homes"].values())
        Home.objects.filter(pk__in=homes).update(importing=False)
        Membership.objects.bulk_create(
            [Membership(home_id=pk, person_id=job.person_id) for pk in homes]
        )
        Upload.objects.filter(of=job).delete()
    job.state = ImportState.DONE
    job.finished_at = job.updated_at = now


def undo(job: Import, error: str) -> None:
    """Take back everything the import made, a batch at a time, then say why it failed."""
    homes = list(job.made.get("homes", {}).values())
    ghosts = [pk for pk in job.made.get("people", {}).values() if pk != str(job.person_id)]
    while True:
        with transaction.atomic():
            pks = list(Letter.every.filter(home_id__in=homes).values_list("pk", flat=True)[:BATCH])
            if not pks:
                break
            # Its deliveries, revisions and search entries go with each letter.
            Letter.every.filter(pk__in=pks).delete()
        rest(0)
    with transaction.atomic():
        Membership.objects.filter(home_id__in=homes).delete()
        Place.objects.filter(home_id__in=homes).delete()
        Home.objects.filter(pk__in=homes).delete()
        Person.objects.filter(pk__in=ghosts, is_active=False).delete()
        Import.objects.filter(pk=job.pk).update(
            state=ImportState.FAILED,
            error=error,
            made={},
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        Upload.objects.filter(of=job).delete()
