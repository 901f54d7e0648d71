"""Fill one home with letters in bulk, straight into the server's database, and explain
the list queries. Run by the harness as its own process, with the server's DEAR_* env:

    python bench/seed.py grow --home H --people A,B --to 100000
    python bench/seed.py explain --people A,B

Letters alternate between the two people (A→B, B→A), all sent and delivered in the past,
each with its delivery row and one revision, newest last. SQLite gets one transaction of
executemany; PostgreSQL gets COPY. Columns a later migration adds are filled with their
model default, so the seed keeps working as the models grow. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

WORDS = [
    "kettle",
    "counter",
    "coffee",
    "book",
    "bookmark",
    "garden",
    "window",
    "letter",
    "morning",
    "evening",
    "rain",
    "bread",
    "soup",
    "stairs",
    "coat",
    "pocket",
    "lamp",
    "blanket",
    "river",
    "train",
    "station",
    "summer",
    "winter",
    "tea",
    "honey",
    "radio",
    "sorry",
    "thank",
    "remember",
    "tomorrow",
    "yesterday",
    "always",
    "never",
    "again",
]
# One letter in this many mentions the word the search workload looks for.
RARE_EVERY = 1000
RARE_WORD = "marmalade"
BATCH = 50_000


def setup():
    from dear.cli.django_setup import setup_django

    setup_django()


def body_for(i: int) -> str:
    words = [WORDS[(i * 7 + k * 13) % len(WORDS)] for k in range(24)]
    if i % RARE_EVERY == 0:
        words[5] = RARE_WORD
    return f"Letter {i}: " + " ".join(words) + "."


def letter_count(home_id) -> int:
    from dear.letters.models import Letter

    return Letter.objects.filter(home_id=home_id).count()


def _columns(model, values: dict):
    """Every concrete column of ``model`` but an auto id, in order, with the value we set
    or the field's default."""
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "db_returning", False)]
    static = {}
    for f in fields:
        if f.attname not in values:
            default = f.get_default()
            static[f.attname] = default
    return fields, static


