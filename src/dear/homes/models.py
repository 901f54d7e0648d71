from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dear.lib.ids import uuid7


def invite_code() -> str:
    return secrets.token_urlsafe(24)


def label_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


class HomeQuerySet(models.QuerySet["Home"]):
    def of_member(self, person) -> HomeQuerySet:
        return self.filter(memberships__person=person, memberships__left_at__isnull=True).distinct()


class Home(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    objects = HomeQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["home", "person"],
                condition=Q(left_at__isnull=True),
                name="one_current_membership",
            )
        ]


class Invite(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="invites")
    code = models.CharField(max_length=64, unique=True, default=invite_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.expires_at > now


class Place(models.Model):
    """A spot or object in a home where notes are left (the places issue builds on this)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(max_length=80)
    label = models.CharField(max_length=64, unique=True, default=label_token)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
