"""`dear backup` and `dear restore`: the whole database, copied while Dear keeps serving.

SQLite's online backup API copies every page in one step under one read transaction:
a consistent snapshot that holds every write committed before it began, while writers
go on in the write-ahead log. PostgreSQL has its own tools for this; the commands say so.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer

from dear.cli.app import CommandFailed, out
from dear.cli.django_setup import setup_django

PG_BACKUP = (
    "Dear is using PostgreSQL here; back it up with PostgreSQL's own tool, e.g. "
    'pg_dump --format=custom --file=dear.dump "$DEAR_DATABASE_URL" (see the README)'
)
PG_RESTORE = (
    "Dear is using PostgreSQL here; restore with PostgreSQL's own tool, e.g. "
    'pg_restore --clean --if-exists --dbname="$DEAR_DATABASE_URL" dear.dump (see the README)'
)
SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite_path(for_postgres: str) -> Path:
    setup_django()
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        raise CommandFailed(for_postgres)
    return Path(db["NAME"])


def _letters_in(connection: sqlite3.Connection) -> int | None:
    """How many letters a database holds; None when it is not a Dear database."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not {"django_migrations", "letters_letter"} <= tables:
        return None
    return connection.execute("SELECT count(*) FROM letters_letter").fetchone()[0]


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.", dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy Dear's database to FILE, safely, even while `dear serve` is running."""
    source_path = _sqlite_path(PG_BACKUP)
    if not source_path.exists():
        raise CommandFailed(f"there is no database at {source_path} to back up")
    if file.exists() and not force:
        raise CommandFailed(f"{file} already exists; add --force to replace it")
    if not file.resolve().parent.is_dir():
        raise CommandFailed(f"there is no folder {file.resolve().parent} to write {file.name} in")
    partial = file.with_name(f".{file.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(source_path, timeout=30)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)  # every page in one step: one consistent snapshot
            # One self-contained file, with no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CommandFailed("the copy failed its integrity check; nothing was written")
            letters = _letters_in(copy)
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    count = f"{letters:,} letter{'s' if letters != 1 else ''}" if letters is not None else "it"
    out.print(f"Backed up {count} to {file}. `dear restore {file}` puts it back.")


def restore(
    file: Annotated[
        Path, typer.Argument(help="A file made by `dear backup`.", exists=True, dir_okay=False)
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already holds letters.")
    ] = False,
) -> None:
    """Put a backup back as Dear's database. Stop `dear serve` first."""
    target_path = _sqlite_path(PG_RESTORE)
    with open(file, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise CommandFailed(f"{file} is not a backup made by `dear backup`")
    with closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as backup_db:
        try:
            letters = _letters_in(backup_db)
            healthy = backup_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError as exc:
            raise CommandFailed(f"{file} cannot be read as a database: {exc}") from None
        if letters is None:
            raise CommandFailed(f"{file} is an SQLite database, but not one of Dear's")
        if not healthy:
            raise CommandFailed(f"{file} fails SQLite's integrity check; nothing was restored")
        if target_path.exists() and not force:
            with closing(sqlite3.connect(target_path, timeout=30)) as current:
                held = _letters_in(current)
            if held:
                raise CommandFailed(
                    f"{target_path} already holds {held:,} letter{'s' if held != 1 else ''}; "
                    "restoring would replace them. Add --force to replace them"
                )
        with closing(sqlite3.connect(target_path, timeout=30)) as target:
            backup_db.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
    _bring_up_to_date()
    out.print(
        f"Restored {letters:,} letter{'s' if letters != 1 else ''} into {target_path}. "
        "Start `dear serve` again."
    )


def _bring_up_to_date() -> None:
    """A backup from an older Dear gets this one's migrations, and its search index."""
    from django.core.management import call_command

    from dear.archive import index

    call_command("migrate", interactive=False, verbosity=0)
    if not index.is_complete():
        index.rebuild()
