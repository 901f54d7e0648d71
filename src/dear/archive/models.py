from __future__ import annotations

from django.db import models


class Entry(models.Model):
    """A letter as the search index holds it: one row per letter, kept in step on save.

    The full-text index itself lives beside this table and is kept by the database: an
    FTS5 table fed by triggers on SQLite, a generated ``tsvector`` column with a GIN index
    on PostgreSQL (see migration 0001). ``people`` holds one token for the writer and one
    per recipient, so a search reads only the letters a person is part of before
    ``Letter.objects.visible_to`` has the final say.

    On SQLite a migration that remakes this table drops its triggers with it: such a
    migration must create them again (a test checks they are there).
    """

    id = models.BigAutoField(primary_key=True)
    letter = models.OneToOneField(
        "letters.Letter", on_delete=models.CASCADE, related_name="search_entry"
    )
    salutation = models.TextField(blank=True)
    body = models.TextField(blank=True)
    closing = models.TextField(blank=True)
    people = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search entry {self.pk}"
