"""`dear inbox`, `drafts`, `drawer`, `sent`, `scheduled`, `dear read ID` and
`dear withdraw ID`."""

from __future__ import annotations

from typing import Annotated

import typer

from dear.cli import show
from dear.cli.app import out
from dear.cli.remote import Server, TokenOption, UrlOption
from dear.cli.show import JsonOption

LimitOption = Annotated[
    int, typer.Option("--limit", min=1, max=1000, help="Show at most this many letters.")
]


def _box(box: str, empty: str, limit: int, json: bool, url: str, token: str) -> None:
    server = Server.of(url, token)
    items: list[dict] = []
    params: dict = {"box": box}
    # The API pages with a cursor; follow it until there are enough.
    while len(items) < limit:
        page = server.get_json("/letters", params)
        items.extend(page["items"])
        if not page["next"]:
            break
        params["cursor"] = page["next"]
    items = items[:limit]
    if json:
        show.as_json(items)
        return
    show.letter_table(items, server.get_json("/me")["id"], empty)


def inbox(
    limit: LimitOption = 50, json: JsonOption = False, url: UrlOption = "", token: TokenOption = ""
) -> None:
    """Letters that reached you, newest first. Read one with `dear read ID`."""
    _box("inbox", "Nothing has reached you yet.", limit, json, url, token)


def drafts(
    limit: LimitOption = 50, json: JsonOption = False, url: UrlOption = "", token: TokenOption = ""
) -> None:
    """Your letters still being written."""
    _box("drafts", "No drafts.", limit, json, url, token)


def drawer(
    limit: LimitOption = 50, json: JsonOption = False, url: UrlOption = "", token: TokenOption = ""
) -> None:
    """Finished letters you kept, unsent. Nothing there goes anywhere until you send it."""
    _box("drawer", "The drawer is empty.", limit, json, url, token)


def sent(
    limit: LimitOption = 50, json: JsonOption = False, url: UrlOption = "", token: TokenOption = ""
) -> None:
    """Letters you sent or left at a place, newest first (sealed ones wait apart)."""
    _box("sent", "You have sent nothing yet.", limit, json, url, token)


def scheduled(
    limit: LimitOption = 50, json: JsonOption = False, url: UrlOption = "", token: TokenOption = ""
) -> None:
    """Letters you sent that have not arrived yet, the soonest first. Until one arrives,
    you can take it back: `dear withdraw ID`."""
    empty = "Nothing on its way: every letter you sent has arrived."
    _box("scheduled", empty, limit, json, url, token)


def withdraw(
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="The letter's id.")],
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Take back a letter you sent before it arrives (or a sealed one before it opens):
    it goes back to your drawer, unsent."""
    server = Server.of(url, token)
    letter = server.post_json(f"/letters/{letter_id.strip()}/withdraw")
    out.print(f"Withdrawn: it waits in your drawer, unsent. ({letter['id']})")


def read(
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="The letter's id.")],
    json: JsonOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Print a letter as a letter and mark it read (its writer may see when)."""
    server = Server.of(url, token)
    me = server.get_json("/me")["id"]
    path = f"/letters/{letter_id.strip()}"
    letter = server.get_json(path)
    if letter["from"]["id"] != me and letter["body"] is not None:
        letter = server.post_json(f"{path}/read")
    if json:
        show.as_json(letter)
        return
    show.letter(letter, me)
    if letter["from"]["id"] != me and letter["body"] is not None:
        out.print(f"Answer it with `dear reply {letter['id']}`.", style="dim")
