"""The moments page and the glance card on Home: glancing, the window setting, and the
moments two people share."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from dear.mutual import services as mutual
from dear.mutual.models import Glance
from tests.helpers import make_letter
from tests.web.conftest import without_csrf


@pytest.fixture
def clock():
    with time_machine.travel("2030-03-01 08:00Z", tick=False) as traveller:
        yield traveller


def _glance(browser, person, home, **kw):
    return browser.post("/glances", {"to": person.pk, "home": home.pk}, **kw)


def test_the_page_says_what_a_lone_glance_tells_you(client_of, home, jess):
    page = client_of(jess).get("/moments").content.decode()

    assert (
        "A glance that never becomes a moment tells you only that they had not glanced at you "
        "within the window before yours, and it never tells them that you glanced."
    ) in page
    assert "Glance at Rory" in page and "Glance at Sam" in page


def test_the_home_page_has_a_glance_button_for_each_housemate(client_of, home, jess):
    page = client_of(jess).get("/").content.decode()

    assert "Glance at Rory" in page and "Glance at Sam" in page


def test_a_lone_glance_is_told_only_to_its_sender(client_of, home, jess, rory, clock):
    response = _glance(client_of(jess), rory, home, follow=True)

    page = response.content.decode()
    waiting = "If Rory looks up within an hour, you’ll both know."
    assert "You glanced at Rory" in page and waiting in page
    assert "No moments yet." in page
    assert "No moments yet." in client_of(rory).get("/moments").content.decode()
    home_page = client_of(jess).get("/").content.decode()
    assert "You glanced at Rory <time" in home_page and waiting in home_page
    assert ">at 08:00 UTC</time>. If Rory looks up" in home_page


def test_glancing_from_home_comes_back_home(client_of, home, jess, rory, clock):
    response = client_of(jess).post("/glances", {"to": rory.pk, "home": home.pk, "back": "home"})

    assert response.status_code == 302 and response["Location"] == "/"
    page = client_of(jess).get("/").content.decode()
    assert 'name="back" value="home"' in page


def test_the_other_persons_home_says_nothing_of_a_lone_glance(client_of, home, jess, rory, clock):
    browser = client_of(rory)
    before = {path: without_csrf(browser.get(path).content) for path in ("/", "/moments")}

    _glance(client_of(jess), rory, home)

    for path, page in before.items():
        after = browser.get(path).content
        assert without_csrf(after) == page
        assert b"You glanced at" not in after and b"Jess glanced" not in after
        assert b"You both looked up</strong>" not in after


def test_a_waiting_glance_leaves_home_when_its_window_closes(client_of, home, jess, rory, clock):
    _glance(client_of(jess), rory, home)

    clock.shift(timedelta(minutes=61))

    assert "You glanced at Rory" not in client_of(jess).get("/").content.decode()


def test_a_mutual_glance_is_a_card_on_both_homes_for_a_day(client_of, home, jess, rory, clock):
    _glance(client_of(jess), rory, home)
    clock.shift(timedelta(minutes=4))
    _glance(client_of(rory), jess, home)

    hers = client_of(jess).get("/").content.decode()
    his = client_of(rory).get("/").content.decode()
    assert "<strong>You both looked up</strong> — you and Rory, <time" in hers
    assert "<strong>You both looked up</strong> — you and Jess, <time" in his
    assert "08:04 UTC</time>." in hers and "08:04 UTC</time>." in his
    # The glance has met: neither is told it still waits.
    assert "You glanced at" not in hers + his

    clock.shift(timedelta(hours=25))
    assert "You both looked up" not in client_of(jess).get("/").content.decode()
    assert "You both looked up" in client_of(jess).get("/moments").content.decode()


def test_glancing_back_makes_a_moment_both_see(client_of, home, jess, rory, clock):
    _glance(client_of(jess), rory, home)
    clock.shift(timedelta(minutes=5))

    response = _glance(client_of(rory), jess, home, follow=True)

    assert "<h3>You both looked up</h3>" in response.content.decode()
    for person in (jess, rory):
        page = client_of(person).get("/moments").content.decode()
        assert "<h3>You both looked up</h3>" in page
        assert "today 08:05 UTC</time>" in page
    clock.shift(timedelta(days=40))
    assert "1 March, 08:05 UTC</time>" in client_of(jess).get("/moments").content.decode()


def test_while_a_glance_waits_home_says_so_in_place_of_its_button(
    client_of, home, jess, rory, clock
):
    browser = client_of(jess)
    _glance(browser, rory, home)

    for path in ("/", "/moments"):
        page = browser.get(path).content.decode()
        assert "Glance at Rory</button>" not in page
        assert '<span class="glanced">Glanced at Rory</span>' in page
        assert "Glance at Sam</button>" in page

    clock.shift(timedelta(minutes=61))
    assert "Glance at Rory</button>" in browser.get("/").content.decode()


def test_after_a_glance_met_home_offers_no_second_until_the_window_passes(
    client_of, home, jess, rory, clock
):
    _glance(client_of(jess), rory, home)
    clock.shift(timedelta(minutes=4))
    _glance(client_of(rory), jess, home)

    assert "Glance at Jess</button>" not in client_of(rory).get("/").content.decode()
    clock.shift(timedelta(minutes=61))
    assert "Glance at Jess</button>" in client_of(rory).get("/").content.decode()


def test_a_second_glance_too_soon_lands_back_with_a_calm_word_not_an_error(
    client_of, home, jess, rory, clock
):
    browser = client_of(jess)
    _glance(browser, rory, home)

    # A page left open from before the first glance still has its button.
    again = browser.post("/glances", {"to": rory.pk, "home": home.pk, "back": "home"})

    assert again.status_code == 302 and again["Location"] == "/"
    page = browser.get("/").content.decode()
    assert "You glanced at Rory less than an hour ago." in page
    assert "Slow down a little" not in page
    from_moments = _glance(browser, rory, home, follow=True)
    assert from_moments.redirect_chain == [("/moments", 302)]
    assert "You glanced at Rory less than an hour ago." in from_moments.content.decode()
    assert Glance.objects.count() == 1


def test_an_opened_sealed_pair_is_a_moment_with_both_letters(client_of, home, jess, rory):
    hers = make_letter(jess, rory)
    mutual.seal(jess, hers.pk)
    his = make_letter(rory, jess)
    mutual.seal(rory, his.pk)

    page = client_of(jess).get("/moments").content.decode()

    assert "<h3>You both sealed a letter, and both opened</h3>" in page
    assert re.search(rf'href="/letters/{his.pk}">\s*<span class="whose">Read Rory’s</span>', page)
    assert re.search(rf'href="/letters/{hers.pk}">\s*<span class="whose">Read yours</span>', page)
    # Both letters' first words, so the pair reads as a pair.
    assert "Dear Rory," in page and "Dear Jess," in page


def test_the_moments_page_no_longer_holds_the_glance_window_form(client_of, home, jess):
    page = client_of(jess).get("/moments").content.decode()

    assert "glance-window" not in page
    assert "Glance at Rory" in page


def test_any_member_sets_the_window(client_of, home, rory):
    response = client_of(rory).post(
        f"/homes/{home.pk}/glance-window", {"minutes": "90"}, follow=True
    )

    home.refresh_from_db()
    assert home.glance_window_minutes == 90
    assert "Glances in The flat now meet within 90 minutes." in response.content.decode()


@pytest.mark.parametrize("minutes", ["", "4", "1441", "an hour"])
def test_a_window_out_of_range_is_refused_clearly(client_of, home, rory, minutes):
    response = client_of(rory).post(f"/homes/{home.pk}/glance-window", {"minutes": minutes})

    assert response.status_code == 422
    assert "from 5 to 1440 (24 hours)" in response.content.decode()
    home.refresh_from_db()
    assert home.glance_window_minutes == 60


def test_the_moments_page_is_constant_in_queries(client_of, home, jess, rory, clock):
    browser = client_of(jess)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert browser.get("/moments").status_code == 200
        return len(captured)

    mutual.glance(jess, rory.pk)
    mutual.glance(rory, jess.pk)
    mutual.seal(jess, make_letter(jess, rory).pk)
    mutual.seal(rory, make_letter(rory, jess).pk)
    one = queries()
    for _ in range(5):
        clock.shift(timedelta(hours=2))
        mutual.glance(jess, rory.pk)
        mutual.glance(rory, jess.pk)
        mutual.seal(jess, make_letter(jess, rory).pk)
        mutual.seal(rory, make_letter(rory, jess).pk)
    assert queries() == one
