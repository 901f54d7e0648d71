"""The emails Dear sends, each made of three templates (subject, text, HTML) by one builder.

Templates live in ``notify/email/<name>/``: ``subject.txt``, ``body.txt`` and
``body.html``. A letter's words appear only in the body of a letter email, and only for a
person who asked for them; never in a subject, which mail servers and lock screens show.
"""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dear.letters import seen
from dear.notify.models import EmailChoices, Kind, Notification


def link(path: str) -> str:
    """``path`` on this Dear as the people it emails reach it (DEAR_PUBLIC_URL)."""
    return settings.PUBLIC_URL.rstrip("/") + path


def build(name: str, *, to: str, person, context: dict) -> EmailMultiAlternatives:
    """The email ``name`` to the address ``to``, written for ``person``."""
    context = {
        **context,
        "person": person,
        "settings_url": link(reverse("web:settings")),
        "home_url": link(reverse("web:home")),
    }
    folder = f"notify/email/{name}"
    # One line whatever the template's line breaks: a header cannot hold a newline.
    subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
    text = render_to_string(f"{folder}/body.txt", context)
    html = render_to_string(f"{folder}/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((person.display_name or person.username, to))],
    )
    message.attach_alternative(html, "text/html")
    return message


def for_notification(notification: Notification) -> EmailMultiAlternatives:
    """The email a pending notification owes its recipient, at their confirmed address."""
    person = notification.recipient
    builders = {
        Kind.LETTER: _letter,
        Kind.SEALED: _sealed,
        Kind.MOMENT: _moment,
        Kind.REMINDER: _reminder,
    }
    name, context = builders[Kind(notification.kind)](notification)
    return build(name, to=person.confirmed_email, person=person, context=context)


def _letter(notification: Notification) -> tuple[str, dict]:
    person = notification.recipient
    # The letter as its reader sees it in Dear (letters/seen.py), never more: the outbox
    # checked a moment ago that it reached them, and if that changed since, no words.
    shown = next(iter(seen.by_ids(person, [notification.letter_id])), None)
    choices = EmailChoices.objects.filter(person=person).first()
    words = shown is not None and choices is not None and choices.words
    return "letter", {
        "writer": notification.letter.writer.display_name,
        "url": link(reverse("web:letter", args=[notification.letter_id])),
        "words": words,
        "salutation": shown.salutation if words else "",
        "body": shown.body if words else "",
        "closing": shown.closing if words else "",
    }


def _sealed(notification: Notification) -> tuple[str, dict]:
    moment, person = notification.moment, notification.recipient
    other = moment.other(person)
    # The letter they can read now is the one the other person sealed.
    theirs = moment.first_letter if moment.first_id == other.pk else moment.second_letter
    path = reverse("web:letter", args=[theirs.pk]) if theirs else reverse("web:moments")
    return "sealed", {"other": other.display_name, "url": link(path)}


def _moment(notification: Notification) -> tuple[str, dict]:
    other = notification.moment.other(notification.recipient)
    return "moment", {"other": other.display_name, "url": link(reverse("web:moments"))}


def _reminder(notification: Notification) -> tuple[str, dict]:
    from dear.notify import reminders

    other = notification.about
    days = max((timezone.now() - reminders.since_of(notification)).days, 0)
    line = reminders.sentence(days, other.display_name)
    return "reminder", {
        "line": line.rstrip("."),
        "other": other.display_name,
        "url": link(reverse("web:correspondence", args=[other.pk])),
    }


def confirmation(person, address: str, url: str) -> EmailMultiAlternatives:
    """The link that confirms ``address`` as ``person``'s."""
    return build("confirm", to=address, person=person, context={"url": url, "address": address})


def address_changed(person, old: str) -> EmailMultiAlternatives:
    """To ``old``, the confirmed address ``person`` just replaced or removed: a word in
    case it was not them. The new address stays out of it."""
    return build("address_changed", to=old, person=person, context={"old": old})


def password_reset(person, url: str) -> EmailMultiAlternatives:
    """The link to set a new password, to ``person``'s confirmed address."""
    return build("password_reset", to=person.confirmed_email, person=person, context={"url": url})
