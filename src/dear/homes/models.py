from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dear.lib.ids import uuid7


def invite_code() -> str:
    return secrets.token_urlsafe(24)


def label_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


class HomeQuerySet(models.QuerySet["Home"]):
    def of_member(self, person) -> HomeQuerySet:
        """The homes ``person`` is a current member of."""
        current = Membership.objects.current().filter(person=person).values("home_id")
        return self.filter(pk__in=current)


class Home(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    # How close together two glances must be to make a moment (the mutual app's rule 8).
    glance_window_minutes = models.PositiveIntegerField(default=60)
    # A home an import is still making: its letters are nobody's to see until it is done.
    importing = models.BooleanField(default=False)

    objects = HomeQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        """Memberships not ended: the one statement of "a current member"."""
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

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


class Kind(models.TextChoices):
    SPOT = "spot", "A spot"
    OBJECT = "object", "An object"


class PlaceQuerySet(models.QuerySet["Place"]):
    def of_member(self, person) -> PlaceQuerySet:
        """Places of the homes ``person`` belongs to now, archived ones included."""
        return self.filter(home__in=Home.objects.of_member(person).values("pk"))

    def open(self) -> PlaceQuerySet:
        return self.filter(archived_at__isnull=True)

    def with_waiting(self, person, now=None) -> PlaceQuerySet:
        """Each place marked ``waiting`` when a note for ``person`` lies there unfound and
        its writer left a hint (rule 2: a hint shows that, never what). One query."""
        from dear.letters.models import Delivery, State

        waiting = Delivery.objects.filter(
            letter__place=OuterRef("pk"),
            letter__state=State.SENT,
            letter__hint=True,
            recipient=person,
            delivered_at__lte=now or timezone.now(),
            found_at__isnull=True,
        )
        return self.annotate(waiting=Exists(waiting))


class Place(models.Model):
    """A spot or object in a home where notes are left. Its label is the secret part of
    the URL its QR code points at (/p/<label>): replacing it retires the old code."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SPOT)
    label = models.CharField(max_length=64, unique=True, default=label_token)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = PlaceQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name
