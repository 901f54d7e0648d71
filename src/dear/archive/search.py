"""Searching the letters a person may see: one interface over SQLite FTS5 and PostgreSQL.

``search(person, q, limit)`` finds the best-ranked letters whose words match every word
and quoted phrase of ``q``. The index names, for each letter, only the people who may
read it (``index.readers``), and the one ranked query keeps to those the person wrote or
that have reached them by now. So a draft, an unfound note or an unopened sealed letter
of someone else's is never met: a word only they hold costs one query, like a word found
nowhere (rule 3: no timing difference). ``Letter.objects.visible_to`` still has the last
word on the letters that come back.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from dear.archive.index import MARK_END, MARK_START, SHOW, person_token
from dear.archive.models import Entry
from dear.letters import seen
from dear.lib.errors import Invalid

QUERY_LIMIT = 200
MAX_TERMS = 12
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SNIPPET_WORDS = 24
# Ranking reads every match; past this many, only the most recent this many are ranked,
# so a word in nearly every letter answers as fast as a rare one. Such a word carries
# almost no weight in the ranking anyway: what is recent is the better guess.
RANKED_AT_MOST = 2000

_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")
_MARKED = re.compile(f"({MARK_START}[^{MARK_END}]*{MARK_END})")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Part:
    """A piece of a snippet: ``mark`` when it is words the search matched."""

    text: str
    mark: bool


@dataclass
class Hit:
    letter: seen.SeenLetter
    snippet: list[Part]
    score: float


def parse(q: str) -> list[list[str]]:
    """The terms of a query: each a word, or the words of a quoted phrase, in order."""
    q = (q or "").strip()
    if not q:
        raise Invalid("Type a word or a phrase to search for.")
    if len(q) > QUERY_LIMIT:
        raise Invalid(f"A search holds at most {QUERY_LIMIT} characters.")
    terms = []
    for phrase, word in _TERM.findall(q):
        words = _WORD.findall(phrase if phrase else word)
        if words:
            terms.append([w.lower() for w in words])
    if not terms:
        raise Invalid("Search for words or phrases: letters and numbers, not only punctuation.")
    if len(terms) > MAX_TERMS:
        raise Invalid(f"A search holds at most {MAX_TERMS} words and phrases.")
    return terms


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"The limit is a number from 1 to {MAX_LIMIT}.")
    return limit


def search(person, q: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """The letters ``person`` may see that match ``q``, best first, each with a snippet."""
    terms = parse(q)
    limit = _check_limit(limit)
    backend = _SQLite(terms, person) if connection.vendor == "sqlite" else _Postgres(terms, person)
    now = timezone.now()
    candidates = backend.ranked(limit, _reader(person, now))
    if not candidates:
        return []
    # The index already kept to what the person may see; visible_to, the rule everywhere
    # else, stands behind it.
    visible = {
        letter.id: letter for letter in seen.by_ids(person, [c[1] for c in candidates], now=now)
    }
    chosen = [
        (entry_id, visible[letter_id], score)
        for entry_id, letter_id, score in candidates
        if letter_id in visible
    ]
    snippets = backend.snippets([entry_id for entry_id, _, _ in chosen])
    return [Hit(letter, snippets.get(entry_id, []), score) for entry_id, letter, score in chosen]


def _reader(person, now) -> list:
    """The person's id and the time, as the database stores them: what the ranked query
    compares an entry's ``writer_id`` and ``visible_from`` with."""
    writer = Entry._meta.get_field("writer_id").get_db_prep_value(person.pk, connection)
    since = Entry._meta.get_field("visible_from").get_db_prep_value(now, connection)
    return [writer, since]


def parts(marked: str) -> list[Part]:
    """Split text the database marked into plain and matched pieces, on one line."""
    text = _SPACE.sub(" ", marked or "").strip()
    pieces = []
    for piece in _MARKED.split(text):
        if not piece:
            continue
        if piece.startswith(MARK_START) and piece.endswith(MARK_END):
            pieces.append(Part(piece[1:-1].translate(SHOW), True))
        else:
            pieces.append(Part(piece.translate(SHOW), False))
    return pieces


def _best(*candidates: str) -> list[Part]:
    """The first snippet that marks a match; the first one at all when none does."""
    for candidate in candidates:
        found = parts(candidate)
        if any(part.mark for part in found):
            return found
    return parts(candidates[0]) if candidates else []


