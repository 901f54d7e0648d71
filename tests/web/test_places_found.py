"""Finding a note is the note: a scanned label opens straight to the letters found there;
the writer sees her own notes waiting at the place; the label, the name and archiving
wait one tap away on the place's manage page; a place is named with its preposition."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.homes.seen import place_at
from dear.letters import notes
from dear.letters.models import Delivery
from tests.helpers import make_letter, send_now
from tests.qr import decoded
from tests.web.conftest import without_csrf


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def _note(writer, to, place, body="Under yesterday's cup.", **kw):
    return send_now(
        make_letter(writer, to, body=body, salutation="Dear Rory,", closing="Jess"),
        place=place.pk,
        **kw,
    )


def test_a_scanned_label_opens_straight_to_the_note_as_a_letter(counter, jess, rory, client_of):
    note = _note(jess, rory, counter)

    html = client_of(rory).get(f"/p/{counter.label}", follow=True).content.decode()

    main = html.split("<main", 1)[1]
    assert re.search(r"<h1[^>]*>Found by the counter</h1>", main)
    paper = main.index('class="paper"')
    assert main.index("Found by the counter") < paper
    assert "Dear Rory," in main and "Under yesterday&#x27;s cup." in main and "Jess" in main
    assert f'action="/letters/{note.pk}/reply"' in main
    # Nothing of managing the place comes before the note, and only a link to it after.
    for managing in ("<svg", "Replace the label", 'name="name"', "Archive this place"):
        assert managing not in main
    assert main.index(f'href="/places/{counter.pk}/manage"') > paper


def test_several_notes_are_shown_one_after_another_newest_first(
    counter, jess, rory, sam, client_of
):
    _note(jess, rory, counter, body="The first one.")
    _note(sam, rory, counter, body="The second one.")

    html = client_of(rory).get(f"/places/{counter.pk}").content.decode()

    assert html.count('class="paper"') == 2
    assert html.index("The second one.") < html.index("The first one.")
    assert "From Sam" in html and "From Jess" in html


def test_the_writer_sees_her_note_waiting_there_hidden_not_found_yet(
    counter, jess, rory, client_of
):
    note = _note(jess, rory, counter)

    html = client_of(jess).get(f"/places/{counter.pk}").content.decode()

    assert f'<a href="/letters/{note.pk}">Your note for Rory</a>' in html
    assert "waits here — hidden, not found yet." in html
    assert "Nothing new waits here for you." not in html
    assert ">Leave a note here</a>" in html


def test_the_writer_sees_a_hinted_note_for_two_waiting(counter, jess, rory, sam, client_of):
    _note(jess, [rory, sam], counter, hint=True)

    html = client_of(jess).get(f"/places/{counter.pk}").content.decode()

    assert "Your note for Rory and Sam</a>" in html or "Your note for Sam and Rory</a>" in html
    assert "waits here — hinted, not found yet." in html


def test_once_found_the_note_no_longer_waits_for_its_writer(counter, jess, rory, client_of):
    _note(jess, rory, counter)
    client_of(rory).get(f"/places/{counter.pk}")

    html = client_of(jess).get(f"/places/{counter.pk}").content.decode()

    assert "Your note for Rory" not in html
    assert "Nothing new waits here for you." in html


def test_with_receipts_off_the_writers_place_page_tells_nothing_of_a_finding(
    counter, jess, rory, client_of
):
    _note(jess, rory, counter)
    set_receipts(rory, False)
    writer = client_of(jess)

    before = writer.get(f"/places/{counter.pk}").content
    client_of(rory).get(f"/places/{counter.pk}")
    assert Delivery.objects.get().found_at is not None
    after = writer.get(f"/places/{counter.pk}").content

    assert without_csrf(before) == without_csrf(after)
    html = after.decode()
    assert "was left here — hidden. Receipts cannot show you whether it was found." in html
    assert "not found yet" not in html


def test_nobody_else_learns_of_a_note_from_the_place_page(counter, jess, rory, sam, client_of):
    _note(jess, rory, counter, hint=True)

    for html in (
        client_of(sam).get(f"/places/{counter.pk}").content.decode(),
        client_of(rory).get(f"/places/{counter.pk}/manage").content.decode(),
    ):
        assert "Your note" not in html and "yesterday" not in html
    assert Delivery.objects.get().found_at is None  # the manage page finds nothing


def test_with_one_housemate_leaving_a_note_here_is_already_to_them(jess, rory, client_of):
    home = homes.create_home(jess, "The cabin")
    homes.accept_invite(rory, homes.create_invite(jess, home.pk).code)
    shed = homes.create_place(jess, home.pk, "The shed")

    html = client_of(jess).get(f"/places/{shed.pk}").content.decode()

    assert (
        f'href="/write?home={home.pk}&amp;choose=place&amp;place={shed.pk}&amp;to={rory.pk}"'
        in html
    )


def test_the_manage_page_holds_the_label_the_name_and_archiving(counter, jess, client_of):
    html = client_of(jess).get(f"/places/{counter.pk}/manage").content.decode()

    assert re.search(r"<h1[^>]*>Manage The counter</h1>", html)
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert decoded(svg) == [f"http://testserver/p/{counter.label}"]
    assert "Replace the label" in html and 'name="name"' in html
    assert "Archive this place" in html
    assert f'href="/places/{counter.pk}">Back to The counter</a>' in html


def test_a_new_place_is_announced_with_a_capital(home, jess, client_of):
    response = client_of(jess).post(
        f"/homes/{home.pk}/places", {"name": "the counter", "kind": "spot"}, follow=True
    )
    assert "The counter is a place in The flat now." in response.content.decode()


@pytest.mark.parametrize(
    ("hint", "told"),
    [
        ("no", "nothing tells Rory it is there."),
        ("yes", "Rory sees a hint that something waits there."),
    ],
)
def test_leaving_says_where_for_whom_and_whether_they_are_told(
    home, jess, rory, draft, client_of, hint, told
):
    book = homes.create_place(jess, home.pk, "The book he is reading", "object")

    response = client_of(jess).post(
        f"/letters/{draft.pk}/leave", {"place": book.pk, "hint": hint}, follow=True
    )

    html = response.content.decode()
    assert (
        f"Left in the book he is reading for Rory. It waits there until Rory looks; {told}" in html
    )
    assert "Sent." not in html


def test_a_moved_note_says_where_it_waits_now(home, counter, jess, rory, client_of):
    note = _note(jess, rory, counter)
    fridge = homes.create_place(jess, home.pk, "The fridge")

    response = client_of(jess).post(f"/letters/{note.pk}/move", {"place": fridge.pk}, follow=True)

    assert "Moved. It waits on the fridge now." in response.content.decode()


def test_a_found_note_names_its_place_with_its_preposition(home, jess, rory, client_of):
    book = homes.create_place(jess, home.pk, "The book", "object")
    note = _note(jess, rory, book)
    notes.find_notes(rory, book)

    html = client_of(rory).get(f"/letters/{note.pk}").content.decode()

    assert f'Left for you <a href="/places/{book.pk}">in the book</a>.' in html


@pytest.mark.parametrize(
    ("name", "kind", "at"),
    [
        ("The counter", "spot", "by the counter"),
        ("the hallway", "spot", "by the hallway"),
        ("The book he is reading", "object", "in the book he is reading"),
        ("My coat pocket", "object", "in my coat pocket"),
        ("The fridge", "spot", "on the fridge"),
        ("the fridge door", "spot", "on the fridge door"),
        ("His pillow", "object", "under his pillow"),
        ("Under the pillow", "spot", "under the pillow"),
        ("next to the kettle", "spot", "next to the kettle"),
        ("Rory's guitar case", "object", "in Rory's guitar case"),
        ("Kitchen", "spot", "by Kitchen"),
    ],
)
def test_a_place_is_named_with_its_preposition(name, kind, at):
    assert place_at(name, kind) == at


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_place_page_takes_the_same_queries_however_many_notes(counter, jess, rory, client_of):
    """Opened again, with notes found before and her own waiting: no query per note. (The
    opening that finds notes refreshes each one's search entry, once.)"""

    def leave(how_many: int) -> None:
        for _ in range(how_many):
            _note(jess, rory, counter)  # waiting for Rory, and on Jess's page
            _note(rory, jess, counter)  # found by Jess, then found before

    path = f"/places/{counter.pk}"
    client = client_of(jess)
    leave(2)
    client.get(path)
    few = _queries(client, path)
    leave(8)
    client.get(path)
    assert _queries(client, path) == few


def test_at_an_archived_place_the_writer_is_told_her_note_cannot_be_found(
    counter, jess, rory, client_of
):
    _note(jess, rory, counter)
    homes.archive_place(jess, counter.pk)

    html = client_of(jess).get(f"/places/{counter.pk}").content.decode()

    assert "This place was archived" in html
    assert "Nobody can find it here now: open it to move it or take it back." in html
    assert "Leave a note here" not in html


def test_a_note_left_for_later_says_from_when_it_waits(counter, jess, rory, client_of):
    later = timezone.now() + timedelta(days=2)
    _note(jess, rory, counter, deliver_at=later)

    html = client_of(jess).get(f"/places/{counter.pk}").content.decode()

    assert "Your note for Rory</a>" in html
    assert "waits here from <time" in html and "— hidden, not found yet." in html
    # Not there yet for Rory: opening the place finds nothing.
    assert (
        "Nothing new waits here for you."
        in client_of(rory).get(f"/places/{counter.pk}").content.decode()
    )
