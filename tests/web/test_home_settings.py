"""A home's own page: who lives there, its places and labels, invites, the glance window
and leaving, moved off the home page, which keeps one way there."""

from __future__ import annotations

from uuid import uuid4

from dear.homes import services as homes
from tests.helpers import make_home, make_person


def test_the_home_page_leads_to_each_homes_own_page(home, jess, client_of):
    html = client_of(jess).get("/").content.decode()
    assert f'<a href="/homes/{home.pk}">Manage The flat</a>' in html


def test_the_homes_own_page_gathers_what_the_home_page_no_longer_shows(home, jess, client_of):
    homes.create_place(jess, home.pk, "The counter")
    html = client_of(jess).get(f"/homes/{home.pk}").content.decode()

    assert "<h1>The flat</h1>" in html
    for name in ("Jess (you)", "Rory", "Sam"):
        assert name in html
    assert f'action="/homes/{home.pk}/invites"' in html
    assert "Invite someone to The flat" in html
    assert "Name of the place" in html and "Add this place" in html
    assert f'href="/homes/{home.pk}/labels"' in html
    assert f'action="/homes/{home.pk}/glance-window"' in html
    assert 'name="minutes"' in html and 'value="60"' in html and "Now an hour." in html
    assert f'action="/homes/{home.pk}/leave"' in html and "Leave The flat…" in html


def test_the_home_page_keeps_only_the_calm_things(home, jess, rory, client_of):
    homes.create_place(jess, home.pk, "The counter")
    html = client_of(jess).get("/").content.decode()

    for moved in (
        "Invite someone to The flat",
        "Add this place",
        "Name of the place",
        "Leave The flat",
        "glance-window",
        "Print labels",
    ):
        assert moved not in html, moved
    assert "Write to Rory" in html and "Glance at Rory" in html
    assert f'href="/with/{rory.pk}"' in html
    assert "The counter" in html


def test_a_home_with_nobody_else_offers_the_invite_on_the_home_page(db, client_of):
    ada = make_person("ada", "Ada")
    alone = make_home("The lighthouse", ada)
    html = client_of(ada).get("/").content.decode()
    assert "Nobody else lives here yet." in html
    assert f'action="/homes/{alone.pk}/invites"' in html
    assert "Invite someone to The lighthouse" in html


def test_the_homes_own_page_is_404_to_anyone_not_living_there(home, other_home, olive, client_of):
    client = client_of(olive)
    missing = client.get(f"/homes/{uuid4()}")
    theirs = client.get(f"/homes/{home.pk}")
    assert missing.status_code == theirs.status_code == 404


def test_saving_the_glance_window_comes_back_to_the_homes_own_page(home, rory, client_of):
    response = client_of(rory).post(
        f"/homes/{home.pk}/glance-window", {"minutes": "90"}, follow=True
    )
    assert response.redirect_chain == [(f"/homes/{home.pk}", 302)]
    html = response.content.decode()
    assert "Glances in The flat now meet within 90 minutes." in html
    assert 'value="90"' in html


def test_a_window_out_of_range_shows_the_homes_own_page_with_the_reason(home, rory, client_of):
    response = client_of(rory).post(f"/homes/{home.pk}/glance-window", {"minutes": "4"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "from 5 to 1440 (24 hours)" in html
    assert 'value="4"' in html  # what was typed, to correct
    assert "Leave The flat…" in html


def test_making_a_home_leads_to_its_own_page_to_invite_someone(db, client_of):
    lone = make_person("lone", "Lone")
    response = client_of(lone).post("/homes", {"name": "Attic"}, follow=True)
    html = response.content.decode()
    assert "Attic is ready. Invite someone to it." in html
    assert "Invite someone to Attic" in html
    assert "<h1>Attic</h1>" in html


def test_places_on_the_home_page_are_links_that_open_them(home, jess, client_of):
    place = homes.create_place(jess, home.pk, "The counter")
    html = client_of(jess).get("/").content.decode()
    assert f'href="/places/{place.pk}"' in html
