"""Each email as it arrives at a real mail server: subject, both parts, the link, and a
letter's words only for whoever asked for them."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from dear.mutual import services as mutual
from dear.notify import emails, reminders, transport
from dear.notify.models import EmailChoices, Kind, Notification
from tests.helpers import make_letter, send_now

WORDS = "Under the cup, <b>as always</b> & more.\nSecond line."


def confirmed(person, address=None):
    person.email = address or f"{person.username}@home.test"
    person.email_confirmed_at = timezone.now()
    person.save()
    return person


def arrived(mailbox, message):
    transport.send_now(message)
    return mailbox.messages[-1]


def notification(recipient, kind, **about) -> Notification:
    return Notification(recipient=recipient, kind=kind, due_at=timezone.now(), **about)


def test_a_letter_email_says_who_wrote_and_links_to_it_without_its_words(mailbox, home, jess, rory):
    confirmed(rory)
    letter = send_now(make_letter(jess, rory, body=WORDS))

    got = arrived(mailbox, emails.for_notification(notification(rory, Kind.LETTER, letter=letter)))

    assert got.subject == "A letter from Jess is waiting"
    assert got.envelope_to == ["rory@home.test"]
    assert "Rory" in got.to
    url = f"http://dear.test/letters/{letter.pk}"
    assert url in got.text()
    assert f'href="{url}"' in got.html()
    for part in (got.text(), got.html(), got.subject):
        assert "Under the cup" not in part
        assert "Dear Rory," not in part


def test_a_letter_email_carries_the_words_for_someone_who_asked(mailbox, home, jess, rory):
    confirmed(rory)
    EmailChoices.objects.create(person=rory, words=True)
    letter = send_now(make_letter(jess, rory, body=WORDS))

    got = arrived(mailbox, emails.for_notification(notification(rory, Kind.LETTER, letter=letter)))

    text = got.text().replace("\r\n", "\n")
    assert "Dear Rory,\n\nUnder the cup, <b>as always</b> & more.\nSecond line.\n" in text
    assert "\nJess\n" in text
    html = got.html()
    assert "Under the cup, &lt;b&gt;as always&lt;/b&gt; &amp; more.<br>Second line." in html
    assert "<b>as always</b>" not in html
    assert got.subject == "A letter from Jess is waiting"


def test_a_writers_name_is_escaped_in_the_html_and_plain_in_the_subject(mailbox, home, jess, rory):
    jess.display_name = "Jess <3 & co"
    jess.save()
    confirmed(rory)
    letter = send_now(make_letter(jess, rory))

    got = arrived(mailbox, emails.for_notification(notification(rory, Kind.LETTER, letter=letter)))

    assert got.subject == "A letter from Jess <3 & co is waiting"
    assert "Jess &lt;3 &amp; co wrote to you" in got.html()
    assert "Jess <3 & co wrote to you" in got.text()


def test_a_name_outside_ascii_reaches_the_header_intact(mailbox, home, jess, rory):
    rory.display_name = "Rórý Ó'Brien"
    rory.save()
    confirmed(rory)
    letter = send_now(make_letter(jess, rory))

    got = arrived(mailbox, emails.for_notification(notification(rory, Kind.LETTER, letter=letter)))

    assert got.message["To"].addresses[0].display_name == "Rórý Ó'Brien"


def test_sealed_letters_opening_link_to_the_letter_now_readable(mailbox, home, jess, rory):
    confirmed(jess)
    mutual.seal(jess, make_letter(jess, rory).pk)
    theirs = mutual.seal(rory, make_letter(rory, jess).pk)
    moment = theirs.moment

    got = arrived(
        mailbox,
        emails.for_notification(notification(jess, Kind.SEALED, moment=moment, about=rory)),
    )

    assert got.subject == "Your sealed letters to each other have opened"
    assert f"http://dear.test/letters/{theirs.letter.pk}" in got.text()
    assert "You and Rory each sealed a letter" in got.text()


def test_a_moment_email_names_the_other_person(mailbox, home, jess, rory):
    confirmed(rory)
    mutual.glance(jess, rory.pk)
    moment = mutual.glance(rory, jess.pk).moment

    got = arrived(
        mailbox, emails.for_notification(notification(rory, Kind.MOMENT, moment=moment, about=jess))
    )

    assert got.subject == "You and Jess looked up at the same time"
    assert "http://dear.test/moments" in got.text()


def test_a_reminder_counts_the_quiet_days_in_words(mailbox, home, jess, rory):
    confirmed(jess)
    start = timezone.now()
    reminders.set_reminder(jess, rory.pk, after_days=7, email=True)

    with time_machine.travel(start + timedelta(days=9, hours=1), tick=False):
        (stretch,) = reminders.due(jess)
        owed = notification(jess, Kind.REMINDER, about=rory, key=reminders.key(stretch))
        got = arrived(mailbox, emails.for_notification(owed))

    assert got.subject == "Nine days since you and Rory wrote"
    assert f"http://dear.test/with/{rory.pk}" in got.text()


def test_every_notification_email_says_how_to_change_which_come(mailbox, home, jess, rory):
    confirmed(rory)
    letter = send_now(make_letter(jess, rory))

    got = arrived(mailbox, emails.for_notification(notification(rory, Kind.LETTER, letter=letter)))

    assert "http://dear.test/settings" in got.text()
    assert 'href="http://dear.test/settings"' in got.html()


def test_the_confirmation_email_goes_to_the_new_address_with_its_link(mailbox, jess):
    got = arrived(
        mailbox, emails.confirmation(jess, "new@home.test", "http://dear.test/email/confirm/x")
    )

    assert got.envelope_to == ["new@home.test"]
    assert got.subject == "Confirm your email address for Dear"
    assert "http://dear.test/email/confirm/x" in got.text()
    assert 'href="http://dear.test/email/confirm/x"' in got.html()
    assert '"jess"' in got.text()


def test_the_password_reset_email_goes_to_the_confirmed_address(mailbox, jess):
    confirmed(jess, "jess@elsewhere.test")

    got = arrived(mailbox, emails.password_reset(jess, "http://dear.test/password/reset/a/b"))

    assert got.envelope_to == ["jess@elsewhere.test"]
    assert got.subject == "Set a new password for Dear"
    assert "http://dear.test/password/reset/a/b" in got.text()
    assert "within an hour" in got.text()


def test_an_email_comes_from_the_configured_sender(mailbox, jess):
    got = arrived(mailbox, emails.confirmation(jess, "jess@home.test", "http://dear.test/x"))

    assert got.envelope_from == "dear@home.test"
    assert str(got.message["From"]) == "Dear <dear@home.test>"


def test_the_address_changed_notice_goes_to_the_old_address_and_says_what_to_do(mailbox, jess):
    confirmed(jess, "jess@work.test")

    got = arrived(mailbox, emails.address_changed(jess, "jess@home.test"))

    assert got.envelope_to == ["jess@home.test"]
    assert got.subject == "The address Dear writes to was changed"
    for part in (got.text(), got.html()):
        assert "The address Dear writes to for Jess" in part
        assert "it is no longer jess@home.test" in part
        assert "If it wasn't you" in part
        assert "jess@work.test" not in part
    assert "http://dear.test/settings" in got.text()
    assert 'href="http://dear.test/settings"' in got.html()
    assert "because you asked for them" not in got.text()
