"""`dear worker`: send due emails, pushes and reminders, beside `dear serve` or on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Annotated

import typer

from dear.cli.app import CommandFailed, err, out
from dear.cli.django_setup import refuse_unusable_settings, setup_django

# How long `dear serve` lets its worker finish the email in hand before it insists.
STOP_GRACE_SECONDS = 10
# A worker that dies is started again after 1 s, then 2 s, 4 s… up to a minute; one that
# had run for a minute before dying starts the count again.
RESTART_FIRST_WAIT = 1.0
RESTART_MAX_WAIT = 60.0
RESTART_RESET_AFTER = 60.0
# The worker's niceness: on a machine of two cores an import of 100,000 letters kept both
# busy, and the pages people were waiting for queued behind it. Nothing the worker does
# is waited for to the millisecond (it looks at its queue once a second).
NICENESS = 10
# A worker that ends this way was asked to: exit 0 (its parent went), SIGTERM, SIGINT.
ASKED_TO_STOP = {0, -signal.SIGTERM, -signal.SIGINT}


def worker(
    interval: Annotated[
        float,
        typer.Option(min=0.1, help="Seconds between looks at the task queue when idle."),
    ] = 1.0,
    parent: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Send due emails, pushes and reminders until stopped (Ctrl-C or SIGTERM).

    `dear serve` runs one of these itself; start more with `dear worker` when several
    servers share one PostgreSQL (then give them `dear serve --no-worker`). Any number
    may run at once: each email still goes out once. A worker that starts sends first
    what fell due while none was running.
    """
    setup_django()
    refuse_unusable_settings()
    _check_migrated()
    from dear.notify import worker as background

    os.nice(NICENESS)  # people's requests first

    out.print("Dear's worker is running: due emails, pushes and reminders go out from here.")
    try:
        background.run(interval=interval, parent=parent)
    finally:
        out.print("Dear's worker has stopped.")


def _check_migrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandFailed(
            "the database is not up to date: start `dear serve` once (it applies "
            "migrations) or run `dear manage migrate`"
        )


def start_beside_server() -> Supervisor:
    """A worker process for `dear serve`, watched: started again if it dies."""
    supervisor = Supervisor([sys.executable, "-m", "dear", "worker", "--parent", str(os.getpid())])
    supervisor.start()
    return supervisor


class Supervisor:
    """Keeps one worker process running: when it dies without being asked to stop, says
    why on stderr and starts it again, waiting longer each time it dies young (1 s, 2 s,
    4 s… at most a minute), so a worker that cannot start does not spin."""

    def __init__(self, command: list[str]):
        self.command = command
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher = threading.Thread(target=self._watch, name="dear-supervisor", daemon=True)

    def start(self) -> None:
        self._spawn()
        self._watcher.start()

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                # A session of its own: a Ctrl-C at the terminal, or a service manager
                # signalling the server's group, reaches the server, which stops this
                # worker itself (stop below) rather than see it die and start another.
                self.process = subprocess.Popen(self.command, start_new_session=True)
                self.started_at = time.monotonic()

    def _watch(self) -> None:
        wait = RESTART_FIRST_WAIT
        while not self._stopping.is_set():
            code = self.process.wait() if self.process else None
            if self._stopping.is_set() or code in ASKED_TO_STOP:
                return  # it was stopped on purpose (by us, or by whoever signalled it)
            lived = time.monotonic() - self.started_at
            wait = RESTART_FIRST_WAIT if lived > RESTART_RESET_AFTER else wait
            err.print(
                f"[red]Dear's worker stopped ({_how(code)}); starting it again in {wait:g}s.[/]"
            )
            if self._stopping.wait(wait):
                return
            self.restarts += 1
            self._spawn()
            wait = min(wait * 2, RESTART_MAX_WAIT)

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
        if self.process is not None:
            stop(self.process)


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def stop(process: subprocess.Popen) -> None:
    # A Ctrl-C at the terminal reached it as well; otherwise it is told now.
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
