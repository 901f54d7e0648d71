from __future__ import annotations

import hashlib
from datetime import time
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.db import models

from dear.lib import times
from dear.lib.ids import uuid7


class Person(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    display_name = models.CharField(max_length=80)
    # Receipts (found, read) go both ways or not at all: with them off a person shows
    # nobody when they found or read a letter, and sees nobody's.
    receipts = models.BooleanField(default=True)
    # When receipts were last turned on: anything found or read before stays unshown, so
    # switching off and on again never reveals what happened while they were off.
    receipts_since = models.DateTimeField(null=True, blank=True)
    # An IANA name such as "Europe/London". Blank until a browser of theirs tells us (UTC
    # meanwhile): letters "arrive on" dates on this clock, and every date is shown on it.
    time_zone = models.CharField(max_length=64, blank=True)
    # Emails about letters wait while it is this late (or early) on their clock.
    quiet_from = models.TimeField(default=time(22, 0))
    quiet_until = models.TimeField(default=time(7, 0))
    # Set when they follow the link sent to ``email``; nothing is emailed before that.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    # AbstractUser's first/last names are not part of Dear; the display name is.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    REQUIRED_FIELDS = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def zone(self) -> ZoneInfo:
        return times.zone(self.time_zone)

    @property
    def confirmed_email(self) -> str:
        """The address Dear may write to: empty until confirmed."""
        return self.email if self.email and self.email_confirmed_at else ""


def hash_token(raw: str) -> str:
    # Tokens carry 256 random bits, so a plain digest is enough: no dictionary to guess from.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.name or "token"


class LoginFailure(models.Model):
    """One wrong password, remembered for a day under one key of ``accounts.guard``."""

    key = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]
