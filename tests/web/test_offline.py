"""The pieces that make Dear installable and usable offline: the service worker served
from the site root, the page shown for a page never opened offline, the manifest link,
and the writing page's offer of words kept on the device."""

from __future__ import annotations

from django.test import Client


def test_service_worker_is_served_from_the_root_so_it_covers_the_whole_app(db):
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content


def test_service_worker_refuses_post(db):
    assert Client().post("/sw.js").status_code == 405


def test_offline_page_shows_no_navigation_even_to_someone_logged_in(client_of, jess):
    response = client_of(jess).get("/offline")
    assert response.status_code == 200
    assert b"No connection" in response.content
    assert b'aria-label="Main"' not in response.content


def test_every_page_links_the_manifest_and_names_the_worker(client_of, jess):
    html = client_of(jess).get("/").content.decode()
    assert '<link rel="manifest" href="/static/dear/manifest.webmanifest">' in html
    assert 'data-worker="/sw.js"' in html


def test_the_writing_page_has_a_hidden_offer_for_words_kept_on_the_device(client_of, jess, draft):
    html = client_of(jess).get(f"/letters/{draft.pk}/edit").content.decode()
    assert 'id="kept-offer"' in html
    assert "Put them back" in html


def test_a_sent_letter_tells_the_device_to_forget_its_kept_words(client_of, jess, delivered):
    html = client_of(jess).get(f"/letters/{delivered.pk}").content.decode()
    assert f'data-forget-unsaved="/letters/{delivered.pk}/save"' in html


def test_the_policy_allows_only_our_own_worker_and_manifest(client, db):
    csp = client.get("/login")["Content-Security-Policy"]
    assert "worker-src 'self'" in csp
    assert "manifest-src 'self'" in csp
