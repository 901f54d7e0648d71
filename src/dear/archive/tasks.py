"""The worker's part of an import (see ``imports``)."""

from __future__ import annotations

from django_tasks import task

from dear.archive import imports


# After email: a letter's email should not wait for someone's archive of thousands.
@task(priority=-10)
def restore_import(import_id: str) -> str:
    return imports.run(import_id)


def resume_stalled() -> int:
    """Queue again each import whose worker died mid-way: it goes on where it stopped."""
    stalled = imports.stalled()
    for import_id in stalled:
        restore_import.enqueue(import_id)
    return len(stalled)
