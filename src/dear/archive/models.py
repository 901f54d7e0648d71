from __future__ import annotations

from django.db import models


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
