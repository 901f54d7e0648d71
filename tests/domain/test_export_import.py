"""Export holds exactly what a person may see; import restores it; the round trip is exact."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from dear.accounts.models import Person
from dear.archive import export
from dear.archive.search import search
from dear.homes.models import Home, Place
from dear.letters import services as letters
from dear.letters.access import letter_for_reader
from dear.letters.models import Delivery, Letter, Revision
from dear.lib.errors import Invalid
from tests.helpers import import_now, make_letter, make_person, send_now


@pytest.fixture
def story(people, home):
    """Jess's letters in every state, one from Rory to her, and what she may not see."""
    jess, rory, sam = people["jess"], people["rory"], people["sam"]
    draft = make_letter(jess, rory, body="First try.")
    letters.crumple(jess, draft.pk)
    letters.save_letter(jess, draft.pk, revision=2, body="Second try, *kinder*.")
    kept = make_letter(jess, [rory, sam], body="For both of you, when I'm ready.")
    letters.keep(jess, kept.pk)
    binned = make_letter(jess, rory, body="Never mind.")
    letters.discard(jess, binned.pk)
    sent = send_now(make_letter(jess, rory, body="I left the light on."))
    letters.mark_read(rory, sent.pk)
    reply = send_now(make_letter(rory, jess, body="I saw it. Thank you.", in_reply_to=sent.pk))
    counter = Place.objects.create(home=home, name="The kitchen counter")
    note = send_now(make_letter(rory, jess, body="Under the cup."))
    Letter.objects.filter(pk=note.pk).update(place=counter)
    Delivery.objects.filter(letter=note).update(found_at=timezone.now())
    # Not Jess's to see: Rory's draft to her, and a letter between Rory and Sam.
    make_letter(rory, jess, body="A draft Jess must never see.")
    send_now(make_letter(rory, sam, body="Between Rory and Sam."))
    return {"draft": draft, "kept": kept, "binned": binned, "sent": sent, "reply": reply}


def exported(person) -> tuple[dict, zipfile.ZipFile]:
    buffer = io.BytesIO()
    export.write(person, buffer)
    buffer.seek(0)
    archive = zipfile.ZipFile(buffer)
    return json.loads(archive.read("archive.json")), archive


def comparable(data: dict) -> list[dict]:
    """The letters of an export with every id replaced by what it stands for."""
    names = {p["id"]: p["display_name"] for p in data["people"]}
    homes = {h["id"]: h["name"] for h in data["homes"]}
    places = {p["id"]: p["name"] for p in data["places"]}
    order = {letter["id"]: n for n, letter in enumerate(data["letters"])}
    me = data["person"]["id"]

    def who(pk):
        return "me" if pk == me else names[pk]

    out = []
    for letter in data["letters"]:
        letter = dict(letter)
        letter.pop("id")
        letter["home"] = homes[letter["home"]]
        letter["from"] = who(letter["from"])
        letter["to"] = [who(pk) for pk in letter["to"]]
        letter["place"] = places.get(letter["place"])
        letter["in_reply_to"] = order.get(letter["in_reply_to"])
        letter["deliveries"] = [{**d, "to": who(d["to"])} for d in letter["deliveries"]]
        out.append(letter)
    return out


def test_export_holds_every_letter_jess_may_see_and_nothing_else(story, people):
    data, archive = exported(people["jess"])

    bodies = {letter["body"] for letter in data["letters"]}
    assert bodies == {
        "Second try, *kinder*.",
        "For both of you, when I'm ready.",
        "Never mind.",
        "I left the light on.",
        "I saw it. Thank you.",
        "Under the cup.",
    }
    assert "A draft Jess must never see." not in archive.read("archive.json").decode()
    assert {p["display_name"] for p in data["people"]} == {"Jess", "Rory", "Sam"}


def test_only_her_own_letters_carry_their_revisions_and_crumpled_pages(story, people):
    data, archive = exported(people["jess"])
    by_body = {letter["body"]: letter for letter in data["letters"]}

    draft = by_body["Second try, *kinder*."]
    assert [(r["number"], r["body"], r["crumpled"]) for r in draft["revisions"]] == [
        (1, "First try.", True),
        (2, "", False),
        (3, "Second try, *kinder*.", False),
    ]
    assert by_body["I saw it. Thank you."]["revisions"] == []
    crumpled = [name for name in archive.namelist() if name.endswith("-crumpled.md")]
    assert len(crumpled) == 1
    assert "First try." in archive.read(crumpled[0]).decode()


def test_a_reader_gets_only_her_own_receipt(story, people):
    data, _ = exported(people["rory"])
    mine = next(letter for letter in data["letters"] if letter["body"] == "I left the light on.")

    assert [d["to"] for d in mine["deliveries"]] == [str(people["rory"].pk)]
    assert mine["deliveries"][0]["read_at"] is not None
    assert mine["revisions"] == []