def grow(home_id, a_id, b_id, target: int, revisions: bool) -> dict:
    from django.db import connection, transaction

    from dear.letters.models import Delivery, Letter, Revision, State
    from dear.lib.ids import uuid7

    have = letter_count(home_id)
    add = max(0, target - have)
    started = time.perf_counter()
    if add == 0:
        return {"added": 0, "letters": have, "seconds": 0.0}
    people = [uuid.UUID(a_id), uuid.UUID(b_id)]
    # The newest seeded letter was delivered a minute ago; one every 30 s before that.
    end = datetime.now(UTC) - timedelta(minutes=1)
    step = timedelta(seconds=30)
    t0 = end - step * add
    sqlite = connection.vendor == "sqlite"

    letter_fields, letter_static = _columns(
        Letter,
        dict.fromkeys(
            [
                "id",
                "home_id",
                "writer_id",
                "salutation",
                "body",
                "closing",
                "state",
                "revision",
                "written_at",
                "updated_at",
                "sent_at",
                "deliver_at",
            ]
        ),
    )
    delivery_fields, delivery_static = _columns(
        Delivery, dict.fromkeys(["letter_id", "recipient_id", "delivered_at", "read_at"])
    )
    revision_fields, revision_static = _columns(
        Revision,
        dict.fromkeys(["letter_id", "number", "salutation", "body", "closing", "saved_at"]),
    )

    def db(value):
        if not sqlite:
            return value
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime):
            return str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(value, bool):
            return int(value)
        return value

    new_ids = []
    search, search_fields = _search_index()

    def rows():
        for k in range(add):
            i = have + k
            writer, recipient = people[i % 2], people[(i + 1) % 2]
            sent = t0 + step * k
            delivered = sent + timedelta(seconds=10)
            written = sent - timedelta(minutes=5)
            lid = uuid7(int(written.timestamp() * 1000))
            new_ids.append(lid)
            body = body_for(i)
            salutation = "Dear you,"
            closing = "Me"
            letter = {
                "id": lid,
                "home_id": uuid.UUID(home_id),
                "writer_id": writer,
                "salutation": salutation,
                "body": body,
                "closing": closing,
                "state": State.SENT.value,
                "revision": 1,
                "written_at": written,
                "updated_at": sent,
                "sent_at": sent,
                "deliver_at": delivered,
            }
            # All read but the newest few, so the home page has something waiting.
            read = delivered + timedelta(hours=1) if k < add - 6 else None
            delivery = {
                "letter_id": lid,
                "recipient_id": recipient,
                "delivered_at": delivered,
                "read_at": read,
            }
            revision = {
                "letter_id": lid,
                "number": 1,
                "salutation": salutation,
                "body": body,
                "closing": closing,
                "saved_at": written,
            }
            parts = {"letter": letter, "delivery": delivery, "revision": revision}
            if search is not None:
                seen = SimpleNamespace(opened_at=None, place_id=None, **letter)
                reached = SimpleNamespace(found_at=None, **delivery)
                parts["entry"] = {"letter_id": lid, **search_fields(seen, [reached])}
            yield parts

    def as_tuple(fields, static, values):
        return tuple(
            db(values[f.attname] if f.attname in values else static[f.attname]) for f in fields
        )

    tables = [
        ("letter", Letter._meta.db_table, letter_fields, letter_static),
        ("delivery", Delivery._meta.db_table, delivery_fields, delivery_static),
    ]
    if revisions:
        tables.append(("revision", Revision._meta.db_table, revision_fields, revision_static))
    if search is not None:
        entry_fields, entry_static = _columns(search, dict.fromkeys(["letter_id", *ENTRY]))
        tables.append(("entry", search._meta.db_table, entry_fields, entry_static))

    def batches():
        batch = [[] for _ in tables]
        for parts in rows():
            for n, (part, _, fields, static) in enumerate(tables):
                batch[n].append(as_tuple(fields, static, parts[part]))
            if len(batch[0]) >= BATCH:
                yield batch
                batch = [[] for _ in tables]
        if batch[0]:
            yield batch

    if sqlite:
        with transaction.atomic(), connection.cursor() as cursor:
            for batch in batches():
                for (_, table, fields, _), data in zip(tables, batch, strict=True):
                    columns = ", ".join(f'"{f.column}"' for f in fields)
                    marks = ", ".join("?" * len(fields))
                    cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', data)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        raw = connection.cursor().connection  # psycopg's own connection, for COPY
        with transaction.atomic(), raw.cursor() as cursor:
            for batch in batches():
                for (_, table, fields, _), data in zip(tables, batch, strict=True):
                    columns = ", ".join(f'"{f.column}"' for f in fields)
                    with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                        for row in data:
                            copy.write_row(row)
        # Autovacuum would analyze soon after such a load; do it now so plans are stable.
        with connection.cursor() as cursor:
            for _, table, _, _ in tables:
                cursor.execute(f'ANALYZE "{table}"')
    inserted = time.perf_counter() - started
    # Without the search app's row builder, fall back to its own (slower) bulk path.
    indexed = None if search is not None else _index_for_search(new_ids)
    return {
        "added": add,
        "letters": have + add,
        "seconds": round(time.perf_counter() - started, 2),
        "insert_seconds": round(inserted, 2),
        "search_index_seconds": indexed,
    }


ENTRY = ("salutation", "body", "closing", "people", "writer_id", "visible_from")


def _search_index():
    """The search app's entry model and the function that builds an entry's columns from
    a letter, when both exist: seeded letters then go into the index in the same bulk
    insert (the database's own full-text index follows by trigger or generated column)."""
    try:
        from dear.archive.index import entry_fields
        from dear.archive.models import Entry
    except ImportError:
        return None, None
    if {f.attname for f in Entry._meta.concrete_fields} != {"id", "letter_id", *ENTRY}:
        return None, None
    return Entry, entry_fields


