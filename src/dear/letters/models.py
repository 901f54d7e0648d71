from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from dear.letters.rules import ARRIVED, UNSENT, State
from dear.lib.ids import uuid7


class LetterQuerySet(models.QuerySet["Letter"]):
    def received_by(self, person, now=None) -> LetterQuerySet:
        """Letters delivered to ``person`` (rule 2): sent, due and, for a note, found; a
        sealed letter only once it has opened (rule 3). The one statement of that rule.

        Driven by the recipient's deliveries (indexed by recipient and time), so an inbox
        costs the same however many letters the home holds. Each row is annotated with
        ``arrived_at``, the time it reached this person.
        """
        now = now or timezone.now()
        found = Q(place__isnull=True) | Q(deliveries__found_at__isnull=False)
        # One filter() call, so every condition is about the same delivery row.
        return self.filter(
            ARRIVED,
            found,
            deliveries__recipient=person,
            deliveries__delivered_at__lte=now,
        ).annotate(arrived_at=F("deliveries__delivered_at"))

    def sealed_for(self, person) -> LetterQuerySet:
        """Told-mode sealed letters waiting for ``person``: shown to them as stubs only,
        never through ``visible_to``. A blind one is never here (rule 3)."""
        # Driven by the partial index of waiting sealed letters (few), not by every
        # delivery the person ever had (many).
        addressed = Delivery.objects.filter(letter=OuterRef("pk"), recipient=person)
        return self.filter(Exists(addressed), state=State.SEALED, opened_at__isnull=True).filter(
            blind=False
        )

    def visible_to(self, person, now=None) -> LetterQuerySet:
        """Everything ``person`` may see: all they wrote (rule 1) and what reached them."""
        # Correlated on the id, so a lookup by id stays a lookup by id.
        reached = Letter.objects.received_by(person, now).filter(pk=OuterRef("pk"))
        return self.filter(Q(writer=person) | Q(Exists(reached)))

    def with_people(self) -> LetterQuerySet:
        return self.select_related("writer", "place").prefetch_related(
            models.Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related("recipient").order_by("pk"),
            )
        )


class LetterManager(models.Manager.from_queryset(LetterQuerySet)):
    def get_queryset(self) -> LetterQuerySet:
        """Only letters that are here for good: never one of an import not yet done, so
        nobody sees or changes a half-made import (rule 6: taking it back loses nothing
        anyone wrote). The one statement of that rule: every read of letters starts here,
        ``visible_to``, ``received_by``, the boxes and search alike."""
        return super().get_queryset().filter(home__importing=False)


class Letter(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    home = models.ForeignKey("homes.Home", on_delete=models.CASCADE, related_name="letters")
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letters_written"
    )
    salutation = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    closing = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    # Where a discarded letter goes back to when restored.
    state_before_discard = models.CharField(max_length=12, choices=State.choices, blank=True)
    revision = models.PositiveIntegerField(default=1)
    written_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    deliver_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    place = models.ForeignKey(
        "homes.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    hint = models.BooleanField(default=False)
    # A sealed letter whose recipient is told nothing until it opens (rule 3).
    blind = models.BooleanField(default=False)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )

    objects = LetterManager()
    # Every letter, an import's unfinished ones too: only for making and taking back an
    # import, and for the search index, which holds an entry for each.
    every = models.Manager()

    class Meta:
        indexes = [
            models.Index(fields=["writer", "state", "-updated_at", "-id"]),
            models.Index(fields=["writer", "-sent_at", "-id"]),
            # Finding the oldest unopened sealed letter between two people.
            models.Index(
                fields=["writer", "sent_at"],
                condition=Q(state="sealed", opened_at__isnull=True),
                name="letter_waiting_sealed",
            ),
        ]

    def __str__(self) -> str:
        return f"letter {self.pk}"

    @property
    def recipients(self) -> list:
        return [delivery.recipient for delivery in self.deliveries.all()]

    @property
    def is_unsent(self) -> bool:
        return self.state in UNSENT


class Delivery(models.Model):
    """One per recipient. ``delivered_at`` is set when the letter is sent (it may lie ahead)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "recipient"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["recipient", "-delivered_at"])]


class Revision(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    salutation = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    closing = models.CharField(max_length=200, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    crumpled = models.BooleanField(default=False)
    # A save made against a stale revision (rule 7): kept, but not the page.
    conflict = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="one_revision_number")
        ]
        ordering = ["number"]
