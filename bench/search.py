"""Search over 100,000 letters: median time of ``dear.archive.search.search``.

    .venv/bin/python bench/search.py                       # SQLite
    .venv/bin/python bench/search.py --db postgres         # PostgreSQL
    .venv/bin/python bench/search.py --letters 20000 --repeat 3   # a quicker look

Seeds a scratch database in bulk (not through HTTP): 100,000 letters, a fifth of them
between the two people of one long-lived home and the rest spread over 400 small homes,
with words drawn from a Zipf-like vocabulary so that common words are common. Then it
times the search service, in this process, over a fixed set of queries (common, middling
and rare words, two words, phrases, words found nowhere), as the person with the most
letters and as a person of a small home. Prints the medians and writes
bench/results/search-<db>.json. The scratch data dir and database are removed afterwards.

Then, as the person with the most letters, it searches 500 times for a word found only in
a letter hidden from them (a draft to them, one due tomorrow, an unfound note, a blind
sealed letter: each made through the services) and 500 times for a word found nowhere,
in turn, and reports both medians and how many queries each search ran: a hidden letter
must cost what an absent one does (DESIGN.md rule 3).

PostgreSQL: the server comes from --pg-url, else BENCH_PG_URL, else
postgres://postgres@127.0.0.1:5432/postgres; a database dear_bench_<random> is made
there and dropped at the end.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
SEED = 20260107


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- words ---------------------------------------------------------------------------

ONSETS = "b c d f g h l m n p r s t v w br ch cl dr fl gr pl sh sl st th tr wh".split()  # noqa: SIM905
VOWELS = "a e i o u ai ea ee oa oo ou".split()  # noqa: SIM905
CODAS = ["", ""] + "d k l m n r s t nd ng rk st ll".split()  # noqa: SIM905


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """``size`` distinct made-up words; rank 0 is the most common."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((1, 1, 2, 2, 2, 3))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Writer:
    """Letter bodies with a Zipf-like spread of words (a few very common, most rare)."""

    def __init__(self, words: list[str], rng: random.Random):
        self.words = words
        self.rng = rng
        self.cum_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words)))
        )

    def body(self) -> str:
        count = int(self.rng.triangular(30, 400, 120))
        picked = self.rng.choices(self.words, cum_weights=self.cum_weights, k=count)
        sentences, start = [], 0
        while start < count:
            end = start + self.rng.randint(5, 16)
            sentence = " ".join(picked[start:end])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start = end
        return " ".join(sentences)


# --- the scratch database --------------------------------------------------------------


class Scratch:
    def __init__(self, db: str, pg_url: str):
        self.db = db
        self.data_dir = Path(tempfile.mkdtemp(prefix="dear-bench-search-"))
        self.pg_admin = pg_url
        self.pg_name = f"dear_bench_{secrets.token_hex(5)}"

    def __enter__(self) -> Scratch:
        os.environ["DEAR_DATA_DIR"] = str(self.data_dir)
        os.environ.pop("DEAR_DATABASE_URL", None)
        if self.db == "postgres":
            self._admin(f'CREATE DATABASE "{self.pg_name}"')
            parts = urlsplit(self.pg_admin)
            os.environ["DEAR_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.pg_name}"))
        os.environ["DJANGO_SETTINGS_MODULE"] = "dear.settings"
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        return self

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            conn.execute(sql)

    def __exit__(self, *exc) -> None:
        from django.db import connections

        connections.close_all()
        if self.db == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


