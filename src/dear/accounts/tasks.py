"""Background work for accounts, run by the worker (`dear serve`'s or `dear worker`)."""

from __future__ import annotations

from django_tasks import task

from dear.accounts import reset


# Ahead of the sweep (priority 10): someone is waiting at the page for this one.
@task(priority=20)
def send_reset_links(identifier: str) -> int:
    """Send a password reset link to each account ``identifier`` names: the username or
    confirmed address typed on "Forgot your password?". Answers how many went."""
    return reset.send_links(identifier)
