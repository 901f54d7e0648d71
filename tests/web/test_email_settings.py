"""The settings page's email section: an address confirmed by a link that really arrives,
what Dear emails, and a Dear with no email set up."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from dear.accounts.services import WRONG_PASSWORD
from dear.notify.addresses import NO_EMAIL, PASSWORD_NEEDED
from dear.notify.models import EmailChoices
from tests.helpers import PASSWORD


def link_in(received) -> str:
    """The confirmation link's path, as it arrived in the email."""
    return re.search(r"http://dear\.test(/email/confirm/\S+)", received.text()).group(1)


def test_adding_an_address_keeps_it_unconfirmed_and_sends_its_link(mailbox, jess, client_of):
    response = client_of(jess).post(
        "/settings/email", {"address": "jess@home.test", "password": PASSWORD}, follow=True
    )

    assert "A link is on its way to jess@home.test" in response.content.decode()
    jess.refresh_from_db()
    assert (jess.email, jess.email_confirmed_at) == ("jess@home.test", None)
    (sent,) = mailbox.messages
    assert sent.envelope_to == ["jess@home.test"]
    assert sent.subject == "Confirm your email address for Dear"


def test_following_the_link_confirms_the_address_without_logging_in(mailbox, jess, client_of):
    client_of(jess).post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})

    response = client_of(None).get(link_in(mailbox.messages[0]))

    assert response.status_code == 200
    assert "Address confirmed" in response.content.decode()
    jess.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"


def test_a_link_followed_while_signed_in_as_someone_else_confirms_only_its_owner(
    mailbox, jess, rory, client_of
):
    client_of(jess).post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})

    client_of(rory).get(link_in(mailbox.messages[0]))

    jess.refresh_from_db()
    rory.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"
    assert (rory.email, rory.email_confirmed_at) == ("", None)


def test_the_settings_page_shows_where_dear_emails_once_confirmed(mailbox, jess, client_of):
    client = client_of(jess)
    client.post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})
    before = client.get("/settings").content.decode()
    client.get(link_in(mailbox.messages[0]))

    after = client.get("/settings").content.decode()

    assert "is not confirmed yet" in before
    assert "Send the link again" in before
    assert "Dear emails you at <strong>jess@home.test</strong>" in after
    assert "Send the link again" not in after


def test_changing_a_confirmed_address_unconfirms_it_and_the_old_link_is_spent(
    mailbox, jess, client_of
):
    client = client_of(jess)
    client.post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})
    old_link = link_in(mailbox.messages[0])
    client.get(old_link)

    client.post("/settings/email", {"address": "jess@work.test", "password": PASSWORD})

    jess.refresh_from_db()
    assert (jess.email, jess.email_confirmed_at) == ("jess@work.test", None)
    assert mailbox.messages[1].envelope_to == ["jess@work.test"]
    stale = client_of(None).get(old_link)
    assert stale.status_code == 410
    assert "an address the account no longer has" in stale.content.decode()
    jess.refresh_from_db()
    assert jess.email_confirmed_at is None


def test_giving_the_same_confirmed_address_again_sends_nothing(mailbox, jess, client_of):
    client = client_of(jess)
    client.post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})
    client.get(link_in(mailbox.messages[0]))

    response = client.post(
        "/settings/email", {"address": "jess@home.test", "password": PASSWORD}, follow=True
    )

    assert "already your address, and confirmed" in response.content.decode()
    assert len(mailbox.messages) == 1
    jess.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"


def test_a_link_that_did_not_go_keeps_the_address_and_offers_it_again(mailbox, jess, client_of):
    client = client_of(jess)
    mailbox.refuse.append("451 4.3.0 try later")

    response = client.post(
        "/settings/email", {"address": "jess@home.test", "password": PASSWORD}, follow=True
    )

    page = response.content.decode()
    assert "could not send the link just now" in page
    assert "Send the link again" in page
    jess.refresh_from_db()
    assert (jess.email, jess.email_confirmed_at) == ("jess@home.test", None)
    assert mailbox.messages == []

    again = client.post("/settings/email/link", follow=True)

    assert "A link is on its way to jess@home.test" in again.content.decode()
    assert len(mailbox.messages) == 1


def test_a_mail_server_that_is_down_is_said_plainly(mailbox, jess, client_of, settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:1"

    response = client_of(jess).post(
        "/settings/email", {"address": "jess@home.test", "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert "could not send the link just now" in response.content.decode()


def test_a_link_more_than_three_days_old_is_refused_kindly(mailbox, jess, client_of):
    client_of(jess).post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})
    link = link_in(mailbox.messages[0])

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1), tick=False):
        response = client_of(None).get(link)

    assert response.status_code == 410
    assert "more than three days old" in response.content.decode()
    jess.refresh_from_db()
    assert jess.email_confirmed_at is None