def test_each_letter_is_a_markdown_file_with_its_details_up_front(story, people):
    _, archive = exported(people["jess"])
    files = [name for name in archive.namelist() if name.startswith("letters/")]
    reply = next(name for name in files if "from-rory" in name and "thank" not in name.lower())
    texts = {name: archive.read(name).decode() for name in files}
    answered = next(text for text in texts.values() if "I saw it. Thank you." in text)

    assert len(files) == 6
    assert reply.endswith(".md")
    head, body = answered.split("\n---\n", 1)
    assert head.startswith("---\n")
    assert 'from: "Rory"' in head
    assert 'to: ["Jess"]' in head
    assert 'state: "sent"' in head
    assert "in_reply_to: " in head and "to-rory" in head
    assert body.strip() == "Dear Jess,\n\nI saw it. Thank you.\n\nRory"
    note = next(text for text in texts.values() if "Under the cup." in text)
    assert 'place: "The kitchen counter"' in note


def test_export_then_import_then_export_gives_the_same_letters(story, people):
    before, archive = exported(people["jess"])
    newcomer = make_person("jess2", "Jess")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as copy:
        for name in archive.namelist():
            copy.writestr(name, archive.read(name))
    buffer.seek(0)

    job = import_now(newcomer, buffer)
    after, _ = exported(newcomer)

    assert (job.state, job.letters_total, job.letters_done) == ("done", 6, 6)
    assert Revision.objects.filter(letter__writer=newcomer).count() == 6
    assert comparable(after) == comparable(before)


def test_imported_letters_are_hers_and_reach_nobody(story, people):
    before, _ = exported(people["jess"])
    newcomer = make_person("jess2", "Jess")
    buffer = io.BytesIO()
    export.write(people["jess"], buffer)
    buffer.seek(0)

    import_now(newcomer, buffer)

    ghosts = Person.objects.filter(username__startswith="former-")
    assert sorted(g.display_name for g in ghosts) == ["Rory", "Sam"]
    assert not any(g.is_active or g.has_usable_password() for g in ghosts)
    assert not ghosts.filter(memberships__isnull=False).exists()
    (archive_home,) = Home.objects.of_member(newcomer)
    assert list(archive_home.memberships.values_list("person", flat=True)) == [newcomer.pk]
    assert {hit.letter.body for hit in search(newcomer, "cup")} == {"Under the cup."}
    # Its unsent letters stay unsendable: nobody they are to lives in a home here.
    kept = Letter.objects.get(writer=newcomer, state="kept")
    with pytest.raises(Invalid):
        letters.send(newcomer, kept.pk)


def test_import_keeps_the_time_of_a_letter_still_on_its_way(people, home):
    jess, rory = people["jess"], people["rory"]
    with override_settings(SEND_UNDO_SECONDS=3600):
        letters.send(jess, make_letter(jess, rory, body="Soon.").pk)
    buffer = io.BytesIO()
    export.write(jess, buffer)
    buffer.seek(0)

    newcomer = make_person("jess2", "Jess")
    import_now(newcomer, buffer)

    letter = Letter.objects.get(writer=newcomer)
    assert letter.deliver_at > timezone.now()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert letter_for_reader(newcomer, letter.pk).state == "sent"


def _zip(files: dict) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    buffer.seek(0)
    return buffer


def _valid(people) -> dict:
    buffer = io.BytesIO()
    export.write(people["jess"], buffer)
    return json.loads(zipfile.ZipFile(buffer).read("archive.json"))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.update(format="other"), "not an archive exported from Dear"),
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d["letters"][0].update(state="lost"), "letters.0.state"),
        (lambda d: d["letters"][0].update(revision=1e20), "letters.0.revision"),
        (lambda d: d["letters"][0].update(body="x" * 100_001), "at most 100,000"),
        (lambda d: d["letters"][0].update(salutation="x" * 201), "letters.0.salutation"),
        (lambda d: d["letters"][0].update(written_at="2024-01-01T10:00:00"), "time zone"),
        (lambda d: d["letters"][0].update(to=["01900000-0000-7000-8000-000000000000"]), "people"),
        (lambda d: d["letters"][0].update(home="01900000-0000-7000-8000-000000000000"), "home"),
        (lambda d: d["letters"].append(d["letters"][0]), "appears twice"),
        (lambda d: d["letters"][0].update(body="a\x00b"), "NUL"),
    ],
)
def test_an_archive_that_is_not_right_is_refused_saying_why(story, people, change, says):
    data = _valid(people)
    change(data)
    before = Letter.objects.count()

    with pytest.raises(Invalid) as refused:
        import_now(people["sam"], _zip({"archive.json": json.dumps(data)}))

    assert says in refused.value.message
    assert Letter.objects.count() == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not a zip at all", "not a zip"),
        (None, "no archive.json"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_saying_why(db, content, says):
    person = make_person("someone")
    if content == b"not a zip at all":
        stream = io.BytesIO(content)
    elif content is None:
        stream = _zip({"hello.txt": "hi"})
    else:
        stream = _zip({"archive.json": content})

    with pytest.raises(Invalid) as refused:
        import_now(person, stream)
    assert says in refused.value.message