class _SQLite:
    def __init__(self, terms: list[list[str]], person) -> None:
        phrases = " ".join('"' + " ".join(words) + '"' for words in terms)
        self.match = f'people : "{person_token(person.pk)}" AND ' + (
            f"{{salutation body closing}} : ({phrases})"
        )

    def ranked(self, count: int, reader: list) -> list[tuple[int, object, float]]:
        with connection.cursor() as cursor:
            # Who may read each match and from when, read from a narrow index: the entry's
            # own row holds its text, and a long letter's runs on over many pages.
            cursor.execute(
                "SELECT f.rowid, e.letter_id, f.score FROM ("
                " SELECT rowid, score FROM ("
                "  SELECT m.rowid, bm25(archive_fts, 2.0, 4.0, 2.0, 0.0) AS score"
                "  FROM archive_fts m JOIN archive_entry r INDEXED BY archive_entry_reach"
                "  ON r.id = m.rowid"
                "  WHERE archive_fts MATCH %s AND (r.writer_id = %s OR r.visible_from <= %s)"
                "  ORDER BY m.rowid DESC LIMIT %s"
                " ) ORDER BY score, rowid DESC LIMIT %s"
                ") f JOIN archive_entry e ON e.id = f.rowid ORDER BY f.score, f.rowid DESC",
                [self.match, *reader, RANKED_AT_MOST, count],
            )
            # bm25 is lower for better matches; scores are reported higher-is-better.
            return [(row[0], _uuid(row[1]), -row[2]) for row in cursor.fetchall()]

    def snippets(self, entry_ids: list[int]) -> dict[int, list[Part]]:
        if not entry_ids:
            return {}
        marks = [MARK_START, MARK_END, "…"]
        column = "snippet(archive_fts, {}, %s, %s, %s, {})"
        sql = (
            f"SELECT rowid, {column.format(1, SNIPPET_WORDS)}, {column.format(0, 12)}, "
            f"{column.format(2, 12)} FROM archive_fts "
            f"WHERE archive_fts MATCH %s AND rowid IN ({', '.join(['%s'] * len(entry_ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*marks * 3, self.match, *entry_ids])
            return {row[0]: _best(row[1], row[2], row[3]) for row in cursor.fetchall()}


class _Postgres:
    WEIGHTS = "{0, 0, 0.4, 1.0}"  # D (people: no weight), C, B (salutation, closing), A (body)
    HEADLINE = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=1, "
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, ShortWord=0"
    )

    def __init__(self, terms: list[list[str]], person) -> None:
        self.phrases = [" ".join(words) for words in terms]
        self.person = person_token(person.pk)

    def _query(self) -> tuple[str, list]:
        sql = " && ".join(["phraseto_tsquery('english', %s)"] * len(self.phrases))
        return f"({sql})", list(self.phrases)

    def ranked(self, count: int, reader: list) -> list[tuple[int, object, float]]:
        words, params = self._query()
        sql = (
            f"WITH query AS (SELECT {words} AS words, to_tsquery('simple', %s) AS person), "
            "recent AS ("
            " SELECT e.id, e.letter_id, e.document FROM archive_entry e, query"
            " WHERE numnode(query.words) > 0 AND e.document @@ (query.words && query.person)"
            " AND (e.writer_id = %s OR e.visible_from <= %s)"
            " ORDER BY e.id DESC LIMIT %s"
            ") "
            "SELECT recent.id, recent.letter_id, "
            "ts_rank(%s::float4[], recent.document, query.words) AS score "
            "FROM recent, query ORDER BY score DESC, recent.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [*params, self.person, *reader, RANKED_AT_MOST, self.WEIGHTS, count]
            )
            return [(row[0], _uuid(row[1]), float(row[2])) for row in cursor.fetchall()]

    def snippets(self, entry_ids: list[int]) -> dict[int, list[Part]]:
        if not entry_ids:
            return {}
        words, params = self._query()
        headline = "ts_headline('english', e.{}, query.words, %s)"
        sql = (
            f"WITH query AS (SELECT {words} AS words) "
            f"SELECT e.id, {headline.format('body')}, {headline.format('salutation')}, "
            f"{headline.format('closing')} FROM archive_entry e, query WHERE e.id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *[self.HEADLINE] * 3, list(entry_ids)])
            return {row[0]: _best(row[1], row[2], row[3]) for row in cursor.fetchall()}


def _uuid(value) -> uuid.UUID:
    # Raw SQL answers SQLite's UUIDs as 32 hex characters, PostgreSQL's as UUIDs.
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
