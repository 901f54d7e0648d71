"""The background worker behind `dear worker` (and the one `dear serve` starts).

It is django-tasks-db's own database worker, plus a tick: a thread that queues a sweep
as the worker starts and then every ``DEAR_WORKER_TICK_SECONDS``. So a worker that
starts sends what fell due while none ran, and nothing waits on one task row surviving.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from types import FrameType

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker

from dear.notify import outbox, tasks

logger = logging.getLogger("dear.notify")
# How often the tick thread looks up from its wait: for a stop, or for a parent gone.
LOOK_UP_SECONDS = 1.0


class Worker(db_worker.Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        # The email in hand is finished and the rest handed back, so stopping takes a
        # moment: unlike django-tasks-db's, a second signal does not cut a send in half
        # (which could lose an email marked sent before the server had it).
        outbox.stopping.set()
        if not self.running:
            return
        self.running = False
        logger.warning("Received %s: stopping.", signal.strsignal(signum))
        if not self.running_task:
            sys.exit(0)  # out of the wait for the next task


def run(*, interval: float, parent: int | None = None) -> None:
    """Run until SIGTERM or SIGINT. With ``parent``, also stop once that process is
    gone, so a worker started by `dear serve` never outlives it."""
    worker = Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=interval,
        batch=False,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()}-{os.getpid()}"[-64:],
        excluded_queue_names=[],
    )
    done = threading.Event()
    ticker = threading.Thread(
        target=_tick, args=(done, settings.WORKER_TICK_SECONDS, parent), name="dear-tick"
    )
    ticker.daemon = True
    worker.configure_signals()
    ticker.start()
    try:
        worker.run()
    finally:
        done.set()
        ticker.join(timeout=5)


def _tick(done: threading.Event, every: float, parent: int | None) -> None:
    waited = every  # the first sweep at once: catching up after time off
    try:
        while not done.is_set():
            if parent is not None and os.getppid() != parent:
                logger.warning("The process that started this worker is gone; stopping.")
                os.kill(os.getpid(), signal.SIGTERM)
                return
            if waited >= every:
                waited = 0.0
                close_old_connections()
                try:
                    tasks.queue_sweep()
                except Exception:  # noqa: BLE001 - the next tick tries again
                    logger.exception("Could not queue a sweep")
            done.wait(LOOK_UP_SECONDS)
            waited += LOOK_UP_SECONDS
    finally:
        connection.close()
