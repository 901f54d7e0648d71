"""`dear status`: is the background worker alive, and is any email waiting too long."""

from __future__ import annotations

from datetime import timedelta

import typer

from dear.cli.app import out
from dear.cli.django_setup import setup_django


def _ago(span: timedelta) -> str:
    seconds = max(0, int(span.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"


def status() -> None:
    """Say whether a background worker is sweeping the outbox and how long the oldest
    due email has waited. Exits 1 when no worker has swept lately, for a monitor."""
    setup_django()
    from dear.notify.health import health

    now = health()
    if now.last_sweep is None:
        out.print("Worker: has never swept here. `dear serve` starts one; `dear worker` too.")
    elif now.worker_alive:
        out.print(f"Worker: alive, last swept {_ago(now.now - now.last_sweep)} ago.")
    else:
        out.print(
            f"Worker: [bold red]not seen for {_ago(now.now - now.last_sweep)}[/]. "
            "`dear serve` starts one; `dear worker` runs one on its own."
        )
    if now.owed:
        waited = _ago(now.now - now.oldest_due)
        out.print(f"Emails due and not yet sent: {now.owed}, the oldest waiting {waited}.")
    else:
        out.print("Emails due and not yet sent: none.")
    if not now.worker_alive:
        raise typer.Exit(1)
