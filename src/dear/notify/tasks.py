"""Background work, through django-tasks and its database backend.

Tasks only wake a worker up; the outbox (``Notification``) is the record of what is
owed. A worker killed mid-task leaves that task's row running for ever, and a wake-up
that was never queued leaves none at all: the sweep, which every worker queues when it
starts and then once a tick (``DEAR_WORKER_TICK_SECONDS``), sends whatever is due
regardless, so a machine that was off when a letter arrived catches up when it starts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from dear.notify import outbox, reminders

# Long enough to look into what a worker did yesterday; short enough that a minute's
# sweep leaves no more than a day of rows behind.
KEEP_RESULTS = timedelta(days=1)


@task()
def deliver_due() -> int:
    """Queued for the moment a notification falls due: sends all that are due by then."""
    return outbox.send_due()


# Before the wake-ups: a sweep sends everything those would.
@task(priority=10)
def sweep() -> dict:
    """Owe the reminders that fell due, send every email due, forget old task rows, and
    go on with an import whose worker died."""
    from dear.archive.imports import resume_stalled

    now = timezone.now()
    queued = reminders.queue_due(now)
    sent = outbox.send_due()
    return {"reminders": queued, "sent": sent, "pruned": prune(now), "imports": resume_stalled()}


def wake_at(moments: list[datetime]) -> None:
    """Queue a wake-up for each moment (at once for one already past)."""
    now = timezone.now()
    for moment in moments:
        (deliver_due.using(run_after=moment) if moment > now else deliver_due).enqueue()


def queue_sweep() -> bool:
    """Queue a sweep unless one is already waiting: several workers ticking on one
    database, or one that fell behind, need not pile them up."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=sweep.module_path
    )
    if waiting.exists():
        return False
    sweep.enqueue()
    return True


def prune(now: datetime) -> int:
    """Delete task rows finished more than a day ago, and those a killed worker left
    running (no task of ours runs for a day)."""
    before = now - KEEP_RESULTS
    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    deleted, _ = DBTaskResult.objects.filter(
        Q(status__in=finished, finished_at__lt=before)
        | Q(status=TaskResultStatus.RUNNING, started_at__lt=before)
    ).delete()
    return deleted
