"""What Dear tells people outside the app: emails about letters and moments, and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dear.lib.ids import uuid7


class EmailChoices(models.Model):
    """What a person wants emailed. No row means the defaults below."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="email_choices",
    )
    # A letter's words travel through mail servers Dear does not control: off unless asked.
    words = models.BooleanField(default=False)
    letters = models.BooleanField(default=True)
    sealed = models.BooleanField(default=True)
    moments = models.BooleanField(default=True)


class ChannelKind(models.TextChoices):
    APPRISE = "apprise", "Push app"  # a push app the person already uses, through an Apprise URL
    WEBPUSH = "webpush", "Web Push"  # a browser that subscribed with Web Push


class Channel(models.Model):
    """A way to reach a person beside email: a browser's Web Push subscription or an
    Apprise URL. Each has the same choices as email, words off unless asked for."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(max_length=8, choices=ChannelKind.choices)
    # Shown: "ntfy.example.net", "Chrome on Android".
    name = models.CharField(max_length=100)
    # The Apprise URL, or the subscription as JSON ({endpoint, keys: {p256dh, auth}}).
    # Either lets anyone holding it notify the person (and an URL may hold a password):
    # kept like one, never shown in full, never logged, never exported.
    secret = models.TextField()
    masked = models.CharField(max_length=200)  # safe to show: "ntfy://ntfy.example.net/…"
    # Web Push: the session that subscribed; logging out of it removes the channel.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    # A letter's words travel through servers Dear does not control: off unless asked.
    words = models.BooleanField(default=False)
    letters = models.BooleanField(default=True)
    sealed = models.BooleanField(default=True)
    moments = models.BooleanField(default=True)
    reminders = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # The push service said this subscription is gone (404/410): nothing goes to it again.
    gone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} channel {self.pk}"


class Kind(models.TextChoices):
    LETTER = "letter"  # a letter was delivered to you
    SEALED = "sealed"  # a sealed pair you are part of opened
    MOMENT = "moment"  # a glance became a moment
    REMINDER = "reminder"  # days have passed without a letter between you


class Outcome(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    # Not sent, and never will be: the letter was withdrawn, the address went, the person
    # turned this kind off, or the mail server kept refusing.
    DROPPED = "dropped"
    FAILED = "failed"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def due(self, now) -> NotificationQuerySet:
        """Pending, due, and not held by a live lease of another worker."""
        return self.filter(outcome=Outcome.PENDING, due_at__lte=now).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )


class Notification(models.Model):
    """One notification owed to one person: the outbox. By email (``channel`` null) or
    through one of their channels. Unique per (recipient, kind, key, channel), so a letter,
    moment or quiet stretch is told to each person at most once each way."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What makes it once-only: the letter's id, the moment's id, or for a reminder the
    # other person and the start of the quiet stretch.
    key = models.CharField(max_length=100)
    letter = models.ForeignKey(
        "letters.Letter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    moment = models.ForeignKey(
        "mutual.Moment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Null: by email. Removing a channel removes what it still owed.
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Not before: the delivery, the end of the recipient's quiet hours, the next retry.
    due_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker holds a notification while it talks to the mail server; a dead worker's
    # lease runs out and another picks the notification up.
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            # Two partial constraints: NULLs are distinct in a plain unique one, and
            # SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=Q(channel__isnull=True),
                name="notify_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "key", "channel"],
                condition=Q(channel__isnull=False),
                name="notify_once_per_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="notify_pending", condition=Q(outcome="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class Reminder(models.Model):
    """``person`` asked to be reminded when ``after_days`` pass without a letter between
    them and ``other``."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    after_days = models.PositiveSmallIntegerField(default=7)
    email = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="one_reminder_per_pair"),
        ]
