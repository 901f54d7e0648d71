"""Accounts: signing up, logging in (rate-limited), API tokens and passwords."""

from __future__ import annotations

import re
import secrets
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from dear.accounts import guard
from dear.accounts.models import ApiToken, Person, hash_token
from dear.lib import times
from dear.lib.errors import Forbidden, Invalid, NotFound, Unauthorized

TOKEN_PREFIX = "dear_"
WRONG_LOGIN = "Wrong username or password."
WRONG_PASSWORD = "Your current password is not right."
TOO_MANY_LOGINS = "Too many failed logins from here."
TOO_MANY_PASSWORDS = "Too many wrong passwords."
CLOCK_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
NAME_LIMIT = 80
USERNAME_LIMIT = 150
EMAIL_LIMIT = 254


# Characters that reorder or hide the text around them: a name holding one can make
# "Rory" display as another name, or two different names look alike.
HIDDEN_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x061C, 0xFEFF]
)


def _clean_display_name(display_name: str) -> str:
    display_name = " ".join((display_name or "").translate(HIDDEN_CONTROLS).split())
    if not display_name:
        raise Invalid("Tell us the name you sign your letters with.")
    if len(display_name) > NAME_LIMIT:
        raise Invalid(f"A name holds at most {NAME_LIMIT} characters.")
    return display_name


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    field = Person._meta.get_field("username")
    try:
        field.run_validators(username)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from None
    if not username:
        raise Invalid("Choose a username.")
    if len(username) > USERNAME_LIMIT:
        raise Invalid(f"A username holds at most {USERNAME_LIMIT} characters.")
    if Person.objects.filter(username__iexact=username).exists():
        raise Invalid("That username is taken.")
    return username


def _check_password(password: str, person: Person | None = None) -> None:
    try:
        validate_password(password or "", person)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from None


def signup_allowed_without_invite() -> bool:
    return settings.OPEN_SIGNUP or not Person.objects.exists()


