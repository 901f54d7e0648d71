from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from dear.lib.ids import uuid7


class Entry(models.Model):
    """A letter as the search index holds it: one row per letter, kept in step on save.

    The full-text index itself lives beside this table and is kept by the database: an
    FTS5 table fed by triggers on SQLite, a generated ``tsvector`` column with a GIN index
    on PostgreSQL (see migration 0001). ``people`` holds one token for the writer and one
    per recipient the letter has reached but for the time (``index.readers``); a search
    matches only its own token, and ``writer_id`` or ``visible_from`` decide the time in
    the same statement. So a search never meets a letter hidden from the one searching.

    On SQLite a migration that remakes this table drops its triggers, and the index
    ``archive_entry_reach`` that search names, with it: such a migration must create them
    again (a test checks they are there).
    """

    id = models.BigAutoField(primary_key=True)
    letter = models.OneToOneField(
        "letters.Letter", on_delete=models.CASCADE, related_name="search_entry"
    )
    salutation = models.TextField(blank=True)
    body = models.TextField(blank=True)
    closing = models.TextField(blank=True)
    people = models.TextField(blank=True)
    # Not a foreign key: adding one would remake the table on SQLite (see above).
    writer_id = models.UUIDField(null=True)
    # When the last of its readers' deliveries is due; none while only its writer may read.
    visible_from = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"search entry {self.pk}"


class ImportState(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Import(models.Model):
    """One archive a person asked to bring here, restored by the worker batch by batch.

    ``made`` maps the archive's homes, places and people to what this import made of
    them, and holds the salt its letters' ids are made from, so a worker that died
    mid-import can go on where it stopped, and a failed one can be taken back whole.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports"
    )
    # sha256 of archive.json: the same archive, imported again by the same person.
    digest = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=ImportState, default=ImportState.PENDING)
    letters_total = models.PositiveIntegerField(default=0)
    letters_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    made = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by every batch: an import still running whose worker went quiet is resumed.
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            # A failed import made nothing, so the same archive may be tried again.
            models.UniqueConstraint(
                fields=["person", "digest"],
                condition=~models.Q(state="failed"),
                name="archive_import_once",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.pk}"


class Upload(models.Model):
    """An import's zip, as uploaded, from the request until the worker is done with it."""

    of = models.OneToOneField(Import, on_delete=models.CASCADE, primary_key=True)
    data = models.BinaryField()
