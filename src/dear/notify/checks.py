"""System checks for the email settings: a mistake stops Dear at start with a plain
message, rather than emails quietly failing later."""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from dear.lib import mailurl


@checks.register("dear")
def email_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    public_url = settings.PUBLIC_URL
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors.append(
                checks.Error(
                    f"DEAR_PUBLIC_URL is {public_url!r}, which is not an http:// or https:// "
                    "address.",
                    hint="Give the address people's browsers reach Dear at, e.g. "
                    "http://dear.home:8000.",
                    id="dear.E003",
                )
            )
    if not settings.EMAIL_URL:
        return errors
    try:
        mailurl.parse(settings.EMAIL_URL)
    except ValueError as exc:
        # The reason never repeats the URL: it may hold the mail server's password.
        errors.append(
            checks.Error(
                f"DEAR_EMAIL_URL cannot be read: {exc}.",
                hint="Write it like smtp://user:password@host:587?starttls=on or "
                "smtps://user:password@host:465, with @ in the user written %40 "
                "(see the README, Email).",
                id="dear.E001",
            )
        )
    if not public_url:
        errors.append(
            checks.Error(
                "DEAR_EMAIL_URL is set but DEAR_PUBLIC_URL is not, so emails would have "
                "nowhere to link to.",
                hint="Set DEAR_PUBLIC_URL to the address people's browsers reach Dear at, "
                "e.g. http://dear.home:8000.",
                id="dear.E002",
            )
        )
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    try:
        validate_email(address)
    except ValidationError:
        errors.append(
            checks.Error(
                f"DEAR_EMAIL_FROM is {settings.DEFAULT_FROM_EMAIL!r}, which holds no email "
                "address.",
                hint='Write it like "Dear <dear@example.org>" or dear@example.org.',
                id="dear.E004",
            )
        )
    return errors
