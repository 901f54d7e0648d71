"""Search finds what a person may see, and nothing else (rules 1-3 of DESIGN.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dear.archive import index
from dear.archive.models import Entry
from dear.archive.search import parse, search
from dear.homes.models import Place
from dear.letters import notes
from dear.letters import services as letters
from dear.letters.models import Letter
from dear.lib.errors import Invalid
from dear.mutual import services as mutual
from tests.helpers import make_letter, send_now


def found(person, q: str) -> set:
    return {hit.letter.pk for hit in search(person, q)}


@pytest.fixture
def world(people, home):
    return people


def test_the_writer_finds_their_own_letters_in_every_state(world):
    jess, rory = world["jess"], world["rory"]
    draft = make_letter(jess, rory, body="The lighthouse keeper's draft.")
    kept = make_letter(jess, rory, body="The lighthouse in the drawer.")
    letters.keep(jess, kept.pk)
    binned = make_letter(jess, rory, body="The lighthouse in the basket.")
    letters.discard(jess, binned.pk)
    sent = send_now(make_letter(jess, rory, body="The lighthouse, sent."))

    assert found(jess, "lighthouse") == {draft.pk, kept.pk, binned.pk, sent.pk}


def test_nobody_else_finds_a_draft_a_kept_or_a_discarded_letter(world):
    jess, rory = world["jess"], world["rory"]
    make_letter(jess, rory, body="A lighthouse draft.")
    kept = make_letter(jess, rory, body="A lighthouse kept.")
    letters.keep(jess, kept.pk)
    binned = make_letter(jess, rory, body="A lighthouse binned.")
    letters.discard(jess, binned.pk)

    for name in ("rory", "sam", "olive"):
        assert found(world[name], "lighthouse") == set(), name


def test_a_recipient_finds_a_sent_letter_only_from_its_delivery_time(world):
    jess, rory = world["jess"], world["rory"]
    with override_settings(SEND_UNDO_SECONDS=600):
        sent = letters.send(jess, make_letter(jess, rory, body="Meet me at the harbour.").pk)

    assert found(rory, "harbour") == set()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert found(rory, "harbour") == {sent.pk}
        assert found(world["sam"], "harbour") == set()
        assert found(world["olive"], "harbour") == set()


def test_a_withdrawn_letter_is_found_by_its_writer_alone(world):
    jess, rory = world["jess"], world["rory"]
    with override_settings(SEND_UNDO_SECONDS=600):
        sent = letters.send(jess, make_letter(jess, rory, body="Second thoughts.").pk)
    letters.withdraw(jess, sent.pk)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert found(rory, "thoughts") == set()
        assert found(jess, "thoughts") == {sent.pk}


def test_the_words_of_a_crumpled_page_are_found_by_nobody(world):
    jess, rory = world["jess"], world["rory"]
    letter = make_letter(jess, rory, body="Everything I never said about the orchard.")
    letters.crumple(jess, letter.pk)
    letter = letters.save_letter(jess, letter.pk, revision=2, body="Just: come home soon.")
    send_now(letter)

    assert found(jess, "orchard") == set()
    assert found(rory, "orchard") == set()
    assert found(rory, "come home") == {letter.pk}


def test_a_note_is_found_only_once_its_place_has_been_opened(world, home):
    jess, rory = world["jess"], world["rory"]
    counter = Place.objects.create(home=home, name="The kitchen counter")
    note = send_now(make_letter(jess, rory, body="Under yesterday's coffee cup."), place=counter.pk)

    assert found(rory, "coffee cup") == set()
    notes.find_notes(rory, counter)
    assert found(rory, "coffee cup") == {note.pk}
    assert found(world["sam"], "coffee cup") == set()


def test_a_sealed_letter_is_found_by_its_recipient_only_once_it_has_opened(world):
    jess, rory = world["jess"], world["rory"]
    body = "I never sent mine because I thought you wouldn't care."
    sealed = mutual.seal(jess, make_letter(jess, rory, body=body).pk).letter

    assert found(rory, "care") == set()
    assert found(jess, "care") == {sealed.pk}
    mutual.seal(rory, make_letter(rory, jess, body="Nor I mine.").pk)
    assert found(rory, "care") == {sealed.pk}
    assert found(world["sam"], "care") == set()


def test_a_recipient_keeps_finding_a_letter_after_leaving_nothing_behind(world):
    jess, rory, sam = world["jess"], world["rory"], world["sam"]
    to_both = send_now(make_letter(jess, [rory, sam], body="Dinner on Sunday, both of you."))

    assert found(rory, "sunday") == found(sam, "sunday") == {to_both.pk}


def test_words_phrases_and_stems_match(world):
    jess, rory = world["jess"], world["rory"]
    letter = send_now(make_letter(jess, rory, body="I left a note by the kitchen counter."))
    other = send_now(make_letter(jess, rory, body="The counter in the kitchen is new."))

    assert found(rory, "kitchen counter") == {letter.pk, other.pk}
    assert found(rory, '"kitchen counter"') == {letter.pk}
    assert found(rory, "notes") == {letter.pk}
    assert found(rory, "kitchen zeppelin") == set()


def test_the_best_match_comes_first(world):
    jess, rory = world["jess"], world["rory"]
    once = send_now(make_letter(jess, rory, body="Rain today, and a long walk home."))
    often = send_now(make_letter(jess, rory, body="Rain. Rain on the roof, rain on the rain."))

    hits = search(rory, "rain")
    assert [hit.letter.pk for hit in hits] == [often.pk, once.pk]
    assert hits[0].score > hits[1].score


def test_salutation_and_closing_are_searched_too(world):
    jess, rory = world["jess"], world["rory"]
    letter = send_now(make_letter(jess, rory, closing="Your Marmalade", body="x"))

    hit = search(rory, "marmalade")[0]
    assert hit.letter.pk == letter.pk
    assert [part.text for part in hit.snippet if part.mark] == ["Marmalade"]


def test_the_snippet_marks_the_matching_words(world):
    jess, rory = world["jess"], world["rory"]
    send_now(make_letter(jess, rory, body="I left the note under the coffee cup, by the sink."))

    (hit,) = search(rory, "coffee")
    assert [part.text for part in hit.snippet if part.mark] == ["coffee"]
    assert "".join(part.text for part in hit.snippet).startswith("I left the note")


def test_markup_in_a_letter_stays_text_in_the_snippet(world):
    jess, rory = world["jess"], world["rory"]
    send_now(make_letter(jess, rory, body='<script>alert("hi")</script> \x02sneaky\x03 cake'))

    (hit,) = search(rory, "cake")
    text = "".join(part.text for part in hit.snippet)
    assert 'alert("hi")</script>' in text
    assert [part.text for part in hit.snippet if part.mark] == ["cake"]


def test_the_index_follows_every_save_and_the_basket_emptying(world):
    jess, rory = world["jess"], world["rory"]
    letter = make_letter(jess, rory, body="Apples.")
    assert found(jess, "apples") == {letter.pk}

    letters.save_letter(jess, letter.pk, revision=1, body="Pears.")
    assert found(jess, "apples") == set()
    assert found(jess, "pears") == {letter.pk}

    letters.restore_revision(jess, letter.pk, 1)
    assert found(jess, "apples") == {letter.pk}

    letters.discard(jess, letter.pk)
    letters.empty_basket(jess)
    assert found(jess, "apples") == set()
    assert not Entry.objects.exists()


def test_rebuild_makes_the_index_again_from_the_letters(world):
    jess, rory = world["jess"], world["rory"]
    letter = send_now(make_letter(jess, rory, body="Snowdrops in February."))
    Entry.objects.all().delete()
    assert found(rory, "snowdrops") == set()

    assert index.rebuild() == 1
    assert found(rory, "snowdrops") == {letter.pk}


def test_limit_caps_how_many_come_back(world):
    jess, rory = world["jess"], world["rory"]
    for n in range(5):
        make_letter(jess, rory, body=f"Candle number {n}.")

    assert len(search(jess, "candle", limit=3)) == 3
    with pytest.raises(Invalid):
        search(jess, "candle", limit=0)


@pytest.mark.parametrize(
    ("q", "terms"),
    [
        ("kitchen counter", [["kitchen"], ["counter"]]),
        ('"kitchen counter" cup', [["kitchen", "counter"], ["cup"]]),
        ('"unfinished phrase', [["unfinished", "phrase"]]),
        ('don\'t OR "a" NEAR(*)', [["don", "t"], ["or"], ["a"], ["near"]]),
    ],
)
def test_a_query_is_read_as_words_and_phrases_never_as_search_syntax(q, terms):
    assert parse(q) == terms


@pytest.mark.parametrize("q", ["", "   ", '"" ***', "x" * 201, " ".join(["w"] * 13)])
def test_an_unusable_query_is_refused_with_a_reason(q):
    with pytest.raises(Invalid) as refused:
        parse(q)
    assert refused.value.message


def test_search_syntax_typed_by_a_person_is_harmless(world):
    jess, rory = world["jess"], world["rory"]
    letter = make_letter(jess, rory, body="people : body closing NEAR stars")

    assert found(jess, 'people : "p0" OR {body}') == set()
    assert found(jess, "NEAR stars") == {letter.pk}
    assert found(world["rory"], "people") == set()


def test_when_very_many_match_the_most_recent_are_the_ones_ranked(world, monkeypatch):
    jess, rory = world["jess"], world["rory"]
    oldest = make_letter(jess, rory, body="Rain, rain, rain, rain all day.")
    newer = [make_letter(jess, rory, body=f"Some rain on day {n}.") for n in range(3)]
    monkeypatch.setattr("dear.archive.search.RANKED_AT_MOST", 3)

    assert {hit.letter.pk for hit in search(jess, "rain")} == {letter.pk for letter in newer}
    monkeypatch.setattr("dear.archive.search.RANKED_AT_MOST", 10)
    assert search(jess, "rain")[0].letter.pk == oldest.pk


def test_the_database_keeps_its_full_text_index_after_every_migration(db):
    # On SQLite, a later migration that remakes archive_entry would drop its triggers and
    # leave the index silently stale; this fails first.
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'archive_entry'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"archive_entry_ai", "archive_entry_ad", "archive_entry_au"} <= names
            assert "archive_entry_reach" in names
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'archive_entry'")
            assert "archive_entry_document" in {row[0] for row in cursor.fetchall()}


# --- A hidden letter is no oracle (rule 3): it costs what a letter that is not there costs.

HIDDEN_WORD = "quince"
ABSENT_WORD = "zeppelin"


def _counter(home):
    return Place.objects.create(home=home, name="The kitchen counter")


def _draft(jess, rory, home):
    return make_letter(jess, rory, body=f"A {HIDDEN_WORD} draft.")


def _scheduled(jess, rory, home):
    letter = make_letter(jess, rory, body=f"A {HIDDEN_WORD} for tomorrow.")
    return letters.send(jess, letter.pk, deliver_at=timezone.now() + timedelta(days=1))


def _note(jess, rory, home):
    letter = make_letter(jess, rory, body=f"A {HIDDEN_WORD} under the cup.")
    return send_now(letter, place=_counter(home).pk)


def _hinted_note(jess, rory, home):
    letter = make_letter(jess, rory, body=f"A {HIDDEN_WORD} under the cup.")
    return send_now(letter, place=_counter(home).pk, hint=True)


def _blind_sealed(jess, rory, home):
    letter = make_letter(jess, rory, body=f"A sealed {HIDDEN_WORD}.")
    return mutual.seal(jess, letter.pk, blind=True).letter


def _told_sealed(jess, rory, home):
    letter = make_letter(jess, rory, body=f"A sealed {HIDDEN_WORD}.")
    return mutual.seal(jess, letter.pk).letter


def _withdrawn(jess, rory, home):
    with override_settings(SEND_UNDO_SECONDS=600):
        letter = letters.send(
            jess, make_letter(jess, rory, body=f"A {HIDDEN_WORD}, taken back.").pk
        )
    return letters.withdraw(jess, letter.pk)


def _taken_back_note(jess, rory, home):
    note = _note(jess, rory, home)
    return notes.take_back(jess, note.pk)


HIDDEN = {
    "draft": _draft,
    "scheduled for tomorrow": _scheduled,
    "unfound note": _note,
    "unfound hinted note": _hinted_note,
    "blind sealed": _blind_sealed,
    "told sealed": _told_sealed,
    "withdrawn": _withdrawn,
    "note taken back": _taken_back_note,
}


@pytest.fixture(params=list(HIDDEN), ids=list(HIDDEN))
def hidden_letter(request, world, home):
    return HIDDEN[request.param](world["jess"], world["rory"], home)


def searched(person, q: str) -> tuple[set, int]:
    """What a search finds, and how many queries it ran."""
    with CaptureQueriesContext(connection) as ran:
        hits = found(person, q)
    return hits, len(ran.captured_queries)


def test_a_word_only_in_a_letter_hidden_from_the_reader_finds_nothing(world, hidden_letter):
    assert found(world["rory"], HIDDEN_WORD) == set()


def test_a_hidden_word_runs_as_many_queries_as_an_absent_word_one(world, hidden_letter):
    _, hidden_count = searched(world["rory"], HIDDEN_WORD)
    _, absent_count = searched(world["rory"], ABSENT_WORD)

    assert hidden_count == absent_count == 1


def test_the_writer_finds_their_letter_in_every_hidden_state(world, hidden_letter):
    assert found(world["jess"], HIDDEN_WORD) == {hidden_letter.pk}


def test_the_ranked_query_never_meets_a_hidden_letter(world, hidden_letter):
    from dear.archive.search import _Postgres, _reader, _SQLite

    rory = world["rory"]
    terms = parse(HIDDEN_WORD)
    backend = _SQLite(terms, rory) if connection.vendor == "sqlite" else _Postgres(terms, rory)
    assert backend.ranked(20, _reader(rory, timezone.now())) == []


def test_the_index_names_as_readers_exactly_those_the_letter_will_reach(world, hidden_letter):
    entry = Entry.objects.get(letter=hidden_letter)
    later = timezone.now() + timedelta(days=30)
    for name, person in world.items():
        named = index.person_token(person.pk) in entry.people.split()
        reaches = Letter.objects.visible_to(person, later).filter(pk=hidden_letter.pk).exists()
        assert named == reaches, name


def test_a_scheduled_letter_is_found_once_its_time_has_come(world, home):
    letter = _scheduled(world["jess"], world["rory"], home)

    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert found(world["rory"], HIDDEN_WORD) == {letter.pk}


def test_a_note_is_found_in_search_once_its_reader_found_it(world, home):
    rory = world["rory"]
    note = _note(world["jess"], rory, home)

    notes.find_notes(rory, note.place)
    assert found(rory, HIDDEN_WORD) == {note.pk}
    assert found(world["sam"], HIDDEN_WORD) == set()


def test_a_sealed_letter_is_found_once_sealed_back(world, home):
    jess, rory = world["jess"], world["rory"]
    sealed = _blind_sealed(jess, rory, home)

    mutual.seal(rory, make_letter(rory, jess, body="Mine too.").pk)
    assert found(rory, HIDDEN_WORD) == {sealed.pk}


def test_a_withdrawn_letter_sent_again_is_found_once_it_arrives(world, home):
    jess, rory = world["jess"], world["rory"]
    letter = _withdrawn(jess, rory, home)

    send_now(letter)
    assert found(rory, HIDDEN_WORD) == {letter.pk}


def test_a_letter_withdrawn_before_its_time_is_not_found_after_it(world, home):
    jess, rory = world["jess"], world["rory"]
    letter = _scheduled(jess, rory, home)
    letters.withdraw(jess, letter.pk)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert found(rory, HIDDEN_WORD) == set()


def test_a_letter_on_its_way_when_its_reader_leaves_is_never_found(world, home):
    from dear.homes import services as homes

    letter = _scheduled(world["jess"], world["rory"], home)
    homes.leave_home(world["rory"], home.pk)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert found(world["rory"], HIDDEN_WORD) == set()
    assert found(world["jess"], HIDDEN_WORD) == {letter.pk}


def test_rebuild_names_the_same_readers_as_the_index_kept_on_the_way(world, home):
    jess, rory = world["jess"], world["rory"]
    for make in HIDDEN.values():
        make(jess, rory, home)
    sent = send_now(make_letter(jess, [rory, world["sam"]], body="To you both."))
    notes.find_notes(rory, _note(jess, rory, home).place)
    fields = ("letter_id", "people", "writer_id", "visible_from")
    kept = set(Entry.objects.values_list(*fields))

    index.rebuild()
    assert set(Entry.objects.values_list(*fields)) == kept
    assert Entry.objects.get(letter=sent).visible_from is not None