def _index_for_search(ids) -> float | None:
    """Letters written straight into the tables skip the search index's save hooks; put
    them in through its own bulk path, as an import would. None when there is no index."""
    try:
        from dear.archive import index
    except ImportError:
        return None
    from django.db import transaction

    from dear.letters.models import Letter

    started = time.perf_counter()
    fields = getattr(index, "LETTER_FIELDS", ("pk", "writer_id", *index.TEXT_FIELDS))
    with transaction.atomic():
        for at in range(0, len(ids), 5000):
            chunk = ids[at : at + 5000]
            index.update_many(Letter.objects.filter(pk__in=chunk).only(*fields), fresh=True)
    return round(time.perf_counter() - started, 2)


# Tables that hold a few rows per person or home: a scan of them is not a growth risk.
SMALL = (
    "accounts_person",
    "accounts_apitoken",
    "homes_home",
    "homes_membership",
    "homes_place",
    "django_session",
)


def _unindexed(vendor: str, sql: str, plan: list[str]) -> list[str]:
    """Plan lines whose cost grows with the home: a scan of a growing table, or, in a
    page of letters (a LIMIT over letters_letter), a sort or union of every match."""
    page = 'FROM "letters_letter"' in sql and " LIMIT " in sql
    found = []
    for line in plan:
        text = line.strip()
        if vendor == "sqlite":
            scan = text.startswith("SCAN") and "USING" not in text
            scan = scan and not any(f"SCAN {t}" in text for t in SMALL)
            sort = "TEMP B-TREE FOR ORDER BY" in text or "UNION USING TEMP" in text
        else:
            scan = "Seq Scan" in text and not any(f"on {t}" in text for t in SMALL)
            sort = text.startswith(("Sort  (", "->  Sort  ("))
        if scan or (page and sort):
            found.append(text)
    return found


def explain(a_id, b_id) -> dict:
    """Every query each list path runs (rendered in-process through Django's test client,
    as the server would), with its plan, and the plan lines that read a growing table
    without an index or sort a whole result."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dear.accounts.models import Person
    from dear.accounts.services import issue_token

    b = Person.objects.get(pk=b_id)
    token = issue_token(b, "bench explain")
    web = Client()
    web.force_login(b)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    paths = {
        "inbox_api": (api, "/api/v1/letters?box=inbox"),
        "inbox_page": (web, "/inbox"),
        "home_page": (web, "/"),
        "correspondence_api": (api, f"/api/v1/letters?with={a_id}"),
        "correspondence_page": (web, f"/with/{a_id}"),
        "search": (api, "/api/v1/search?q=marmalade"),
    }
    out = {}
    for name, (client, path) in paths.items():
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        if status != 200:
            out[name] = {"status": status, "queries": [], "unindexed": []}
            continue
        queries = []
        for q in captured.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = [row[-1] for row in cursor.fetchall()]
                else:
                    cursor.execute("EXPLAIN " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
            queries.append(
                {
                    "sql": sql,
                    "plan": plan,
                    "unindexed": _unindexed(connection.vendor, sql, plan),
                    "ms": _time_query(sql),
                }
            )
        out[name] = {
            "status": status,
            "queries": queries,
            "unindexed": [line for q in queries for line in q["unindexed"]],
            "slowest_ms": max((q["ms"] for q in queries), default=0),
        }
    return out


def _time_query(sql: str) -> float:
    """The best of three runs of one captured query, in ms (in this process: a pointer to
    which query costs what, not a latency figure)."""
    from django.db import connection

    best = None
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()
        took = (time.perf_counter() - started) * 1000
        best = took if best is None else min(best, took)
    return round(best, 2)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grow")
    g.add_argument("--home", required=True)
    g.add_argument("--people", required=True, help="A,B")
    g.add_argument("--to", type=int, required=True, help="letters the home should hold")
    g.add_argument("--no-revisions", action="store_true")
    e = sub.add_parser("explain")
    e.add_argument("--people", required=True, help="A,B")
    args = parser.parse_args(argv)
    setup()
    if args.command == "grow":
        a_id, b_id = args.people.split(",")
        result = grow(args.home, a_id, b_id, args.to, revisions=not args.no_revisions)
    else:
        a_id, b_id = args.people.split(",")
        result = explain(a_id, b_id)
    json.dump(result, sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
