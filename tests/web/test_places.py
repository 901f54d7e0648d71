"""The places on the web: the home drawn as its places, opening one, changing one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dear.homes import services as homes
from dear.homes.models import Place
from dear.letters.models import Delivery
from tests.helpers import make_letter, send_now


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def test_the_home_page_draws_the_homes_places(home, jess, counter, client_of):
    homes.create_place(jess, home.pk, "The book he is reading", "object")
    html = client_of(jess).get("/").content.decode()

    assert 'class="place-grid"' in html
    assert "The counter" in html and "The book he is reading" in html
    assert 'class="place-tile object' in html and 'class="place-tile spot' in html
    assert f'href="/places/{counter.pk}"' in html
    assert f'href="/homes/{home.pk}/labels"' not in html  # on the home's own page


def test_a_place_tile_names_the_place_and_nothing_else(home, jess, counter, client_of):
    homes.create_place(jess, home.pk, "The book he is reading", "object")

    for path in ("/", f"/homes/{home.pk}"):
        grid = client_of(jess).get(path).content.decode().split('class="place-grid"')[1]
        grid = grid[: grid.index("</ul>")]
        assert "The counter" in grid and "The book he is reading" in grid
        assert "A spot" not in grid and "An object" not in grid


def test_a_place_says_which_home_it_is_in_not_its_kind(home, counter, jess, client_of):
    for path in (f"/places/{counter.pk}", f"/places/{counter.pk}/manage"):
        html = client_of(jess).get(path).content.decode()
        assert f'<p class="meta">In {home.name}</p>' in html
        assert "A spot in" not in html


def test_the_homes_own_page_draws_its_places_with_their_labels_and_a_way_to_add_one(
    home, jess, counter, client_of
):
    html = client_of(jess).get(f"/homes/{home.pk}").content.decode()

    assert 'class="place-tile spot' in html and "The counter" in html
    assert f'href="/homes/{home.pk}/labels"' in html
    assert f'action="/homes/{home.pk}/places"' in html
    assert "Add this place" in html


def test_a_place_holding_a_hinted_note_is_marked_for_its_recipient_only(
    home, jess, rory, counter, client_of
):
    send_now(make_letter(jess, rory), place=counter.pk, hint=True)

    assert "Something waits here for you" in client_of(rory).get("/").content.decode()
    assert "Something waits here for you" not in client_of(jess).get("/").content.decode()


def test_a_hidden_note_leaves_no_mark(home, jess, rory, counter, client_of):
    send_now(make_letter(jess, rory), place=counter.pk, hint=False)
    assert "Something waits here for you" not in client_of(rory).get("/").content.decode()


def test_adding_a_place_from_the_homes_own_page(home, rory, client_of):
    response = client_of(rory).post(
        f"/homes/{home.pk}/places", {"name": "My coat pocket", "kind": "object"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/homes/{home.pk}"
    place = Place.objects.get()
    assert (place.name, place.kind) == ("My coat pocket", "object")


def test_a_bad_place_name_shows_the_homes_own_page_with_the_reason(home, rory, client_of):
    response = client_of(rory).post(f"/homes/{home.pk}/places", {"name": "x" * 81})
    assert response.status_code == 422
    assert b"at most 80 characters" in response.content
    assert b"Name of the place" in response.content
    assert not Place.objects.exists()


def test_a_place_name_is_shown_as_text(home, jess, client_of):
    place = homes.create_place(jess, home.pk, "<script>alert(1)</script>")
    for path in ("/", f"/places/{place.pk}", f"/homes/{home.pk}/labels"):
        html = client_of(jess).get(path).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_opening_a_place_shows_and_finds_the_notes_left_for_you(
    home, jess, rory, counter, client_of
):
    note = send_now(make_letter(jess, rory, body="Under the cup."), place=counter.pk)
    client = client_of(rory)

    first = client.get(f"/places/{counter.pk}").content.decode()
    again = client.get(f"/places/{counter.pk}").content.decode()

    assert "<h1" in first and "Found by the counter</h1>" in first
    assert 'class="paper"' in first and "Under the cup." in first
    assert f'action="/letters/{note.pk}/reply"' in first
    assert "Found here before" in again and "Found by the counter" not in again
    assert f'href="/letters/{note.pk}"' in again
    delivery = Delivery.objects.get()
    assert delivery.found_at is not None and delivery.read_at is not None


def test_a_place_with_nothing_for_you_says_so_and_offers_to_leave_a_note(
    home, counter, sam, client_of
):
    html = client_of(sam).get(f"/places/{counter.pk}").content.decode()
    assert "Nothing new waits here for you." in html
    # Two housemates: the writing page asks whom.
    assert f'href="/write?home={home.pk}&amp;choose=place&amp;place={counter.pk}"' in html
    assert ">Leave a note here</a>" in html


def test_renaming_from_the_manage_page(counter, sam, client_of):
    client = client_of(sam)
    response = client.post(f"/places/{counter.pk}/change", {"name": "The top", "kind": "spot"})
    assert response.status_code == 302
    assert response["Location"] == f"/places/{counter.pk}/manage"
    counter.refresh_from_db()
    assert counter.name == "The top"

    bad = client.post(f"/places/{counter.pk}/change", {"name": "", "kind": "spot"})
    assert bad.status_code == 422
    assert b"Give the place a name" in bad.content
    assert b"Manage The top" in bad.content
    counter.refresh_from_db()
    assert counter.name == "The top"


def test_archiving_from_the_manage_page(home, counter, jess, client_of):
    client = client_of(jess)
    client.post(f"/places/{counter.pk}/archive")

    page = client.get(f"/places/{counter.pk}").content.decode()
    assert "This place was archived" in page and "Leave a note here" not in page
    manage = client.get(f"/places/{counter.pk}/manage").content.decode()
    assert "This place was archived" in manage and "Bring this place back" in manage
    assert "The counter" not in client.get("/").content.decode().split("What waits for you")[1]

    client.post(f"/places/{counter.pk}/restore")
    counter.refresh_from_db()
    assert counter.archived_at is None


def test_the_home_page_takes_the_same_queries_however_many_places_and_notes(
    home, jess, rory, client_of
):
    client = client_of(rory)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    def add_places(how_many: int) -> None:
        for n in range(how_many):
            place = homes.create_place(jess, home.pk, f"Shelf {n}")
            send_now(make_letter(jess, rory), place=place.pk, hint=True)
            send_now(make_letter(rory, jess), place=place.pk)  # stranded once archived
            if n % 2:
                homes.archive_place(jess, place.pk)

    add_places(2)
    few = count()
    add_places(8)

    assert count() == few
