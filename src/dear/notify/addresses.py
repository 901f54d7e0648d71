"""A person's email address, confirmed by a link sent to it, and what they want emailed.

Nothing but the link is ever sent to an address before it is confirmed: an address typed
by mistake, or someone else's, receives one email and no more.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dear.accounts.guard import limit_attempts
from dear.accounts.models import Person
from dear.accounts.services import check_password_again, clean_email
from dear.lib.errors import Conflict, Gone, Invalid
from dear.notify import emails, transport
from dear.notify.models import EmailChoices

logger = logging.getLogger(__name__)

SALT = "dear.notify.addresses.confirm"
LINK_DAYS = 3
NO_EMAIL = (
    "This Dear has no email set up, so it sends none. Whoever runs it can set "
    "DEAR_EMAIL_URL (see the README)."
)
CHOICES = ("words", "letters", "sealed", "moments")
PASSWORD_NEEDED = "Give your password to change where Dear writes to you."


def choices_of(person: Person) -> EmailChoices:
    """Their choices, or the defaults when they never changed any (not saved)."""
    return EmailChoices.objects.filter(person=person).first() or EmailChoices(person=person)


def set_choices(person: Person, **changes: bool | None) -> EmailChoices:
    """Turn kinds of email on or off; a choice given as None stays as it was."""
    unknown = set(changes) - set(CHOICES)
    if unknown:
        raise TypeError(f"no such email choice: {', '.join(sorted(unknown))}")
    wanted = {name: bool(on) for name, on in changes.items() if on is not None}
    if not wanted:
        return choices_of(person)
    choices, _ = EmailChoices.objects.update_or_create(person=person, defaults=wanted)
    return choices


def link_for(person: Person, address: str) -> str:
    """The confirmation link for ``address`` as ``person``'s, as it goes in the email."""
    token = signing.TimestampSigner(salt=SALT).sign_object({"p": str(person.pk), "a": address})
    return emails.link(reverse("web:confirm_email", args=[token]))


def _limit(person: Person) -> None:
    # Each link is an email to an address nobody has confirmed yet: a few will do.
    digest = hashlib.sha256(str(person.pk).encode()).hexdigest()
    limit_attempts(
        {f"email-link:{digest}": settings.LOGIN_LIMIT},
        "Dear has sent several links in the last few minutes. Wait a little and try again.",
    )


def send_link(person: Person) -> bool:
    """Send the link that confirms ``person``'s address again. False when the mail server
    did not take it (the address stays, unconfirmed, to try again)."""
    if not transport.configured():
        raise Conflict(NO_EMAIL)
    if not person.email:
        raise Conflict("There is no address to confirm: add one first.")
    if person.email_confirmed_at:
        raise Conflict(f"{person.email} is already confirmed.")
    _limit(person)
    return _send_link(person)


def _send_link(person: Person) -> bool:
    message = emails.confirmation(person, person.email, link_for(person, person.email))
    try:
        transport.send_now(message)
    except (transport.TemporaryFailure, transport.PermanentFailure) as exc:
        logger.warning("The confirmation link for %s did not go: %s", person.pk, exc)
        return False
    return True


def update(
    person: Person,
    *,
    address: str | None = None,
    password: str | None = None,
    **choices: bool | None,
) -> bool | None:
    """Change the address (None: leave it; "": remove it) and the choices, checking all
    of it before storing any. Adding, replacing or removing the address needs the
    person's ``password``: with it goes the way to reset the password, so a borrowed
    session must not be enough. A new address is kept unconfirmed and sent its link at
    once: answers whether the link went, or None when no link was due."""
    new = None
    if address is not None:
        address = clean_email(address)
        if address and not (address == person.email and person.email_confirmed_at):
            if not transport.configured():
                raise Conflict(NO_EMAIL)
            new = address
        if address != person.email:
            if not password:
                raise Invalid(PASSWORD_NEEDED)
            check_password_again(person, password)
        if new:
            _limit(person)
    old = person.confirmed_email
    with transaction.atomic():
        set_choices(person, **choices)
        if new:
            _store(person, new)
        elif address == "":
            _clear(person)
    sent = _send_link(person) if new else None
    if old and old != person.email:
        _tell_old_address(person, old)
    return sent


def set_address(person: Person, address: str, *, password: str | None) -> bool | None:
    """Make ``address`` ``person``'s; see ``update``."""
    return update(person, address=address, password=password)


def remove_address(person: Person, *, password: str | None) -> None:
    """Dear writes to them no more; see ``update``."""
    update(person, address="", password=password)


def _store(person: Person, address: str) -> None:
    Person.objects.filter(pk=person.pk).update(email=address, email_confirmed_at=None)
    person.email, person.email_confirmed_at = address, None


def _clear(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(email="", email_confirmed_at=None)
    person.email, person.email_confirmed_at = "", None


def _tell_old_address(person: Person, old: str) -> None:
    """The confirmed address just replaced or removed hears of it: if someone else made
    the change, its owner learns while the password still works. The change stands
    whether or not this goes."""
    if not transport.configured():
        return
    try:
        transport.send_now(emails.address_changed(person, old))
    except (transport.TemporaryFailure, transport.PermanentFailure) as exc:
        logger.warning("The notice of a changed address for %s did not go: %s", person.pk, exc)
    except Exception:
        logger.exception("The notice of a changed address for %s could not be made", person.pk)


BAD_LINK = (
    "This link is not one Dear sent, or part of it went missing on the way. "
    "Copy the whole address from the email, or ask for a new link on your settings page."
)


def confirm(token: str) -> Person:
    """Follow a confirmation link: its address becomes confirmed, if it is still the
    person's address. Whoever follows it (signed in as anyone, or not) confirms only that."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise Gone(
            "This link is more than three days old. Ask for a new one on your settings page."
        ) from None
    except (signing.BadSignature, ValueError):
        raise Gone(BAD_LINK) from None
    if not isinstance(data, dict):
        raise Gone(BAD_LINK)
    address = str(data.get("a", ""))
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=data.get("p"), is_active=True)
        person = person.first()
        if person is None or not address or person.email != address:
            raise Gone(
                "This link was for an address the account no longer has. "
                "Its settings page holds the address in use now."
            )
        if person.email_confirmed_at is None:
            person.email_confirmed_at = timezone.now()
            person.save(update_fields=["email_confirmed_at"])
    return person


def welcome_address(person: Person) -> None:
    """Someone signed up with an address: send its link if this Dear sends email. A link
    that does not go is no reason to refuse the account; settings can send it again."""
    if person.email and not person.email_confirmed_at and transport.configured():
        _send_link(person)
