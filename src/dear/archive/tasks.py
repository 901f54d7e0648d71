"""The worker's part of an import (see ``imports``)."""

from __future__ import annotations

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from dear.archive import imports


# After email: a letter's email should not wait for someone's archive of thousands.
@task(priority=-10)
def restore_import(import_id: str) -> str:
    return imports.run(import_id)


def resume_stalled() -> int:
    """Queue again each import whose worker died mid-way: it goes on where it stopped.
    One still waiting in the queue (behind a long import, say) is not queued twice."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=restore_import.module_path
    )
    queued = {str(row.args_kwargs.get("args", [None])[0]) for row in waiting}
    stalled = [pk for pk in imports.stalled() if pk not in queued]
    for import_id in stalled:
        restore_import.enqueue(import_id)
    return len(stalled)
