"""Notes on the web: leaving one from the writing page, rule 2 on every page its
recipient can reach, the writer's receipts, the receipts setting, and moving a note."""

from __future__ import annotations

import pytest
from django.test import override_settings

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.letters import notes
from dear.letters.models import Letter, State
from tests.helpers import make_letter, send_now


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


@pytest.fixture
def note(counter, jess, rory):
    return send_now(make_letter(jess, rory, body="Under yesterday's cup."), place=counter.pk)


def test_the_writing_page_offers_to_leave_it_at_a_place(counter, draft, jess, client_of):
    html = client_of(jess).get(f"/letters/{draft.pk}/edit").content.decode()
    assert "Leave it at…" in html
    assert f'<option value="{counter.pk}">The counter</option>' in html
    assert f'formaction="/letters/{draft.pk}/leave"' in html
    assert "Hint: they see that something waits" in html and "Hidden: they find it" in html


def test_the_writing_page_offers_no_place_when_the_home_has_none(draft, jess, client_of):
    html = client_of(jess).get(f"/letters/{draft.pk}/edit").content.decode()
    assert "Leave it at a place" not in html and 'name="place"' not in html


def test_leaving_a_note_from_the_writing_page(counter, draft, jess, client_of):
    with override_settings(SEND_UNDO_SECONDS=0):
        response = client_of(jess).post(
            f"/letters/{draft.pk}/leave",
            {"revision": 1, "body": "Changed my mind, then wrote this.", "place": counter.pk},
        )

    assert response.status_code == 302
    left = Letter.objects.get(pk=draft.pk)
    assert (left.state, left.place, left.hint) == (State.SENT, counter, False)
    assert left.body == "Changed my mind, then wrote this."
    page = client_of(jess).get(f"/letters/{draft.pk}").content.decode()
    assert f'<a href="/places/{counter.pk}">By the counter</a>, hidden.' in page


def test_leaving_with_a_hint(counter, draft, jess, client_of):
    client_of(jess).post(f"/letters/{draft.pk}/leave", {"place": counter.pk, "hint": "yes"})
    assert Letter.objects.get(pk=draft.pk).hint is True


@pytest.mark.parametrize("place", ["", "01900000-0000-7000-8000-000000000000", "nonsense"])
def test_leaving_needs_a_real_place(home, draft, jess, client_of, place):
    response = client_of(jess).post(f"/letters/{draft.pk}/leave", {"place": place})
    assert response.status_code == 422
    assert Letter.objects.get(pk=draft.pk).state == State.DRAFT


def test_before_finding_it_the_note_is_on_no_page_of_its_recipient(note, jess, rory, client_of):
    client = client_of(rory)

    assert b"Under yesterday" not in client.get("/").content
    assert b"Under yesterday" not in client.get("/inbox").content
    assert b"Under yesterday" not in client.get(f"/with/{jess.pk}").content
    assert client.get(f"/letters/{note.pk}").status_code == 404
    assert client.post(f"/letters/{note.pk}/reply").status_code == 404
    assert client.get(f"/letters/{note.pk}/revisions").status_code == 404


def test_after_finding_it_the_note_joins_the_inbox_and_correspondence(
    note, counter, jess, rory, client_of
):
    client = client_of(rory)
    client.get(f"/p/{counter.label}", follow=True)

    # Read where it was found, so Home no longer lists it as waiting for him.
    assert b"Under yesterday" not in client.get("/").content
    assert b"Under yesterday" in client.get("/inbox").content
    assert b"Under yesterday" in client.get(f"/with/{jess.pk}").content
    page = client.get(f"/letters/{note.pk}").content.decode()
    assert "Under yesterday" in page
    assert f'Left for you <a href="/places/{counter.pk}">by the counter</a>.' in page


def test_the_writer_sees_left_then_found_then_read(note, counter, jess, rory, client_of):
    writer, reader = client_of(jess), client_of(rory)
    url = f"/letters/{note.pk}"

    assert "not found yet" in writer.get(url).content.decode()
    notes.find_notes(rory, counter)  # found through the API, say: not yet read
    page = writer.get(url).content.decode()
    assert "Found " in page and "Read " not in page
    reader.get(url)
    assert "Read " in writer.get(url).content.decode()


def test_opening_the_place_shows_the_note_so_it_is_found_and_read(
    note, counter, jess, rory, client_of
):
    client_of(rory).get(f"/places/{counter.pk}")
    page = client_of(jess).get(f"/letters/{note.pk}").content.decode()
    assert "Found " in page and "Read " in page


