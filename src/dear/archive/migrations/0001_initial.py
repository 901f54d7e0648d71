"""The search index: a table of entries, and beside it the database's own full-text index.

SQLite: an external-content FTS5 table over archive_entry, kept in step by triggers.
PostgreSQL: a generated tsvector column with a GIN index. Text is stemmed as English on
both; the people column holds opaque tokens, indexed without stemming on PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    """
    CREATE VIRTUAL TABLE archive_fts USING fts5(
        salutation, body, closing, people,
        content='archive_entry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER archive_entry_ai AFTER INSERT ON archive_entry BEGIN
        INSERT INTO archive_fts(rowid, salutation, body, closing, people)
        VALUES (new.id, new.salutation, new.body, new.closing, new.people);
    END
    """,
    """
    CREATE TRIGGER archive_entry_ad AFTER DELETE ON archive_entry BEGIN
        INSERT INTO archive_fts(archive_fts, rowid, salutation, body, closing, people)
        VALUES ('delete', old.id, old.salutation, old.body, old.closing, old.people);
    END
    """,
    """
    CREATE TRIGGER archive_entry_au AFTER UPDATE ON archive_entry BEGIN
        INSERT INTO archive_fts(archive_fts, rowid, salutation, body, closing, people)
        VALUES ('delete', old.id, old.salutation, old.body, old.closing, old.people);
        INSERT INTO archive_fts(rowid, salutation, body, closing, people)
        VALUES (new.id, new.salutation, new.body, new.closing, new.people);
    END
    """,
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS archive_entry_au",
    "DROP TRIGGER IF EXISTS archive_entry_ad",
    "DROP TRIGGER IF EXISTS archive_entry_ai",
    "DROP TABLE IF EXISTS archive_fts",
]
POSTGRES = [
    """
    ALTER TABLE archive_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, salutation), 'B')
        || setweight(to_tsvector('english'::regconfig, body), 'A')
        || setweight(to_tsvector('english'::regconfig, closing), 'B')
        || setweight(to_tsvector('simple'::regconfig, people), 'D')
    ) STORED
    """,
    "CREATE INDEX archive_entry_document ON archive_entry USING gin (document)",
]
POSTGRES_UNDO = [
    "DROP INDEX IF EXISTS archive_entry_document",
    "ALTER TABLE archive_entry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("salutation", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("closing", models.TextField(blank=True)),
                ("people", models.TextField(blank=True)),
                (
                    "letter",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_entry",
                        to="letters.letter",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}),
        ),
    ]
