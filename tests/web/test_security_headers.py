"""Headers every page carries, and pages that never run inline script or style (the CSP
would block them, so a page needing one would be broken)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from dear.homes import services as homes
from dear.letters import services as letters
from tests.helpers import make_letter, send_now

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _assert_clean(response):
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html)
    assert not STYLE_ELEMENT.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)


def _assert_headers(response):
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.fixture
def every_page(people, home, client_of, settings):
    """(name, response) for every page a person can be shown."""
    jess, rory = people["jess"], people["rory"]
    settings.SEND_UNDO_SECONDS = 600
    delivered = send_now(make_letter(jess, rory, body="Hello <b>there</b>"))
    draft = make_letter(jess, rory)
    on_its_way = letters.send(jess, make_letter(jess, rory).pk)
    letters.discard(jess, make_letter(jess, rory).pk)
    invite = homes.create_invite(jess, home.pk)
    used = homes.create_invite(jess, home.pk)
    homes.accept_invite(people["olive"], used.code)
    writer, reader, anon = client_of(jess), client_of(rory), Client()
    pages = {
        "login": anon.get("/login"),
        "login failed": anon.post("/login", {"username": "jess", "password": "nope"}),
        "invite signup": anon.get(f"/invite/{invite.code}"),
        "invite used": anon.get(f"/invite/{used.code}"),
        "invite join": client_of(people["olive"]).get(f"/invite/{invite.code}"),
        "home": writer.get("/"),
        "invite made": writer.post(f"/homes/{home.pk}/invites"),
        "write": writer.get(f"/write?to={rory.pk}&home={home.pk}"),
        "edit": writer.get(f"/letters/{draft.pk}/edit"),
        "letter as writer": writer.get(f"/letters/{delivered.pk}"),
        "letter on its way": writer.get(f"/letters/{on_its_way.pk}"),
        "letter as reader": reader.get(f"/letters/{delivered.pk}"),
        "revisions": writer.get(f"/letters/{draft.pk}/revisions"),
        "basket confirm": writer.post("/basket/empty"),
        "correspondence": writer.get(f"/with/{rory.pk}"),
        "settings": writer.get("/settings"),
        "new token": writer.post("/settings/tokens", {"name": "cli"}),
        "not found": writer.get(f"/letters/{people['olive'].pk}"),
        "unknown address": writer.get("/no/such/page"),
        "conflict": writer.post(f"/letters/{delivered.pk}/send"),
        "csrf failure": Client(enforce_csrf_checks=True).post("/login", {}),
    }
    for box in ("inbox", "sent", "drafts", "drawer", "basket"):
        pages[box] = writer.get(f"/{box}")
    return pages


def test_every_page_carries_the_security_headers(every_page):
    for name, response in every_page.items():
        assert response.status_code < 500, name
        _assert_headers(response)


def test_no_page_has_inline_script_style_or_event_handlers(every_page):
    for _name, response in every_page.items():
        _assert_clean(response)


def test_the_welcome_page_is_clean_too(db, client):
    response = client.get("/")
    assert b"Welcome to Dear" in response.content
    _assert_headers(response)
    _assert_clean(response)


def test_the_autosave_answer_carries_the_headers(people, home, client_of):
    draft = make_letter(people["jess"], people["rory"])
    response = client_of(people["jess"]).post(
        f"/letters/{draft.pk}/save", {"revision": 1, "body": "x"}
    )
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_server_error_shows_a_calm_page_and_no_traceback(db, settings):
    settings.ROOT_URLCONF = "tests.web.broken_urls"
    response = Client(raise_request_exception=False).get("/broken")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html
    assert "the words of a letter" not in html
    _assert_headers(response)
    _assert_clean(response)


def test_our_404_handler_matches_the_404_of_a_missing_letter(people, client_of, settings):
    from tests.web.conftest import without_csrf

    client = client_of(people["olive"])
    missing = client.get(f"/letters/{people['jess'].pk}")
    settings.ROOT_URLCONF = "tests.web.broken_urls"
    unknown = client.get("/no/such/page")
    assert unknown.status_code == 404
    assert without_csrf(unknown.content) == without_csrf(missing.content)


WRITING_PAGE_FILES = ("dear.css", "page.js", "write.js")


def test_our_own_css_and_js_stay_small():
    # All the writing page loads of ours: every page's style and script, and its own.
    sizes = [Path(finders.find(f"dear/{name}")).stat().st_size for name in WRITING_PAGE_FILES]
    assert sum(sizes) < 50_000


def test_pages_for_someone_logged_in_are_never_cached(draft, jess, client_of):
    for path in ("/", "/drafts", f"/letters/{draft.pk}/edit"):
        response = client_of(jess).get(path)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_public_page_may_be_cached_as_usual(db, client_of):
    response = client_of(None).get("/login")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_nul_character_anywhere_is_refused_with_a_clear_400(draft, jess, client_of):
    me = client_of(jess)
    assert me.post("/homes", {"name": "Sh\x00ed"}).status_code == 400
    assert me.get("/invite/abc%00def").status_code == 400
    saved = me.post(f"/letters/{draft.pk}/save", {"revision": 1, "body": "a\x00b"})
    assert saved.status_code == 400
    assert draft.revisions.count() == 1
    assert "NUL" in client_of(None).post("/login", {"username": "j\x00"}).content.decode()


def test_a_form_body_that_cannot_be_read_is_a_clear_400_in_each_face(db, client_of):
    anonymous = client_of(None)
    api = anonymous.post("/api/v1/tokens", data=b"x", content_type="multipart/form-data")
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "bad_request"
    page = anonymous.post("/login", data=b"x", content_type="multipart/form-data")
    assert page.status_code == 400
