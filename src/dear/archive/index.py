"""Keeping the search index in step with the letters.

Every save of a letter or of one of its revisions passes through ``update`` (``post_save``
receivers), in the same transaction as the save; deleting a letter deletes its entry by
cascade. The database keeps its own full-text index in step with the entries (triggers on
SQLite, a generated column on PostgreSQL). ``rebuild`` makes it all again from the
letters, for data written before the index existed or restored from elsewhere.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models.signals import post_save

from dear.archive.models import Entry
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


def clean(text: str) -> str:
    """A letter's text as the index stores it: no control characters, markup stood in for."""
    return _CONTROL.sub(" ", text or "").translate(STORE)


def person_token(person_id) -> str:
    """An opaque word naming one person in the ``people`` column: ``p`` and the id's hex."""
    hex_id = person_id.hex if hasattr(person_id, "hex") else str(person_id).replace("-", "")
    return f"p{hex_id.lower()}"


def _people(letter: Letter, recipient_ids) -> str:
    ids = [letter.writer_id, *sorted(recipient_ids, key=str)]
    return " ".join(dict.fromkeys(person_token(pk) for pk in ids))


def _fields(letter: Letter, recipient_ids) -> dict:
    return {
        **{field: clean(getattr(letter, field)) for field in TEXT_FIELDS},
        "people": _people(letter, recipient_ids),
    }


def update(letter: Letter) -> None:
    """Bring one letter's entry up to date; writes nothing when it already is."""
    recipients = Delivery.objects.filter(letter_id=letter.pk).values_list("recipient_id", flat=True)
    wanted = _fields(letter, list(recipients))
    with transaction.atomic():
        entry = Entry.objects.filter(letter_id=letter.pk).first()
        if entry is None:
            Entry.objects.create(letter_id=letter.pk, **wanted)
        elif any(getattr(entry, name) != value for name, value in wanted.items()):
            Entry.objects.filter(pk=entry.pk).update(**wanted)


def update_many(letters, *, fresh: bool = False) -> int:
    """Index many letters at once (import, rebuild): a few queries per batch of letters.

    ``fresh``: none of them has an entry yet, so there is nothing to replace."""
    letters = list(letters)
    if not letters:
        return 0
    ids = [letter.pk for letter in letters]
    recipients: dict = {}
    for letter_id, person_id in Delivery.objects.filter(letter_id__in=ids).values_list(
        "letter_id", "recipient_id"
    ):
        recipients.setdefault(letter_id, []).append(person_id)
    with transaction.atomic():
        if not fresh:
            Entry.objects.filter(letter_id__in=ids).delete()
        Entry.objects.bulk_create(
            [
                Entry(letter_id=letter.pk, **_fields(letter, recipients.get(letter.pk, [])))
                for letter in letters
            ],
            batch_size=500,
        )
    return len(letters)


def rebuild(batch: int = 1000) -> int:
    """Make every entry again from the letters. Returns how many letters were indexed."""
    done = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        last = None
        while True:
            page = Letter.objects.order_by("pk")
            if last is not None:
                page = page.filter(pk__gt=last)
            chunk = list(page.only("pk", "writer_id", *TEXT_FIELDS)[:batch])
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