def clean_email(email: str) -> str:
    """An email address as typed, checked; "" for none."""
    email = (email or "").strip()
    if len(email) > EMAIL_LIMIT:
        raise Invalid(f"An email address holds at most {EMAIL_LIMIT} characters.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid("That email address does not look right.") from None
    return email


def create_person(*, username: str, password: str, display_name: str, email: str = "") -> Person:
    """Create an account. Callers decide whether signing up is allowed (see ``signup``).
    An address given here is unconfirmed until its link is followed."""
    username = _clean_username(username)
    display_name = _clean_display_name(display_name)
    email = clean_email(email)
    person = Person(username=username, display_name=display_name, email=email)
    _check_password(password, person)
    person.set_password(password)
    person.save()
    return person


# Any number PostgreSQL's advisory locks take; this one is Dear's "nobody yet" check.
FIRST_SIGNUP_LOCK = 0x4465617201


def _one_signup_at_a_time() -> None:
    """Signups without an invite wait for each other until their transactions end, so
    two people on an empty Dear cannot both see nobody and both become the first.
    SQLite's writers already queue (its transactions take the write lock at BEGIN)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FIRST_SIGNUP_LOCK])


def signup(
    *, username: str, password: str, display_name: str, email: str = "", invite: str = ""
) -> Person:
    """Sign up: the very first person, anyone holding a valid invite, or anyone if open."""
    from dear.homes import services as homes

    with transaction.atomic():
        if invite:
            try:
                found = homes.usable_invite(invite)  # Gone when used or expired
            except NotFound:
                raise Forbidden("That invite is not one this server gave out.") from None
            person = create_person(
                username=username, password=password, display_name=display_name, email=email
            )
            homes.accept_invite(person, found.code)
            return person
        _one_signup_at_a_time()
        if not signup_allowed_without_invite():
            raise Forbidden("Signing up here needs an invite from someone in a home.")
        return create_person(
            username=username, password=password, display_name=display_name, email=email
        )


def login(username: str, password: str, *, address: str, device: str = "", request=None) -> Person:
    """Check a username and password; guessing from one address or device is slowed
    down (429, saying how long to wait), and nobody else's guessing refuses a person.

    The answer to a wrong password and to an unknown user is the same 401.
    """
    name = (username or "").strip()
    found: list[Person] = []

    def check() -> bool:
        person = authenticate(request, username=name, password=password or "")
        found.extend([person] if person is not None else [])
        return person is not None

    where = guard.Where(address=address, device=device)
    if not guard.guarded(guard.login_keys(name, where), check, message=TOO_MANY_LOGINS):
        raise Unauthorized(WRONG_LOGIN)
    return found[0]


def check_password_again(person: Person, password: str, *, wrong: str = WRONG_PASSWORD) -> None:
    """Ask someone already signed in for their password before a change that could hand
    the account to whoever holds their session (a new password, a new email address,
    which can then receive a reset link, deleting the account). Guesses are slowed down
    as a login's are, so a borrowed session gets no more guesses than the login page."""
    right = guard.guarded(
        guard.recheck_keys(person.username),
        lambda: person.check_password(password or ""),
        message=TOO_MANY_PASSWORDS,
    )
    if not right:
        raise Invalid(wrong)


def issue_token(person: Person, name: str = "") -> str:
    """Make an API token; only its digest is stored, so the raw value is shown once."""
    name = " ".join((name or "").split())
    if len(name) > NAME_LIMIT:
        raise Invalid(f"A token name holds at most {NAME_LIMIT} characters.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        person=person, name=name, digest=hash_token(raw), created_at=timezone.now()
    )
    return raw


def person_for_token(raw: str) -> tuple[Person, ApiToken] | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    # digest is unique: at most one row, so no ORDER BY for first() to add.
    token = next(
        iter(
            ApiToken.objects.select_related("person").filter(
                digest=hash_token(raw), person__is_active=True
            )[:1]
        ),
        None,
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute so reads stay reads.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person, token


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()


def change_password(person: Person, old_password: str, new_password: str) -> None:
    """A new password ends every other way in: sessions elsewhere (their hash no longer
    matches) and every API token, as a reset does."""
    check_password_again(person, old_password)
    _check_password(new_password, person)
    with transaction.atomic():
        person.set_password(new_password)
        person.save(update_fields=["password"])
        ApiToken.objects.filter(person=person).delete()


def update_profile(person: Person, *, display_name: str) -> Person:
    """A new name to sign with; never the name of someone in one of their homes, who
    would then be impossible to tell apart in a letter's "From"."""
    from dear.homes.access import housemates_named

    name = _clean_display_name(display_name)
    taken = housemates_named(person, name)
    if taken:
        raise Invalid(f"{taken} already goes by that name in your home. Choose another one.")
    person.display_name = name
    person.save(update_fields=["display_name"])
    return person


def set_receipts(person: Person, on: bool) -> Person:
    """Receipts on or off, both ways at once (see ``dear.letters.receipts``)."""
    if on and not person.receipts:
        person.receipts_since = timezone.now()
    person.receipts = on
    person.save(update_fields=["receipts", "receipts_since"])
    return person


def _clock_time(value: str, what: str) -> time:
    value = (value or "").strip()
    if not CLOCK_TIME.fullmatch(value):
        raise Invalid(f"Give {what} as hours and minutes on a 24-hour clock, like 22:00.")
    return time.fromisoformat(value)


def set_time(
    person: Person,
    *,
    time_zone: str | None = None,
    quiet_from: str | None = None,
    quiet_until: str | None = None,
) -> Person:
    """A person's clock: their time zone ("" for not known) and quiet hours ("HH:MM").
    Everything is checked before anything is stored."""
    changed = {}
    if time_zone is not None:
        name = time_zone.strip()
        if name and not times.is_zone_name(name):
            raise Invalid(
                f"{name[:64]!r} is not a time zone Dear knows; "
                'choose one such as "Europe/Lisbon" or "America/New_York".'
            )
        changed["time_zone"] = name
    if quiet_from is not None:
        changed["quiet_from"] = _clock_time(quiet_from, "the start of your quiet hours")
    if quiet_until is not None:
        changed["quiet_until"] = _clock_time(quiet_until, "the end of your quiet hours")
    for field, value in changed.items():
        setattr(person, field, value)
    if changed:
        person.save(update_fields=list(changed))
    return person


def adopt_device_zone(person: Person, name: str) -> bool:
    """A browser of theirs said which zone it is in: keep it, unless they already have
    one (chosen, or told by another device first). Answers whether it was kept."""
    name = (name or "").strip()
    if not times.is_zone_name(name):
        return False
    # One UPDATE guarded by the blank: two tabs racing, or a choice made meanwhile in
    # settings, are never overwritten.
    kept = Person.objects.filter(pk=person.pk, time_zone="").update(time_zone=name) == 1
    if kept:
        person.time_zone = name
    return kept


def tokens_of(person: Person) -> list[ApiToken]:
    """``person``'s API tokens, the newest first."""
    return list(ApiToken.objects.filter(person=person).order_by("-created_at", "-id"))


def revoke_token_of(person: Person, token_id) -> None:
    """Revoke one of ``person``'s tokens; anyone else's, or none, is the 404 of a missing one."""
    try:
        token = ApiToken.objects.filter(person=person, pk=token_id).first()
    except (ValidationError, ValueError, TypeError):
        token = None
    if token is None:
        raise NotFound()
    revoke_token(token)


def anyone_yet() -> bool:
    """Whether anyone has an account here: the very first person signs up alone."""
    return Person.objects.exists()
