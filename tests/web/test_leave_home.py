"""Leaving a home from the home page: asked first, said plainly; afterwards the leaver's
letters still open on every page, and the home's places and people are out of sight."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from dear.homes import services as homes
from dear.homes.access import is_member
from dear.letters import notes
from dear.letters import services as letters
from dear.mutual import services as mutual
from tests.helpers import make_home, make_letter, send_now
from tests.web.conftest import without_csrf


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def leave(client, home):
    return client.post(f"/homes/{home.pk}/leave", {"confirm": "yes"}, follow=True)


def test_the_homes_own_page_offers_to_leave_it(client_of, home, rory):
    html = client_of(rory).get(f"/homes/{home.pk}").content.decode()

    assert f'action="/homes/{home.pk}/leave"' in html
    assert "Leave The flat…" in html
    assert "Leave The flat…" not in client_of(rory).get("/").content.decode()


def test_leaving_asks_first_and_says_plainly_what_happens(client_of, home, rory):
    response = client_of(rory).post(f"/homes/{home.pk}/leave")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="leave-heading">Leave The flat?</h1>' in html
    assert "Every letter you wrote and every letter that reached you" in html
    assert "go back to their writers' drawers" in html
    assert "come back to your drawer" in html
    assert "The flat goes on for the others" in html
    assert 'name="confirm" value="yes"' in html
    assert is_member(rory, home)


def test_the_last_one_in_a_home_is_told_so(client_of, jess):
    alone = make_home("The cabin", jess)

    html = client_of(jess).post(f"/homes/{alone.pk}/leave").content.decode()

    assert "You are the last one in The cabin" in html


def test_confirming_leaves_and_the_home_is_gone_from_the_home_page(client_of, home, jess, rory):
    scheduled = make_letter(rory, jess)
    letters.send(rory, scheduled.pk, deliver_at=timezone.now() + timedelta(days=1))

    response = leave(client_of(rory), home)

    html = response.content.decode()
    assert response.redirect_chain == [("/", 302)]
    assert "You left The flat. Your letters stay with you." in html
    assert "1 of your letters that had not arrived yet is back in your drawer." in html
    assert "The flat</h2>" not in html
    assert "You do not belong to a home yet." in html
    assert not is_member(rory, home)


def test_leaving_is_post_only_and_an_outsider_gets_the_404_of_a_missing_home(
    client_of, home, olive, other_home
):
    client = client_of(olive)
    assert client_of(olive).get(f"/homes/{home.pk}/leave").status_code == 405

    theirs = client.post(f"/homes/{home.pk}/leave", {"confirm": "yes"})
    missing = client.post(f"/homes/{uuid.uuid4()}/leave", {"confirm": "yes"})

    assert theirs.status_code == missing.status_code == 404
    assert without_csrf(theirs.content) == without_csrf(missing.content)


def test_after_leaving_the_homes_pages_answer_404(client_of, home, jess, rory, counter):
    client = client_of(rory)
    leave(client, home)

    for path in (
        f"/places/{counter.pk}",
        f"/p/{counter.label}",
        f"/homes/{home.pk}/labels",
        f"/write?to={jess.pk}&home={home.pk}",
        f"/with/{jess.pk}",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/homes/{home.pk}/places", {"name": "Shelf"}).status_code == 404
    assert client.post(f"/homes/{home.pk}/invites").status_code == 404
    assert client.post("/glances", {"to": jess.pk, "home": home.pk}).status_code == 404


def test_every_page_with_the_leavers_letters_still_opens(client_of, home, jess, rory, counter):
    got = send_now(make_letter(jess, rory, body="The lighthouse keeper waved."))
    wrote = send_now(make_letter(rory, jess, body="I saw the lighthouse too."))
    note = send_now(make_letter(jess, rory, body="Under the cup."), place=counter.pk)
    notes.find_notes(rory, counter)
    hers = mutual.seal(jess, make_letter(jess, rory, body="Sealed words.").pk).letter
    mutual.seal(rory, make_letter(rory, jess, body="Sealed back.").pk)
    client = client_of(rory)
    leave(client, home)

    for letter in (got, wrote, note, hers):
        assert client.get(f"/letters/{letter.pk}").status_code == 200
    inbox = client.get("/inbox").content.decode()
    assert all(f"/letters/{one.pk}" in inbox for one in (got, note, hers))
    assert f"/letters/{wrote.pk}" in client.get("/sent").content.decode()
    found = client.get("/search", {"q": "lighthouse"}).content.decode()
    assert f"/letters/{got.pk}" in found and f"/letters/{wrote.pk}" in found
    export = client.get("/archive/export")
    with zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content))) as archive:
        text = archive.read("archive.json").decode()
    assert "The lighthouse keeper waved." in text and "I saw the lighthouse too." in text
    assert client.get("/moments").status_code == 200


def test_the_correspondence_with_someone_still_shared_keeps_the_left_homes_letters(
    client_of, home, jess, rory
):
    make_home("The shed", jess, rory)
    got = send_now(make_letter(jess, rory, home=home))
    client = client_of(rory)
    leave(client, home)

    html = client.get(f"/with/{jess.pk}").content.decode()

    assert f"/letters/{got.pk}" in html


def test_a_letter_page_shows_nothing_of_the_home_as_it_is_now(client_of, home, jess, rory, counter):
    got = send_now(make_letter(jess, rory), place=counter.pk)
    wrote = send_now(make_letter(rory, jess), place=counter.pk)
    kept = make_letter(rory, jess)
    letters.keep(rory, kept.pk)
    notes.find_notes(rory, counter)
    notes.find_notes(jess, counter)
    client = client_of(rory)
    leave(client, home)
    homes.create_place(jess, home.pk, "The new shelf")
    homes.change_place(jess, counter.pk, name="The worktop")

    for path in (f"/letters/{got.pk}", f"/letters/{wrote.pk}", f"/letters/{kept.pk}/edit"):
        html = client.get(path).content.decode()
        assert "The new shelf" not in html and "The worktop" not in html, path
        assert f"/places/{counter.pk}" not in html and "Sam" not in html, path
        assert "Move it there" not in html, path
    html = client.get(f"/letters/{got.pk}").content.decode()
    assert "a home you have since left" in html
    assert f'action="/letters/{got.pk}/reply"' not in html
    html = client.get(f"/letters/{kept.pk}/edit").content.decode()
    assert "You have left this letter's home: it can no longer be sent" in html


def test_the_drawer_says_why_a_letter_can_no_longer_go(client_of, home, jess, rory):
    on_its_way = make_letter(jess, rory)
    letters.send(jess, on_its_way.pk, deliver_at=timezone.now() + timedelta(days=1))
    kept = make_letter(rory, jess)
    letters.keep(rory, kept.pk)
    leave(client_of(rory), home)

    hers = client_of(jess).get("/drawer").content.decode()
    his = client_of(rory).get("/drawer").content.decode()

    assert f"/letters/{on_its_way.pk}/edit" in hers
    assert "Rory left The flat, so this can no longer be sent to them." in hers
    assert "You left The flat, so this can no longer be sent." in his


def test_the_drawer_says_nothing_while_everyone_is_still_home(client_of, home, jess, rory):
    kept = make_letter(jess, rory)
    letters.keep(jess, kept.pk)

    assert "can no longer be sent" not in client_of(jess).get("/drawer").content.decode()
