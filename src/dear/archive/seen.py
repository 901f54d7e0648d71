"""What a person is shown of their imports: built once, for the page, the JSON and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dear.archive.models import Import, ImportState


@dataclass
class ImportSeen:
    id: str
    state: str
    letters: int
    done: int
    error: str
    created_at: datetime
    finished_at: datetime | None

    @property
    def under_way(self) -> bool:
        return self.state in (ImportState.PENDING, ImportState.RUNNING)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "letters": self.letters,
            "done": self.done,
            "error": self.error,
        }

    @property
    def percent(self) -> int:
        return 100 if not self.letters else self.done * 100 // self.letters


def seen(job: Import) -> ImportSeen:
    return ImportSeen(
        id=str(job.pk),
        state=job.state,
        letters=job.letters_total,
        done=job.letters_done,
        error=job.error,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def recent(person, limit: int = 3) -> list[ImportSeen]:
    return [seen(job) for job in Import.objects.filter(person=person).order_by("-pk")[:limit]]
