"""Whether the background work is getting done: when a worker last swept the outbox,
and how long the oldest email that is due has been waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dear.notify import tasks
from dear.notify.models import Notification, Outcome

# A worker that has not swept for this many ticks is taken for gone.
TICKS_BEFORE_WORRY = 3


@dataclass(frozen=True)
class Health:
    now: datetime
    last_sweep: datetime | None
    owed: int  # emails due now and not yet sent
    oldest_due: datetime | None

    @property
    def worker_alive(self) -> bool:
        worry = timedelta(seconds=settings.WORKER_TICK_SECONDS * TICKS_BEFORE_WORRY)
        return self.last_sweep is not None and self.now - self.last_sweep <= worry


def health(now: datetime | None = None) -> Health:
    now = now or timezone.now()
    swept = DBTaskResult.objects.filter(
        task_path=tasks.sweep.module_path, status=TaskResultStatus.SUCCESSFUL
    ).aggregate(at=Max("finished_at"))["at"]
    owed = Notification.objects.filter(outcome=Outcome.PENDING, due_at__lte=now).aggregate(
        count=Count("id"), oldest=Min("due_at")
    )
    return Health(now, swept, owed["count"], owed["oldest"])