def test_a_forged_or_cut_short_link_is_refused_kindly(mailbox, jess, client_of):
    client_of(jess).post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})
    link = link_in(mailbox.messages[0])

    cut = client_of(None).get(link[:-3])
    forged = client_of(None).get(link.replace("/confirm/", "/confirm/x"))

    assert cut.status_code == forged.status_code == 410
    assert "not one Dear sent" in cut.content.decode()
    jess.refresh_from_db()
    assert jess.email_confirmed_at is None


def test_a_bad_address_is_refused_and_nothing_is_stored(mailbox, jess, client_of):
    response = client_of(jess).post(
        "/settings/email", {"address": "not an address", "password": PASSWORD}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "That email address does not look right." in page
    assert 'value="not an address"' in page
    jess.refresh_from_db()
    assert jess.email == ""
    assert mailbox.messages == []


def confirmed(client, mailbox, address="jess@home.test"):
    """Give ``address`` with the password and follow the link that came for it."""
    client.post("/settings/email", {"address": address, "password": PASSWORD})
    client.get(link_in(mailbox.to(address)[-1]))


def test_the_address_form_asks_for_the_password_in_plain_words(mailbox, jess, client_of):
    page = client_of(jess).get("/settings").content.decode()

    assert (
        '<label for="email-password">Your password, to change where Dear writes to you</label>'
        in page
    )
    assert re.search(r'<input id="email-password" name="password" type="password" required', page)


def test_a_wrong_password_changes_nothing_and_sends_nothing(mailbox, jess, client_of):
    client = client_of(jess)
    confirmed(client, mailbox)

    response = client.post("/settings/email", {"address": "thief@away.test", "password": "guess"})

    assert response.status_code == 422
    page = response.content.decode()
    assert WRONG_PASSWORD in page
    assert 'value="thief@away.test"' in page
    assert 'value="guess"' not in page
    jess.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"
    assert len(mailbox.messages) == 1


def test_without_the_password_no_address_is_added(mailbox, jess, client_of):
    response = client_of(jess).post("/settings/email", {"address": "thief@away.test"})

    assert response.status_code == 422
    assert PASSWORD_NEEDED in response.content.decode()
    jess.refresh_from_db()
    assert jess.email == ""
    assert mailbox.messages == []


def test_with_the_password_the_address_changes_and_the_old_one_is_told(mailbox, jess, client_of):
    client = client_of(jess)
    confirmed(client, mailbox)

    response = client.post(
        "/settings/email", {"address": "jess@work.test", "password": PASSWORD}, follow=True
    )

    assert "A link is on its way to jess@work.test" in response.content.decode()
    jess.refresh_from_db()
    assert (jess.email, jess.email_confirmed_at) == ("jess@work.test", None)
    (told,) = mailbox.to("jess@home.test")[1:]
    assert told.subject == "The address Dear writes to was changed"
    assert "The address Dear writes to for Jess" in told.text()
    assert "If it wasn't you" in told.text()
    assert "jess@work.test" not in told.text() + told.html()
    (link,) = mailbox.to("jess@work.test")
    assert link.subject == "Confirm your email address for Dear"


def test_an_unconfirmed_address_replaced_is_sent_nothing_more(mailbox, jess, client_of):
    client = client_of(jess)
    client.post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})

    client.post("/settings/email", {"address": "jess@work.test", "password": PASSWORD})

    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"], ["jess@work.test"]]


def test_removing_the_address_needs_the_password(mailbox, jess, client_of):
    client = client_of(jess)
    confirmed(client, mailbox)

    without = client.post("/settings/email/remove")
    wrong = client.post("/settings/email/remove", {"password": "guess"})

    assert (without.status_code, wrong.status_code) == (422, 422)
    assert PASSWORD_NEEDED in without.content.decode()
    assert WRONG_PASSWORD in wrong.content.decode()
    jess.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"
    assert len(mailbox.messages) == 1


def test_removing_the_address_with_the_password_tells_the_old_one(mailbox, jess, client_of):
    client = client_of(jess)
    confirmed(client, mailbox)

    response = client.post("/settings/email/remove", {"password": PASSWORD}, follow=True)

    assert "Dear has no address for you now" in response.content.decode()
    jess.refresh_from_db()
    assert (jess.email, jess.email_confirmed_at) == ("", None)
    assert "Your email address" in client.get("/settings").content.decode()
    assert mailbox.messages[-1].envelope_to == ["jess@home.test"]
    assert mailbox.messages[-1].subject == "The address Dear writes to was changed"


