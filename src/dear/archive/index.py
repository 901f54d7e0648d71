"""Keeping the search index in step with the letters.

Every save of a letter or of one of its revisions passes through ``update`` (``post_save``
receivers), in the same transaction as the save; deleting a letter deletes its entry by
cascade. A change of who may read a letter that is no save of it (a note found, a sealed
pair opened, a letter sent) calls ``update`` or ``refresh`` itself, in its transaction.
The database keeps its own full-text index in step with the entries (triggers on SQLite,
a generated column on PostgreSQL). ``rebuild`` makes it all again from the letters, for
data written before the index existed or restored from elsewhere.

An entry names only the people who may read its letter (``readers``), so a search never
meets a letter hidden from the one searching: a hidden word costs what an absent one does.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import connection, transaction
from django.db.models.signals import post_save

from dear.archive.models import Entry
from dear.letters import rules
from dear.letters.models import Delivery, Letter, Revision

# Search marks matches with these two characters, so they must never come from a letter.
MARK_START = "\x02"
MARK_END = "\x03"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# PostgreSQL's parser reads <...> as markup and &...; as entities and leaves them out of a
# headline; stored as these stand-ins, what a person typed is indexed and shown as words.
_STAND_INS = {"<": "\x01", ">": "\x04", "&": "\x05"}
STORE = str.maketrans(_STAND_INS)
SHOW = str.maketrans({v: k for k, v in _STAND_INS.items()})
TEXT_FIELDS = ("salutation", "body", "closing")
# What of a letter its entry is made from.
LETTER_FIELDS = ("pk", "writer_id", "state", "opened_at", "place_id", *TEXT_FIELDS)


def clean(text: str) -> str:
    """A letter's text as the index stores it: no control characters, markup stood in for."""
    return _CONTROL.sub(" ", text or "").translate(STORE)


def person_token(person_id) -> str:
    """An opaque word naming one person in the ``people`` column: ``p`` and the id's hex."""
    hex_id = person_id.hex if hasattr(person_id, "hex") else str(person_id).replace("-", "")
    return f"p{hex_id.lower()}"


def readers(letter, deliveries) -> tuple[list, datetime | None]:
    """Who may read ``letter`` once its time has come, and when the last of them may.

    ``Letter.objects.received_by`` without its clock, so the two must say the same: the
    writer always (rule 1); a recipient once it is sent, or sealed and opened (rule 3),
    and, for a note, once they found it (rule 2). The time is the latest of those
    recipients' deliveries, so nobody finds the letter before it reached them.
    ``deliveries``: the letter's, with ``recipient_id``, ``delivered_at``, ``found_at``.
    """
    arrived = rules.has_arrived(letter.state, letter.opened_at)
    reached = [
        d
        for d in deliveries
        if arrived
        and d.delivered_at is not None
        and (letter.place_id is None or d.found_at is not None)
    ]
    ids = [letter.writer_id, *sorted((d.recipient_id for d in reached), key=str)]
    return list(dict.fromkeys(ids)), max((d.delivered_at for d in reached), default=None)


def entry_fields(letter, deliveries) -> dict:
    """The fields of ``letter``'s entry (see ``readers`` for ``deliveries``)."""
    people, visible_from = readers(letter, deliveries)
    return {
        **{field: clean(getattr(letter, field)) for field in TEXT_FIELDS},
        "people": " ".join(person_token(pk) for pk in people),
        "writer_id": letter.writer_id,
        "visible_from": visible_from,
    }


def _deliveries(letter_ids) -> dict:
    by_letter: dict = {}
    for delivery in Delivery.objects.filter(letter_id__in=letter_ids).only(
        "letter_id", "recipient_id", "delivered_at", "found_at"
    ):
        by_letter.setdefault(delivery.letter_id, []).append(delivery)
    return by_letter


def update(letter: Letter) -> None:
    """Bring one letter's entry up to date; writes nothing when it already is."""
    wanted = entry_fields(letter, _deliveries([letter.pk]).get(letter.pk, []))
    # Part of the save that called it: no savepoint of its own, whose two extra statements
    # cost every save of a letter.
    with transaction.atomic(savepoint=False):
        entry = next(iter(Entry.objects.filter(letter_id=letter.pk)[:1]), None)
        if entry is None:
            Entry.objects.create(letter_id=letter.pk, **wanted)
        elif any(getattr(entry, name) != value for name, value in wanted.items()):
            Entry.objects.filter(pk=entry.pk).update(**wanted)


def refresh(letter_ids) -> None:
    """Bring these letters' entries up to date after a change no save of theirs announced:
    a note found, a sealed pair opened. Each entry keeps its place in the index."""
    for letter in Letter.objects.filter(pk__in=list(letter_ids)).only(*LETTER_FIELDS):
        update(letter)


def fresh_entries(letters, deliveries) -> list[Entry]:
    """Entries for letters that have none yet, from their deliveries in hand (an import
    builds them before its transaction, so the database is held only to write them)."""
    by_letter: dict = {}
    for delivery in deliveries:
        by_letter.setdefault(delivery.letter_id, []).append(delivery)
    return [
        Entry(letter_id=letter.pk, **entry_fields(letter, by_letter.get(letter.pk, [])))
        for letter in letters
    ]


def add(entries: list[Entry]) -> None:
    Entry.objects.bulk_create(entries, batch_size=500)


def update_many(letters, *, fresh: bool = False) -> int:
    """Index many letters at once (import, rebuild): a few queries per batch of letters.

    ``fresh``: none of them has an entry yet, so there is nothing to replace."""
    letters = list(letters)
    if not letters:
        return 0
    ids = [letter.pk for letter in letters]
    deliveries = _deliveries(ids)
    with transaction.atomic():
        if not fresh:
            Entry.objects.filter(letter_id__in=ids).delete()
        Entry.objects.bulk_create(
            [
                Entry(letter_id=letter.pk, **entry_fields(letter, deliveries.get(letter.pk, [])))
                for letter in letters
            ],
            batch_size=500,
        )
    return len(letters)


def is_complete() -> bool:
    """Whether every letter has its entry: a database restored from an older Dear may not."""
    return Entry.objects.count() == Letter.every.count()


def rebuild(batch: int = 1000) -> int:
    """Make every entry again from the letters. Returns how many letters were indexed."""
    done = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        last = None
        while True:
            page = Letter.every.order_by("pk")
            if last is not None:
                page = page.filter(pk__gt=last)
            chunk = list(page.only(*LETTER_FIELDS)[:batch])
            if not chunk:
                break
            done += update_many(chunk, fresh=True)
            last = chunk[-1].pk
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO archive_fts(archive_fts) VALUES ('rebuild')")
                cursor.execute("INSERT INTO archive_fts(archive_fts) VALUES ('optimize')")
    return done


def _on_letter_saved(sender, instance: Letter, raw: bool = False, **kwargs) -> None:
    if not raw:
        update(instance)


def _on_revision_saved(sender, instance: Revision, raw: bool = False, **kwargs) -> None:
    # A new letter's first revision is saved after its recipients are set, while the
    # letter itself was saved before them: this is when the entry first names them.
    if not raw:
        update(instance.letter)


def connect() -> None:
    post_save.connect(_on_letter_saved, sender=Letter, dispatch_uid="archive.index.letter")
    post_save.connect(_on_revision_saved, sender=Revision, dispatch_uid="archive.index.revision")