def test_with_receipts_off_the_writer_is_told_they_will_not_see_them(
    note, counter, jess, rory, client_of
):
    set_receipts(rory, False)
    client_of(rory).get(f"/places/{counter.pk}")
    client_of(rory).get(f"/letters/{note.pk}")

    page = client_of(jess).get(f"/letters/{note.pk}").content.decode()

    assert "Found " not in page and "Read " not in page
    assert "Rory keeps read receipts off, so you will not see when it is found or read" in page


def test_the_settings_page_explains_receipts_for_both_people(jess, client_of):
    html = client_of(jess).get("/settings").content.decode()
    assert (
        "Receipts work both ways. While yours are on, the people who write to you see when "
        "you found and read their letters, and you see when they found and read yours. "
        "Turn them off and neither of you sees it."
    ) in html
    assert 'name="receipts" value="off"' in html and "Turn receipts off" in html


def test_turning_receipts_off_and_on(jess, client_of):
    client = client_of(jess)
    assert client.post("/settings/receipts", {}).status_code == 302
    jess.refresh_from_db()
    assert jess.receipts is False

    client.post("/settings/receipts", {"receipts": "on"})
    jess.refresh_from_db()
    assert jess.receipts is True and jess.receipts_since is not None


def test_a_note_at_an_archived_place_is_offered_to_its_writer(note, counter, home, jess, client_of):
    shelf = homes.create_place(jess, home.pk, "The shelf")
    homes.archive_place(jess, counter.pk)
    client = client_of(jess)

    home_page = client.get("/").content.decode()
    assert "Notes at places that were put away" in home_page
    letter_page = client.get(f"/letters/{note.pk}").content.decode()
    assert "That place was archived" in letter_page
    assert f'<option value="{shelf.pk}">The shelf</option>' in letter_page
    assert f'<option value="{counter.pk}">' not in letter_page
    assert "Take it back to the drawer" in letter_page

    client.post(f"/letters/{note.pk}/move", {"place": shelf.pk})
    assert Letter.objects.get(pk=note.pk).place == shelf
    assert "Notes at places that were put away" not in client.get("/").content.decode()


def test_taking_a_note_back_to_the_drawer(note, counter, jess, client_of):
    response = client_of(jess).post(f"/letters/{note.pk}/take-back")
    assert response.status_code == 302
    assert Letter.objects.get(pk=note.pk).state == State.KEPT


def test_a_found_note_is_not_offered_back_to_the_drawer(note, counter, jess, rory, client_of):
    notes.find_notes(rory, counter)
    page = client_of(jess).get(f"/letters/{note.pk}").content.decode()
    assert "Take it back to the drawer" not in page
    assert client_of(jess).post(f"/letters/{note.pk}/take-back").status_code == 409


def test_a_found_note_offers_no_move_and_says_who_found_it(
    note, counter, home, jess, rory, client_of
):
    homes.create_place(jess, home.pk, "The shelf")
    notes.find_notes(rory, counter)

    page = client_of(jess).get(f"/letters/{note.pk}").content.decode()

    assert "Move it to another place" not in page
    assert f'action="/letters/{note.pk}/move"' not in page
    assert f'action="/letters/{note.pk}/take-back"' not in page
    assert "Rory found it there on" in page and "so it stays where it was found." in page


def test_moving_a_found_note_anyway_changes_nothing_and_says_why(
    note, counter, home, jess, rory, client_of
):
    shelf = homes.create_place(jess, home.pk, "The shelf")
    notes.find_notes(rory, counter)

    response = client_of(jess).post(f"/letters/{note.pk}/move", {"place": shelf.pk})

    assert response.status_code == 409
    assert "Rory has found this note, so it stays where it was found." in response.content.decode()
    assert Letter.objects.get(pk=note.pk).place == counter


def test_with_receipts_off_the_note_page_does_not_say_whether_it_was_found(
    note, counter, home, jess, rory, client_of
):
    homes.create_place(jess, home.pk, "The shelf")
    set_receipts(rory, False)

    page = client_of(jess).get(f"/letters/{note.pk}").content.decode()

    assert "Move it to another place" not in page
    assert "It stays where you left it: receipts cannot show you whether it was found." in page


def test_search_finds_a_note_only_once_its_place_was_opened(note, counter, rory, client_of):
    client = client_of(rory)
    link = f'href="/letters/{note.pk}"'
    assert link not in client.get("/search", {"q": "yesterday"}).content.decode()

    client.get(f"/places/{counter.pk}")

    assert link in client.get("/search", {"q": "yesterday"}).content.decode()
