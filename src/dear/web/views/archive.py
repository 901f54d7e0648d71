"""The archive of a life: search, export, import, and deleting an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dear.archive import export, imports, search, seen
from dear.archive.services import delete_account, farewell
from dear.lib.errors import Invalid
from dear.web.errors import friendly
from dear.web.views.common import letter_link, person_of, rows


@login_required
@require_GET
@friendly
def search_page(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    q = request.GET.get("q", "").strip()
    context: dict = {"q": q, "hits": None}
    if q:
        try:
            hits = search.search(me, q)
        except Invalid as error:
            page = {**context, "error": error.message}
            return render(request, "web/search.html", page, status=error.status)
        listed = rows([hit.letter for hit in hits], me)
        context["hits"] = [
            {"row": row, "snippet": hit.snippet, "url": letter_link(hit.letter, me)}
            for row, hit in zip(listed, hits, strict=True)
        ]
    return render(request, "web/search.html", context)


def _archive_context(request: HttpRequest, **_) -> dict:
    shown = seen.recent(person_of(request))
    return {"imports": shown, "importing": any(job.under_way for job in shown)}


@login_required
@require_GET
def archive_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/archive.html", _archive_context(request))


@login_required
@require_GET
def export_archive(request: HttpRequest) -> FileResponse:
    me = person_of(request)
    return FileResponse(
        export.to_file(me),
        as_attachment=True,
        filename=export.file_name(me),
        content_type="application/zip",
    )


@login_required
@require_POST
@friendly(form="web/archive.html", context=_archive_context)
def import_archive(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("archive")
    if upload is None or not upload.size:
        raise Invalid("Choose the .zip file Dear exported.")
    # Checked now; restored by the worker while the archive page shows how far it is.
    imports.start(person_of(request), upload)
    return redirect("web:archive")


@login_required
@require_GET
def delete_page(request: HttpRequest) -> HttpResponse:
    """The first of two steps: what goes, what stays, and the export offered first."""
    return render(request, "web/delete_account.html", {"told": farewell(person_of(request))})


def _confirm_context(request: HttpRequest, **_) -> dict:
    return {"told": farewell(person_of(request))}


@login_required
@require_POST
@friendly(form="web/delete_confirm.html", context=_confirm_context)
def delete_confirm(request: HttpRequest) -> HttpResponse:
    """The second step asks for the password; only a POST with it and ``confirm`` deletes."""
    me = person_of(request)
    if request.POST.get("confirm") != "yes":
        return render(request, "web/delete_confirm.html", _confirm_context(request))
    delete_account(me, request.POST.get("password", ""))
    logout(request)
    messages.success(request, "Your account is deleted. Thank you for every letter.")
    return redirect("web:login")