def test_a_notice_that_cannot_go_does_not_undo_the_change(mailbox, jess, client_of, caplog):
    client = client_of(jess)
    confirmed(client, mailbox)
    mailbox.refuse.append("550 5.1.1 no such mailbox")

    response = client.post("/settings/email/remove", {"password": PASSWORD})

    assert response.status_code == 302
    jess.refresh_from_db()
    assert jess.email == ""
    assert "notice of a changed address" in caplog.text
    assert len(mailbox.messages) == 1


def test_wrong_passwords_again_and_again_are_slowed_down(mailbox, jess, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(jess)
    for _ in range(2):
        client.post("/settings/email", {"address": "thief@away.test", "password": "guess"})

    response = client.post("/settings/email", {"address": "thief@away.test", "password": PASSWORD})

    assert response.status_code == 429
    jess.refresh_from_db()
    assert jess.email == ""
    assert mailbox.messages == []


def test_asking_for_links_again_and_again_is_slowed_down(mailbox, jess, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(jess)
    client.post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})
    client.post("/settings/email/link")

    response = client.post("/settings/email/link")

    assert response.status_code == 429
    assert len(mailbox.messages) == 2


def test_email_choices_wait_for_an_address(mailbox, jess, client_of):
    page = client_of(jess).get("/settings").content.decode()

    assert 'name="letters"' not in page
    assert "Add my address" in page
    assert "Change or remove my address" not in page


def test_email_choices_start_with_everything_but_the_words(mailbox, jess, client_of):
    jess.email = "jess@home.test"
    jess.save(update_fields=["email"])
    page = client_of(jess).get("/settings").content.decode()

    assert re.search(r'name="letters" value="on" checked', page)
    assert re.search(r'name="sealed" value="on" checked', page)
    assert re.search(r'name="moments" value="on" checked', page)
    assert re.search(r'name="words" value="on" aria-describedby="email-words-help">', page)
    assert "Put the letter's words in the email" in page


def test_email_choices_are_saved_without_the_password(mailbox, jess, client_of):
    client_of(jess).post("/settings/email/choices", {"words": "on", "sealed": "on"})

    choices = EmailChoices.objects.get(person=jess)
    assert (choices.words, choices.letters, choices.sealed, choices.moments) == (
        True,
        False,
        True,
        False,
    )


def test_without_email_set_up_the_section_says_so_and_offers_nothing(jess, client_of, settings):
    settings.EMAIL_URL = ""

    page = client_of(jess).get("/settings").content.decode()

    assert "<p>This Dear does not send email.</p>" in page
    # Setting email up is for whoever runs Dear: a housemate is not told how.
    assert "DEAR_EMAIL_URL" not in page and "README" not in page
    assert "/settings/email" not in page
    assert 'name="words"' not in page


def test_without_email_set_up_quiet_hours_are_kept_but_not_shown(jess, client_of, settings):
    settings.EMAIL_URL = ""
    jess.email = "jess@home.test"
    jess.save(update_fields=["email"])

    page = client_of(jess).get("/settings").content.decode()

    assert "Quiet hours" not in page
    assert '<input type="hidden" name="quiet_from" value="22:00">' in page
    assert '<input type="hidden" name="quiet_until" value="07:00">' in page


def test_quiet_hours_show_once_dear_has_an_address_to_hold_email_back_from(
    mailbox, jess, client_of
):
    client = client_of(jess)
    assert "Quiet hours" not in client.get("/settings").content.decode()

    client.post("/settings/email", {"address": "jess@home.test", "password": PASSWORD})

    page = client.get("/settings").content.decode()
    assert "<legend>Quiet hours</legend>" in page
    assert 'name="quiet_from" type="time" required value="22:00"' in page


def test_a_changed_address_that_needs_a_second_look_opens_its_form_again(mailbox, jess, client_of):
    jess.email = "jess@home.test"
    jess.save(update_fields=["email"])
    client = client_of(jess)
    assert '<details class="change-address">' in client.get("/settings").content.decode()

    response = client.post("/settings/email", {"address": "nope", "password": PASSWORD})

    assert response.status_code == 422
    assert '<details class="change-address" open>' in response.content.decode()


def test_without_email_set_up_no_address_is_taken(jess, client_of, settings):
    settings.EMAIL_URL = ""

    response = client_of(jess).post(
        "/settings/email", {"address": "jess@home.test", "password": PASSWORD}
    )

    assert response.status_code == 409
    assert "This Dear does not send email." in response.content.decode()
    assert NO_EMAIL not in response.content.decode()
    jess.refresh_from_db()
    assert jess.email == ""
