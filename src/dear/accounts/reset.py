"""A new password by email: a link to a person's confirmed address, valid for an hour.

Asking answers the same whether or not the account exists or has a confirmed address,
and does the same work: the request only counts the attempt and queues one task with what
was typed; the background worker looks the accounts up and sends the links. Even a thread
started in the request for a known account would slow its answer down. So nobody learns
from this page, by its words or its timing, who has an account here.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_tasks import task

from dear.accounts.guard import limit_attempts
from dear.accounts.models import ApiToken, Person
from dear.lib.errors import Conflict, Gone, Invalid
from dear.notify import emails, transport
from dear.notify.addresses import NO_EMAIL

logger = logging.getLogger(__name__)

SENT = "If that account has a confirmed address, a link to set a new password is on its way."
BAD_LINK = (
    "This link has expired or has already been used. "
    "Ask for a new one: “Forgot your password?” on the login page."
)
# The longest username or address an account can have.
LONGEST = max(Person._meta.get_field(name).max_length for name in ("username", "email"))


def link_for(person: Person) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return emails.link(reverse("web:reset_password", args=[uid, token]))


def ask(identifier: str, *, address: str) -> None:
    """Queue reset links for each active account whose username or confirmed address is
    ``identifier``; callers tell everyone ``SENT`` either way. Nothing here depends on
    whether such an account exists: the lookup happens in the worker (``send_links``)."""
    if not transport.configured():
        raise Conflict(NO_EMAIL)
    identifier = " ".join((identifier or "").split())
    if not identifier:
        raise Invalid("Give your username or your email address.")
    if len(identifier) > LONGEST:
        # Nothing that long can match, and it would be kept in the task row besides.
        raise Invalid("That is longer than any username or email address here.")
    digest = hashlib.sha256(identifier.lower().encode()).hexdigest()
    limit_attempts(
        {
            f"reset:account:{digest}": settings.LOGIN_LIMIT,
            f"reset:address:{address}": settings.LOGIN_LIMIT_PER_ADDRESS,
        },
        "Several links were asked for in the last few minutes. Wait a little and try again.",
    )
    send_reset_links.enqueue(identifier)


# Ahead of the sweep (priority 10): someone is waiting at the page for this one.
@task(priority=20)
def send_reset_links(identifier: str) -> int:
    """The worker's part of ``ask``: ``send_links``, as a task."""
    return send_links(identifier)


def send_links(identifier: str) -> int:
    """In the worker: send a link to each active account whose username or confirmed
    address is ``identifier`` (any case). Answers how many went. Logs name accounts by
    id only: what was typed stays out of them."""
    if not transport.configured():
        return 0  # email was turned off since the asking; they can ask whoever runs Dear
    people = (
        Person.objects.filter(is_active=True, email_confirmed_at__isnull=False)
        .exclude(email="")
        .filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
    )
    sent = 0
    for person in people:
        try:
            transport.send_now(emails.password_reset(person, link_for(person)))
            sent += 1
        except (transport.TemporaryFailure, transport.PermanentFailure) as exc:
            logger.warning("A password reset link for %s did not go: %s", person.pk, exc)
        except Exception:
            logger.exception("A password reset link for %s could not be made", person.pk)
    return sent


def person_for_link(uid: str, token: str) -> Person:
    """The person a reset link is for, while it is valid: an hour, until it is used, and
    until their password or address changes."""
    try:
        pk = urlsafe_base64_decode(uid).decode()
        person = Person.objects.get(pk=pk, is_active=True)
    except (ValueError, ValidationError, Person.DoesNotExist, UnicodeDecodeError):
        raise Gone(BAD_LINK) from None
    if not default_token_generator.check_token(person, token):
        raise Gone(BAD_LINK)
    return person


def set_password(uid: str, token: str, password: str) -> Person:
    """Set a new password through a reset link. Every session of theirs ends with it
    (sessions carry a digest of the password they were made with), and every API token:
    someone who resets a password may well fear that another has their account, and a
    token taken meanwhile would outlive the sessions."""
    person = person_for_link(uid, token)
    try:
        validate_password(password or "", person)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from None
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
        ApiToken.objects.filter(person=person).delete()
    return person
