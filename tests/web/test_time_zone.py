"""A person's clock on the web: dates shown on it, the browser's zone as the default, and
the settings page's "Your time" (time zone and quiet hours)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.utils import timezone

from dear.lib.errors import RateLimited
from dear.mutual.services import glance
from tests.helpers import make_letter, send_now

WRITTEN = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)
# Read in the winter of the same year: dates say the day and month, no year.
READ = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def lives_in(person, name):
    person.time_zone = name
    person.save(update_fields=["time_zone"])


@pytest.fixture
def summer_letter(home, jess, rory):
    with time_machine.travel(WRITTEN, tick=False):
        letter = send_now(make_letter(jess, rory, body="Written on a summer night."))
    with time_machine.travel(READ, tick=False):
        yield letter


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_each_reader_sees_a_letters_dates_on_their_own_clock(client_of, summer_letter, jess, rory):
    lives_in(jess, "Europe/Lisbon")
    lives_in(rory, "Asia/Tokyo")

    hers = text_of(client_of(jess).get(f"/letters/{summer_letter.pk}"))
    his = text_of(client_of(rory).get(f"/letters/{summer_letter.pk}"))

    assert "1 July, 22:30</time>" in hers  # WEST, UTC+1
    assert "2 July, 06:30</time>" in his  # JST, UTC+9
    assert 'datetime="2026-07-02T06:30:00+09:00"' in his
    assert " UTC</time>" not in hers + his


def test_lists_show_dates_on_the_readers_clock_too(client_of, summer_letter, rory):
    lives_in(rory, "America/New_York")

    inbox = text_of(client_of(rory).get("/inbox"))

    assert "1 July, 17:30</time>" in inbox


def test_while_the_zone_is_unknown_dates_say_utc_and_the_script_may_show_local_time(
    client_of, summer_letter, jess
):
    page = text_of(client_of(jess).get(f"/letters/{summer_letter.pk}"))

    assert "data-local>1 July, 21:30 UTC</time>" in page


def test_the_readers_zone_lasts_only_for_their_own_request(client_of, summer_letter, jess):
    lives_in(jess, "Pacific/Auckland")

    client_of(jess).get(f"/letters/{summer_letter.pk}")

    assert timezone.get_current_timezone_name() == "UTC"


def test_the_api_stays_in_utc_even_from_a_logged_in_browser(client_of, summer_letter, jess):
    lives_in(jess, "Asia/Tokyo")

    # A browser session is no bearer token: the API answers it 401, in UTC as ever.
    response = client_of(jess).get(f"/api/v1/letters/{summer_letter.pk}")

    assert response.status_code == 401
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_page_for_someone_with_no_zone_asks_their_browser_once(client_of, home, jess):
    page = client_of(jess).get("/").content.decode()

    assert 'action="/settings/time/device" data-zone-probe hidden' in page


def test_a_page_for_someone_with_a_zone_asks_nothing(client_of, home, jess):
    lives_in(jess, "Europe/London")

    assert "data-zone-probe" not in client_of(jess).get("/").content.decode()


def test_nobody_logged_in_is_asked_for_a_zone(client_of, db):
    assert "data-zone-probe" not in client_of().get("/login").content.decode()


def test_the_browsers_zone_becomes_the_persons_default(client_of, jess):
    response = client_of(jess).post("/settings/time/device", {"time_zone": "America/Chicago"})

    assert response.json() == {"kept": True, "time_zone": "America/Chicago"}
    jess.refresh_from_db()
    assert jess.time_zone == "America/Chicago"


def test_the_browser_never_replaces_a_zone_already_chosen(client_of, jess):
    lives_in(jess, "Europe/Lisbon")

    response = client_of(jess).post("/settings/time/device", {"time_zone": "America/Chicago"})

    assert response.json() == {"kept": False, "time_zone": "Europe/Lisbon"}
    jess.refresh_from_db()
    assert jess.time_zone == "Europe/Lisbon"


@pytest.mark.parametrize("sent", ["", "Not/AZone", "America", "localtime", "x" * 200])
def test_a_browser_zone_that_is_not_one_is_ignored(client_of, jess, sent):
    response = client_of(jess).post("/settings/time/device", {"time_zone": sent})

    assert response.status_code == 200
    assert response.json()["kept"] is False
    jess.refresh_from_db()
    assert jess.time_zone == ""


def test_the_browsers_zone_needs_the_csrf_token(jess):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(jess)

    response = browser.post("/settings/time/device", {"time_zone": "Europe/Lisbon"})

    assert response.status_code == 403
    jess.refresh_from_db()
    assert jess.time_zone == ""


def test_settings_shows_your_time_with_the_zone_chosen_and_quiet_hours(client_of, jess, settings):
    # Quiet hours only hold email back, so they show to someone Dear can email.
    settings.EMAIL_URL = "smtp://127.0.0.1:2525"
    jess.email = "jess@home.test"
    jess.save(update_fields=["email"])
    lives_in(jess, "Europe/Lisbon")

    page = text_of(client_of(jess).get("/settings"))

    assert '<h2 id="time-heading">Your time</h2>' in page
    assert '<option value="Europe/Lisbon" selected>Lisbon</option>' in page
    assert '<optgroup label="America">' in page
    assert 'name="quiet_from" type="time" required value="22:00"' in page
    assert 'name="quiet_until" type="time" required value="07:00"' in page
    assert (
        "Emails about letters wait until your quiet hours end. "
        "Letters themselves arrive when they arrive."
    ) in page
    assert "Use this device's zone</button>" in page


def test_settings_offers_no_zone_chosen_while_there_is_none(client_of, jess):
    page = client_of(jess).get("/settings").content.decode()

    assert '<option value="" selected>Not chosen yet (UTC)</option>' in page


def test_settings_keeps_showing_an_old_zone_name_a_browser_sent(client_of, jess):
    lives_in(jess, "US/Eastern")

    page = client_of(jess).get("/settings").content.decode()

    assert '<option value="US/Eastern" selected>US/Eastern</option>' in page


def test_saving_your_time_keeps_the_zone_and_quiet_hours(client_of, jess):
    response = client_of(jess).post(
        "/settings/time",
        {"time_zone": "Australia/Sydney", "quiet_from": "23:15", "quiet_until": "06:30"},
        follow=True,
    )

    assert "Your time is saved." in response.content.decode()
    jess.refresh_from_db()
    assert (jess.time_zone, jess.quiet_from, jess.quiet_until) == (
        "Australia/Sydney",
        time(23, 15),
        time(6, 30),
    )


@pytest.mark.parametrize(
    ("posted", "says"),
    [
        ({"time_zone": "Atlantis/Capital"}, "is not a time zone Dear knows"),
        ({"quiet_from": "late"}, "Give the start of your quiet hours as hours and minutes"),
        ({"quiet_until": ""}, "Give the end of your quiet hours as hours and minutes"),
    ],
)
def test_your_time_that_needs_a_second_look_shows_the_form_again_and_keeps_nothing(
    client_of, jess, posted, says
):
    fields = {"time_zone": "Europe/Lisbon", "quiet_from": "21:00", "quiet_until": "08:00"}

    response = client_of(jess).post("/settings/time", {**fields, **posted})

    assert response.status_code == 422
    page = text_of(response)
    assert says in page
    assert '<h2 id="time-heading">Your time</h2>' in page
    jess.refresh_from_db()
    assert (jess.time_zone, jess.quiet_from, jess.quiet_until) == ("", time(22, 0), time(7, 0))


def test_a_glance_refused_as_too_soon_says_when_on_the_glancers_clock(home, jess, rory):
    lives_in(jess, "Asia/Tokyo")
    with time_machine.travel(datetime(2030, 3, 1, 8, 0, tzinfo=UTC), tick=False):
        glance(jess, rory.pk)
        with pytest.raises(RateLimited, match="again after 18:00 on 1 March"):
            glance(jess, rory.pk)
