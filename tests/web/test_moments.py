"""The moments page: glancing, the window setting, and the moments two people share."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from dear.mutual import services as mutual
from dear.mutual.models import Glance
from tests.helpers import make_letter


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
    assert "You glanced at Rory. If Rory glances at you within an hour" in page
    assert "No moments yet." in page
    assert "No moments yet." in client_of(rory).get("/moments").content.decode()


def test_glancing_back_makes_a_moment_both_see(client_of, home, jess, rory, clock):
    _glance(client_of(jess), rory, home)
    clock.shift(timedelta(minutes=5))

    response = _glance(client_of(rory), jess, home, follow=True)

    assert "You both looked up." in response.content.decode()
    for person in (jess, rory):
        page = client_of(person).get("/moments").content.decode()
        assert "You both looked up." in page
        assert "1 March 2030, 08:05 UTC" in page


def test_a_second_glance_too_soon_is_refused_on_a_calm_page(client_of, home, jess, rory, clock):
    browser = client_of(jess)
    _glance(browser, rory, home)

    response = _glance(browser, rory, home)

    assert response.status_code == 429
    assert "You glanced at Rory less than an hour ago." in response.content.decode()
    assert Glance.objects.count() == 1


def test_an_opened_sealed_pair_is_a_moment_with_both_letters(client_of, home, jess, rory):
    hers = make_letter(jess, rory)
    mutual.seal(jess, hers.pk)
    his = make_letter(rory, jess)
    mutual.seal(rory, his.pk)

    page = client_of(jess).get("/moments").content.decode()

    assert "You both sealed a letter, and both opened." in page
    assert f'href="/letters/{his.pk}">Read Rory’s letter' in page
    assert f'href="/letters/{hers.pk}">yours' in page


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
    one = queries()
    for _ in range(5):
        clock.shift(timedelta(hours=2))
        mutual.glance(jess, rory.pk)
        mutual.glance(rory, jess.pk)
        mutual.seal(jess, make_letter(jess, rory).pk)
        mutual.seal(rory, make_letter(rory, jess).pk)
    assert queries() == one
