"""The tasks that wake the outbox up, run the way a worker runs them: through
django-tasks' database backend and its worker, in this process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from dear.letters import services as letters
from dear.notify import tasks
from dear.notify.models import Notification, Outcome, Reminder
from tests.helpers import make_letter, send_now
from tests.notify.people import NOON, reachable

pytestmark = pytest.mark.django_db
# The worker closes its connection between tasks, as it should, which only works outside
# a test's transaction.
with_worker = pytest.mark.django_db(transaction=True)


def run_ready_tasks() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()


@with_worker
def test_the_wake_up_queued_with_a_letter_sends_its_email_when_it_is_due(
    clock, mailbox, reader, jess, django_capture_on_commit_callbacks
):
    letter = make_letter(jess, reader)
    with django_capture_on_commit_callbacks(execute=True):
        letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=2))

    run_ready_tasks()
    assert mailbox.messages == []

    clock.move_to(NOON + timedelta(hours=2))
    run_ready_tasks()
    assert len(mailbox.messages) == 1
    (task,) = DBTaskResult.objects.all()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, 1)


@with_worker
def test_a_sweep_sends_what_fell_due_while_no_worker_ran(clock, mailbox, reader, jess, sam):
    reachable(sam)
    for person in (reader, sam):
        letter = make_letter(jess, person)
        letters.send(jess, letter.pk, deliver_at=NOON + timedelta(hours=1))
    # The machine was off when they fell due, and their wake-ups are lost besides.
    DBTaskResult.objects.all().delete()

    clock.move_to(NOON + timedelta(days=2))
    tasks.queue_sweep()
    run_ready_tasks()

    assert len(mailbox.messages) == 2
    assert set(Notification.objects.values_list("outcome", flat=True)) == {Outcome.SENT}


def test_a_sweep_owes_due_reminders_and_sends_them_at_once(clock, mailbox, reader, jess):
    Reminder.objects.create(
        person=reader, other=jess, email=True, created_at=NOON - timedelta(days=8)
    )

    result = tasks.sweep.call()

    assert result == {"reminders": 1, "sent": 1, "pruned": 0, "imports": 0}
    (email,) = mailbox.messages
    assert email.envelope_to == ["rory@home.test"]


def test_a_sweep_forgets_task_rows_older_than_a_day_and_those_a_killed_worker_left(clock):
    def row(status, **at):
        return DBTaskResult.objects.create(
            task_path="dear.notify.tasks.deliver_due",
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="default",
            status=status,
            **at,
        )

    old = NOON - timedelta(days=1, minutes=1)
    recent = NOON - timedelta(hours=23)
    gone = [
        row(TaskResultStatus.SUCCESSFUL, finished_at=old),
        row(TaskResultStatus.FAILED, finished_at=old),
        row(TaskResultStatus.RUNNING, started_at=old),  # its worker was killed
    ]
    kept = [
        row(TaskResultStatus.SUCCESSFUL, finished_at=recent),
        row(TaskResultStatus.RUNNING, started_at=recent),
        row(TaskResultStatus.READY),
    ]

    assert tasks.prune(NOON) == len(gone)

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {one.pk for one in kept}


@with_worker
def test_ticks_queue_one_sweep_however_many_workers_tick_before_it_runs(clock):
    assert tasks.queue_sweep() is True
    assert tasks.queue_sweep() is False

    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "dear.notify.tasks.sweep"
    run_ready_tasks()
    assert tasks.queue_sweep() is True


@with_worker
def test_a_sweep_runs_before_the_wake_ups_waiting_with_it(clock, mailbox, reader, jess):
    send_now(make_letter(jess, reader))
    tasks.wake_at([NOON - timedelta(minutes=5)])
    tasks.queue_sweep()

    Worker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    ).run()

    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.task_path == "dear.notify.tasks.sweep"
    assert done.return_value["sent"] == 1
