"""`dear search`, `dear export` and `dear import`: a person's archive, over the API."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from dear.cli.app import CommandFailed, out
from dear.cli.remote import Server, TokenOption, UrlOption

# How often `dear import` asks how far the server has come.
POLL_SECONDS = 0.5


def search(
    query: Annotated[str, typer.Argument(help='Words, and phrases in "double quotes".')],
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many letters.")] = 20,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Search every letter you may see; the best match first, with the passage that matched."""
    server = Server.of(url, token)
    items = server.get_json("/search", {"q": query, "limit": limit})["items"]
    if not items:
        out.print("No letter you can read matches that.")
        return
    me = server.get_json("/me")["id"]
    for item in items:
        out.print(_heading(item, me))
        # Built from pieces, never parsed as markup: a letter's words stay as written.
        passage = Text("  ")
        for part in item.get("snippet", []):
            passage.append(part["text"], style="bold reverse" if part["mark"] else None)
        out.print(passage)
        out.print(Text(f"  {server.url}/letters/{item['id']}", style="dim"))


def _heading(item: dict, me: str) -> Text:
    when = (item.get("deliver_at") or item.get("sent_at") or item.get("written_at") or "")[:10]
    if item["from"]["id"] == me:
        names = ", ".join(person["display_name"] for person in item["to"])
        return Text.assemble(("To ", "bold"), (names, "bold"), f" · {item['state']} · {when}")
    return Text.assemble(("From ", "bold"), (item["from"]["display_name"], "bold"), f" · {when}")


def export(
    file: Annotated[Path, typer.Argument(help="Where to write the zip.", dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Download every letter you may see as a zip: Markdown, your revisions, and JSON."""
    server = Server.of(url, token)
    if file.exists() and not force:
        raise CommandFailed(f"{file} already exists; add --force to replace it")
    folder = file.resolve().parent
    if not folder.is_dir():
        raise CommandFailed(f"there is no folder {folder} to write {file.name} in")
    # Written beside FILE and moved into place whole: never half an archive under its name.
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{file.name}.", delete=False)  # noqa: SIM115
    try:
        with handle:
            size = server.download("/export", handle)
        os.replace(handle.name, file)
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    out.print(f"Wrote {file} ({size / 1024:,.0f} kB).")


def import_(
    file: Annotated[
        Path, typer.Argument(help="A zip made by `dear export`.", exists=True, dir_okay=False)
    ],
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Restore an exported zip as your archive here, each of its homes a home of its own.

    The people you wrote with come as former members: named, with no way in. The server
    restores the letters in the background; this shows how far it is and waits for the
    end (Ctrl-C stops only the waiting). The same archive imported twice adds nothing."""
    server = Server.of(url, token)
    job = server.upload("/import", "archive", file.name, file.read_bytes())
    if job["letters"]:
        out.print(f"The archive holds {_letters(job['letters'])}; restoring them here.")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=out
    ) as progress:
        bar = progress.add_task("Restoring", total=job["letters"] or 1)
        while job["state"] in ("pending", "running"):
            time.sleep(POLL_SECONDS)
            job = server.get_json(f"/import/{job['id']}")
            progress.update(bar, completed=job["done"], total=job["letters"] or 1)
    if job["state"] == "failed":
        raise CommandFailed(job["error"])
    out.print(f"Imported {_letters(job['letters'])}, each home of the archive a home of its own.")


def _letters(n: int) -> str:
    return f"{n:,} letter{'s' if n != 1 else ''}"
