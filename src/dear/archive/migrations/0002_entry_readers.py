"""Entries name only the people who may read their letter, and say from when.

Both columns are nullable, so on SQLite they are added with ALTER TABLE and the table
keeps its full-text triggers; a narrow index over them serves search there. The data step fills them, and narrows ``people``, for every
entry already there (``index.entry_fields``, the rule search relies on).
"""

from django.db import migrations, models

BATCH = 1000


def _narrow(apps, schema_editor):
    from dear.archive.index import entry_fields

    Entry = apps.get_model("archive", "Entry")
    Delivery = apps.get_model("letters", "Delivery")
    last = 0
    while True:
        entries = list(
            Entry.objects.filter(pk__gt=last).select_related("letter").order_by("pk")[:BATCH]
        )
        if not entries:
            break
        deliveries: dict = {}
        for delivery in Delivery.objects.filter(letter_id__in=[e.letter_id for e in entries]):
            deliveries.setdefault(delivery.letter_id, []).append(delivery)
        for entry in entries:
            fields = entry_fields(entry.letter, deliveries.get(entry.letter_id, []))
            entry.people = fields["people"]
            entry.writer_id = fields["writer_id"]
            entry.visible_from = fields["visible_from"]
        Entry.objects.bulk_update(entries, ["people", "writer_id", "visible_from"])
        last = entries[-1].pk


# SQLite: search reads who may read each match from this index, never from the row, which
# holds the letter's text. PostgreSQL reads the row for its tsvector anyway.
REACH = "CREATE INDEX archive_entry_reach ON archive_entry (id, writer_id, visible_from)"


def _reach_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(REACH)


def _drop_reach_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS archive_entry_reach")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("letters", "0002_letter_blind"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="writer_id",
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="visible_from",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(_reach_index, _drop_reach_index),
        migrations.RunPython(_narrow, migrations.RunPython.noop),
    ]
