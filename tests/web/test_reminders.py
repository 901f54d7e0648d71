"""Quiet reminders in the browser: turned on from the letters with one person, listed in
settings, and a gentle line on the home page once the quiet is long enough."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from dear.mutual.services import seal
from dear.notify import reminders
from dear.notify.models import Reminder
from tests.helpers import make_letter
from tests.web.conftest import without_csrf

START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock(home):
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def html(response) -> str:
    return response.content.decode()


# The home page


def test_the_home_page_says_nothing_before_the_quiet_is_long_enough(clock, jess, rory, client_of):
    reminders.set_reminder(jess, rory.pk, after_days=7)
    clock.move_to(START + 6 * DAY)
    page = html(client_of(jess).get("/"))
    assert "since you and Rory wrote" not in page
    assert "quiet-reminders" not in page


def test_the_home_page_has_a_gentle_line_and_a_way_to_write(clock, home, jess, rory, client_of):
    reminders.set_reminder(jess, rory.pk, after_days=7)
    clock.move_to(START + 9 * DAY)
    client = client_of(jess)
    page = html(client.get("/"))
    assert "Nine days since you and Rory wrote." in page
    link = f'href="/write?to={rory.pk}&amp;home={home.pk}">Write to Rory</a>'
    assert link in page
    assert client.get(f"/write?to={rory.pk}&home={home.pk}").status_code == 200


def test_the_line_is_only_on_the_home_page_of_whoever_asked(clock, jess, rory, client_of):
    reminders.set_reminder(jess, rory.pk)
    clock.move_to(START + 9 * DAY)
    assert "since you and" not in html(client_of(rory).get("/"))


def test_a_blind_sealed_letter_leaves_the_home_page_exactly_as_it_was(clock, jess, rory, client_of):
    reminders.set_reminder(jess, rory.pk)
    clock.move_to(START + 9 * DAY)
    client = client_of(jess)
    before = without_csrf(client.get("/").content)
    seal(rory, make_letter(rory, jess, body="I never sent mine either.").pk, blind=True)
    after = without_csrf(client.get("/").content)
    assert before == after
    assert "Nine days since you and Rory wrote." in after


# The correspondence page: turning it on, changing it, stopping it


def test_the_correspondence_page_offers_a_reminder(home, jess, rory, client_of):
    page = html(client_of(jess).get(f"/with/{rory.pk}"))
    assert f'action="/with/{rory.pk}/reminder"' in page
    assert "Remind me when" in page
    assert 'name="after_days"' in page and 'value="7"' in page
    assert "Stop reminding" not in page


def test_the_email_box_shows_only_when_email_is_configured(home, jess, rory, client_of, settings):
    settings.EMAIL_URL = ""
    assert "Email me too" not in html(client_of(jess).get(f"/with/{rory.pk}"))
    settings.EMAIL_URL = "smtp://127.0.0.1:2525"
    assert "Email me too" in html(client_of(jess).get(f"/with/{rory.pk}"))


def test_saving_turns_the_reminder_on(home, jess, rory, client_of, settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:2525"
    client = client_of(jess)
    response = client.post(f"/with/{rory.pk}/reminder", {"after_days": "9", "email": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/with/{rory.pk}"
    reminder = Reminder.objects.get()
    assert (reminder.person, reminder.other, reminder.after_days, reminder.email) == (
        jess,
        rory,
        9,
        True,
    )
    page = html(client.get(f"/with/{rory.pk}"))
    assert "Dear will say so when nine days pass without a letter between you and Rory." in page
    assert "On: a line on your home page when nine days pass" in page
    assert 'value="9"' in page and 'name="email" value="on" checked' in page
    assert "Stop reminding" in page


def test_saving_without_email_configured_keeps_the_email_choice(
    home, jess, rory, client_of, settings
):
    reminders.set_reminder(jess, rory.pk, email=True)
    settings.EMAIL_URL = ""
    client_of(jess).post(f"/with/{rory.pk}/reminder", {"after_days": "3"})
    assert Reminder.objects.values_list("after_days", "email").get() == (3, True)


@pytest.mark.parametrize("days", ["0", "366", "seven", "", "2.5", "²", "①", "0007"])
def test_a_bad_number_of_days_is_refused_and_nothing_is_stored(home, jess, rory, client_of, days):
    response = client_of(jess).post(f"/with/{rory.pk}/reminder", {"after_days": days})
    assert response.status_code == 422
    assert "from 1 to 365" in html(response)
    assert not Reminder.objects.exists()


def test_stopping_turns_it_off(home, jess, rory, client_of):
    reminders.set_reminder(jess, rory.pk)
    response = client_of(jess).post(f"/with/{rory.pk}/reminder/stop")
    assert response.status_code == 302
    assert not Reminder.objects.exists()


def test_nobody_may_set_a_reminder_about_someone_outside_their_homes(
    people, jess, olive, client_of
):
    client = client_of(jess)
    assert client.post(f"/with/{olive.pk}/reminder", {"after_days": "7"}).status_code == 404
    assert client.post(f"/with/{olive.pk}/reminder/stop").status_code == 404
    assert not Reminder.objects.exists()


# Settings: the list, each with a one-line edit


def test_settings_says_when_there_are_no_reminders_and_where_to_set_one(
    home, jess, rory, sam, client_of
):
    page = html(client_of(jess).get("/settings"))
    assert "Quiet reminders" in page
    assert "No reminders set. Set one from your letters with " in page
    assert f'<a href="/with/{rory.pk}">Rory</a> or <a href="/with/{sam.pk}">Sam</a>.' in page


def test_settings_lists_each_reminder_with_a_one_line_edit(home, jess, rory, sam, client_of):
    reminders.set_reminder(jess, sam.pk, after_days=3)
    reminders.set_reminder(jess, rory.pk, after_days=12)
    page = html(client_of(jess).get("/settings"))
    assert page.index(f'action="/with/{rory.pk}/reminder"') < page.index(
        f'action="/with/{sam.pk}/reminder"'
    )
    assert 'value="12"' in page and 'value="3"' in page
    assert f'formaction="/with/{rory.pk}/reminder/stop"' in page


def test_editing_from_settings_goes_back_to_settings(home, jess, rory, client_of):
    reminders.set_reminder(jess, rory.pk)
    client = client_of(jess)
    response = client.post(f"/with/{rory.pk}/reminder", {"after_days": "14", "back": "settings"})
    assert response["Location"] == "/settings"
    assert Reminder.objects.get().after_days == 14
    response = client.post(f"/with/{rory.pk}/reminder/stop", {"back": "settings"})
    assert response["Location"] == "/settings"
    assert not Reminder.objects.exists()


def test_back_never_leads_anywhere_else(home, jess, rory, client_of):
    response = client_of(jess).post(
        f"/with/{rory.pk}/reminder", {"after_days": "7", "back": "https://elsewhere.test/"}
    )
    assert response["Location"] == f"/with/{rory.pk}"
