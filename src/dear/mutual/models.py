"""Glances and moments: what two people do at once so that neither has to go first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dear.lib.ids import uuid7


class Kind(models.TextChoices):
    GLANCE = "glance"
    SEALED = "sealed"


class MomentQuerySet(models.QuerySet["Moment"]):
    def of(self, person) -> MomentQuerySet:
        """The moments ``person`` shares: the only ones they may see."""
        return self.filter(Q(first=person) | Q(second=person))


class Moment(models.Model):
    """Two people met halfway: a mutual glance, or two sealed letters that opened together.

    ``first`` went first (glanced or sealed earlier); ``second`` completed the moment.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    home = models.ForeignKey("homes.Home", on_delete=models.CASCADE, related_name="moments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    first_letter = models.OneToOneField(
        "letters.Letter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_letter = models.OneToOneField(
        "letters.Letter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MomentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["first", "-at", "-id"]),
            models.Index(fields=["second", "-at", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} moment {self.pk}"

    def other(self, person):
        return self.second if self.first_id == person.pk else self.first


class Glance(models.Model):
    """A silent "thinking of you". Never shown to anyone until it is part of a moment."""

    home = models.ForeignKey("homes.Home", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    moment = models.ForeignKey(
        Moment, null=True, blank=True, on_delete=models.SET_NULL, related_name="glances"
    )

    class Meta:
        indexes = [models.Index(fields=["by", "to", "home", "-at"])]
