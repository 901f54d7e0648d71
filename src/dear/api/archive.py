"""The archive: search, export and import."""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from dear.api import present
from dear.api.auth import person_of
from dear.api.limits import SearchWords
from dear.api.schemas import AUTHED, LetterOut, Secret, answers
from dear.archive import export, imports, search, seen
from dear.archive.services import delete_account
from dear.lib.errors import Invalid

router = Router(tags=["archive"])


class SearchQuery(Schema):
    q: SearchWords
    limit: int = Field(search.DEFAULT_LIMIT, ge=1, le=search.MAX_LIMIT)


class SnippetPart(Schema):
    text: str
    mark: bool = Field(description="These are words the search matched.")


class SearchHit(LetterOut):
    snippet: list[SnippetPart] = Field(
        description="The best-matching passage, in pieces; plain text, never HTML."
    )


class SearchOut(Schema):
    items: list[SearchHit]


class ImportOut(Schema):
    id: str
    state: str = Field(description="pending, running, done or failed.")
    letters: int = Field(description="How many letters the archive holds.")
    done: int = Field(description="How many of them are restored so far.")
    error: str = Field(description="Why it failed (and everything it made was taken back).")


class DeleteMeIn(Schema):
    password: Secret = Field(description="The account's password: the second confirmation.")


class FarewellOut(Schema):
    deleted_letters: int = Field(description="Drafts, drawer, basket, and letters not arrived.")
    deleted_revisions: int
    stay_with_readers: int = Field(description="Delivered letters, now from a former member.")


@router.get("/search", response=answers({200: SearchOut}, *AUTHED, 422), by_alias=True)
def search_letters(request: HttpRequest, query: Query[SearchQuery]):
    """The letters I may see that match, best first, each with its matching passage."""
    someone = person_of(request)
    hits = search.search(someone, query.q, query.limit)
    items = present.letters(hit.letter for hit in hits)
    for item, hit in zip(items, hits, strict=True):
        item["snippet"] = [{"text": part.text, "mark": part.mark} for part in hit.snippet]
    return present.respond({"items": items})


@router.get("/export", response=answers({200: None}, *AUTHED))
def export_letters(request: HttpRequest):
    """A zip of every letter I may see: Markdown files, my revisions, and archive.json."""
    someone = person_of(request)
    return FileResponse(
        export.to_file(someone),
        as_attachment=True,
        filename=export.file_name(someone),
        content_type="application/zip",
    )


@router.post(
    "/import", response=answers({202: ImportOut}, *AUTHED, 400, 409, 413, 422), by_alias=True
)
def import_letters(request: HttpRequest, archive: File[UploadedFile]):
    """Restore an exported zip (multipart field `archive`) as my archive: a home of its own
    for each home in it, the people in it as former members. The archive is checked at
    once (422 says what is wrong; 409 if I imported it before); the letters are restored
    in the background: follow `GET /import/{id}` until `state` is `done` or `failed`."""
    if not archive.size:
        raise Invalid("The archive file is empty.")
    return Status(202, seen.seen(imports.start(person_of(request), archive)).as_json())


@router.get("/import/{uuid:import_id}", response=answers({200: ImportOut}, *AUTHED, 404))
def import_progress(request: HttpRequest, import_id: uuid.UUID):
    """How far an import of mine has come; a failed one says why."""
    return seen.seen(imports.import_for(person_of(request), import_id)).as_json()


@router.post("/me/delete", response=answers({200: FarewellOut}, *AUTHED, 400, 422, 429))
def delete_me(request: HttpRequest, payload: DeleteMeIn):
    """Delete my account for good (export first: GET /export). What only I had goes;
    letters that reached someone stay with them, from a former member."""
    told = delete_account(person_of(request), payload.password)
    return {
        "deleted_letters": told.goes,
        "deleted_revisions": told.revisions,
        "stay_with_readers": told.stay_with_readers,
    }