def seed(total: int, rng: random.Random, writer: Writer) -> dict:
    """People, homes and ``total`` letters in bulk; returns who to search as."""
    from django.db import connection, transaction

    from dear.accounts.models import Person
    from dear.archive import index
    from dear.homes.models import Home, Membership
    from dear.letters.models import Delivery, Letter, State

    big_share = total // 5
    small_homes = 400
    now = datetime.now(UTC)
    started = time.perf_counter()

    def person(n: int) -> Person:
        return Person(username=f"p{n}", display_name=f"Person {n}", password="!")

    with transaction.atomic():
        homes = [Home(name="The long home")] + [Home(name=f"Home {n}") for n in range(small_homes)]
        Home.objects.bulk_create(homes)
        people = [person(n) for n in range(2 + small_homes * 3)]
        Person.objects.bulk_create(people, batch_size=1000)
        households = [(homes[0], people[0:2])]
        for n, home in enumerate(homes[1:]):
            size = 2 + n % 2
            households.append((home, people[2 + n * 3 : 2 + n * 3 + size]))
        Membership.objects.bulk_create(
            [Membership(home=home, person=p) for home, members in households for p in members],
            batch_size=1000,
        )

    def plan():
        yield from ((households[0], big_share),)
        rest = total - big_share
        per_home, extra = divmod(rest, small_homes)
        for n, household in enumerate(households[1:]):
            yield household, per_home + (1 if n < extra else 0)

    states = [State.SENT] * 85 + [State.DRAFT] * 10 + [State.KEPT] * 3 + [State.DISCARDED] * 2
    made = 0
    batch: list[tuple[Letter, list]] = []

    def flush() -> None:
        with transaction.atomic():
            Letter.objects.bulk_create([letter for letter, _ in batch], batch_size=1000)
            deliveries = []
            for letter, to in batch:
                delivered = letter.deliver_at if letter.state == State.SENT else None
                deliveries += [
                    Delivery(letter=letter, recipient=p, delivered_at=delivered) for p in to
                ]
            Delivery.objects.bulk_create(deliveries, batch_size=2000)
            index.update_many([letter for letter, _ in batch], fresh=True)
        batch.clear()

    for (home, members), count in plan():
        for n in range(count):
            writer_person = members[n % len(members)]
            to = [p for p in members if p.pk != writer_person.pk]
            if len(to) > 1 and rng.random() < 0.7:
                to = [rng.choice(to)]
            written = now - timedelta(minutes=(count - n) * 37)
            state = rng.choice(states)
            sent = state == State.SENT
            letter = Letter(
                home=home,
                writer=writer_person,
                salutation="Dear " + ", ".join(p.display_name for p in to) + ",",
                body=writer.body(),
                closing=writer_person.display_name,
                state=state,
                written_at=written,
                updated_at=written,
                sent_at=written if sent else None,
                deliver_at=written if sent else None,
            )
            batch.append((letter, to))
            made += 1
            if len(batch) >= 2000:
                flush()
                if made % 20000 == 0:
                    log(f"  {made:,} letters ({time.perf_counter() - started:.0f}s)")
    if batch:
        flush()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO archive_fts(archive_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    log(f"  seeded {made:,} letters in {time.perf_counter() - started:.1f}s")
    return {
        "heavy": people[0],
        "heavy_writes_with": people[1],
        "long_home": homes[0],
        "typical": households[1][1][0],
        "seconds": time.perf_counter() - started,
    }


def queries(words: list[str], rng: random.Random) -> dict[str, list[str]]:
    """Query sets by kind. Phrases are two words that follow each other in some letter."""
    from dear.letters.models import Letter

    sample = list(Letter.objects.order_by("?").values_list("body", flat=True)[:40])
    phrases = []
    for body in sample:
        tokens = body.rstrip(".").lower().replace(".", "").split()
        at = rng.randrange(len(tokens) - 1)
        phrases.append(f'"{tokens[at]} {tokens[at + 1]}"')
    return {
        "very common word": words[0:5],
        "common word": words[20:25],
        "middling word": words[300:305],
        "rare word": words[6000:6005],
        "two words": [f"{words[i]} {words[i + 200]}" for i in range(10, 15)],
        "phrase": phrases[:5],
        "no match": ["zzxqv", "qqqzz", "xyzzy", "vvvqq", "jjjkx"],
    }


def measure(person, sets: dict[str, list[str]], repeat: int) -> dict:
    from dear.archive.search import search

    for qs in sets.values():  # warm the caches once, untimed
        for q in qs:
            search(person, q)
    by_kind, every = {}, []
    for kind, qs in sets.items():
        times = []
        hits = []
        for q in qs:
            for _ in range(repeat):
                start = time.perf_counter()
                found = search(person, q)
                times.append((time.perf_counter() - start) * 1000)
            hits.append(len(found))
        every += times
        by_kind[kind] = {
            "queries": qs,
            "hits_per_query": hits,
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(_p95(times), 2),
        }
    return {
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(_p95(every), 2),
        "calls": len(every),
        "by_kind": by_kind,
    }


HIDDEN_TRIES = 500
ABSENT = "zyxabsent"


def hide_letters(reader, writer, home) -> dict[str, str]:
    """Letters ``writer`` wrote to ``reader`` that ``reader`` may not see, made through the
    services as a person would make them; each holds one word no other letter does."""
    from dear.homes import services as homes
    from dear.letters import services as letters
    from dear.mutual import services as mutual

    def letter(word: str):
        return letters.create_letter(writer, home=home.pk, to=[reader.pk], body=f"Only {word}.")

    place = homes.create_place(writer, home.pk, "The kitchen counter")
    letter("zyxdraft")
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    letters.send(writer, letter("zyxtomorrow").pk, deliver_at=tomorrow)
    letters.send(writer, letter("zyxnote").pk, place=place.pk)
    mutual.seal(writer, letter("zyxsealed").pk, blind=True)
    return {
        "draft to them": "zyxdraft",
        "due tomorrow": "zyxtomorrow",
        "unfound note": "zyxnote",
        "blind sealed": "zyxsealed",
    }


def hidden_against_absent(person, hidden: dict[str, str], tries: int) -> dict:
    """Median time and query count of searching for each hidden word and for an absent
    one, the searches taken in turn so that drift in the machine falls on both alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dear.archive.search import search

    def one(q: str) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as ran:
            start = time.perf_counter()
            found = search(person, q)
            took = (time.perf_counter() - start) * 1000
        return took, len(ran.captured_queries), len(found)

    words = {**hidden, "absent": ABSENT}
    for q in words.values():  # warm, untimed
        one(q)
    times: dict[str, list[float]] = {kind: [] for kind in words}
    counts: dict[str, set] = {kind: set() for kind in words}
    hits: dict[str, int] = dict.fromkeys(words, 0)
    for _ in range(tries):
        for kind, q in words.items():
            took, count, found = one(q)
            times[kind].append(took)
            counts[kind].add(count)
            hits[kind] = max(hits[kind], found)
    every_hidden = [t for kind in hidden for t in times[kind]]
    return {
        "tries": tries,
        "by_kind": {
            kind: {
                "query": words[kind],
                "median_ms": round(statistics.median(times[kind]), 3),
                "queries": sorted(counts[kind]),
                "hits": hits[kind],
            }
            for kind in words
        },
        "hidden_median_ms": round(statistics.median(every_hidden), 3),
        "absent_median_ms": round(statistics.median(times["absent"]), 3),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each query")
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG), help="PostgreSQL server"
    )
    parser.add_argument(
        "--hidden-tries", type=int, default=HIDDEN_TRIES, help="searches per hidden word"
    )
    parser.add_argument("--out", type=Path, default=None, help="where to write the JSON")
    args = parser.parse_args()
    if args.letters < 5_000:
        parser.error("--letters must be at least 5,000")

    rng = random.Random(SEED)
    words = vocabulary(20_000, rng)
    with Scratch(args.db, args.pg_url):
        from django.db import connection

        log(f"seeding {args.letters:,} letters on {args.db}")
        who = seed(args.letters, rng, Writer(words, rng))
        sets = queries(words, rng)
        from dear.letters.models import Letter

        result = {
            "benchmark": "search",
            "db": args.db,
            "database_version": _version(connection),
            "letters": Letter.objects.count(),
            "seed_seconds": round(who["seconds"], 1),
            "limit": 20,
            "repeat": args.repeat,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            # Other work on the machine shows up in every figure; this says how much.
            "load_avg_1_5_15_before": [round(x, 2) for x in os.getloadavg()],
            "target_median_ms": 20,
            "searchers": {},
        }
        for name in ("heavy", "typical"):
            person = who[name]
            visible = Letter.objects.visible_to(person).count()
            log(f"searching as the {name} reader ({visible:,} letters visible)")
            result["searchers"][name] = {
                "visible_letters": visible,
                **measure(person, sets, args.repeat),
            }
        hidden = hide_letters(who["heavy"], who["heavy_writes_with"], who["long_home"])
        log(f"searching {args.hidden_tries} times for each hidden word and an absent one")
        result["hidden_against_absent"] = hidden_against_absent(
            who["heavy"], hidden, args.hidden_tries
        )
    result["load_avg_1_5_15_after"] = [round(x, 2) for x in os.getloadavg()]
    every = [s["median_ms"] for s in result["searchers"].values()]
    result["median_ms"] = max(every)
    out = args.out or RESULTS / f"search-{args.db}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print(result, out)
    return 0


def _version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def _print(result: dict, out: Path) -> None:
    print(
        f"search over {result['letters']:,} letters, {result['database_version']}, "
        f"load average {result['load_avg_1_5_15_before'][0]} before, "
        f"{result['load_avg_1_5_15_after'][0]} after, {result['cpus']} CPUs"
    )
    for name, searcher in result["searchers"].items():
        print(
            f"  {name} reader ({searcher['visible_letters']:,} visible): "
            f"median {searcher['median_ms']} ms, p95 {searcher['p95_ms']} ms"
        )
        for kind, row in searcher["by_kind"].items():
            print(f"    {kind:<18} median {row['median_ms']:>7} ms  p95 {row['p95_ms']:>7} ms")
    oracle = result["hidden_against_absent"]
    print(
        f"  hidden against absent, {oracle['tries']} tries each, heavy reader: "
        f"hidden median {oracle['hidden_median_ms']} ms, absent {oracle['absent_median_ms']} ms"
    )
    for kind, row in oracle["by_kind"].items():
        print(
            f"    {kind:<18} median {row['median_ms']:>7} ms  queries {row['queries']}"
            f"  hits {row['hits']}"
        )
    target = result["target_median_ms"]
    verdict = "under" if result["median_ms"] < target else "OVER"
    print(f"worst median {result['median_ms']} ms: {verdict} the {target} ms target")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    sys.exit(main())
