"""`dear worker`: send due emails and reminders, beside `dear serve` or on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Annotated

import typer

from dear.cli.app import CommandFailed, out
from dear.cli.django_setup import refuse_unusable_settings, setup_django

# How long `dear serve` lets its worker finish the email in hand before it insists.
STOP_GRACE_SECONDS = 10


def worker(
    interval: Annotated[
        float,
        typer.Option(min=0.1, help="Seconds between looks at the task queue when idle."),
    ] = 1.0,
    parent: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Send due emails and reminders until stopped (Ctrl-C or SIGTERM).

    `dear serve` runs one of these itself; start more with `dear worker` when several
    servers share one PostgreSQL (then give them `dear serve --no-worker`). Any number
    may run at once: each email still goes out once. A worker that starts sends first
    what fell due while none was running.
    """
    setup_django()
    refuse_unusable_settings()
    _check_migrated()
    from dear.notify import worker as background

    out.print("Dear's worker is running: due emails and reminders go out from here.")
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


def start_beside_server() -> subprocess.Popen:
    """A worker process for `dear serve`, in its process group, that stops with it."""
    return subprocess.Popen([sys.executable, "-m", "dear", "worker", "--parent", str(os.getpid())])


def stop(process: subprocess.Popen) -> None:
    # A Ctrl-C at the terminal reached it as well; otherwise it is told now.
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
