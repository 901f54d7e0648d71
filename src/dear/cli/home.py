"""`dear places`, `dear visit PLACE`, `dear glance NAME` and `dear moments`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from dear.cli import show
from dear.cli.app import out
from dear.cli.remote import Server, TokenOption, UrlOption
from dear.cli.resolve import Household
from dear.cli.show import JsonOption


def places(json: JsonOption = False, url: UrlOption = "", token: TokenOption = "") -> None:
    """The places of your homes; "waits" marks one where a note left for you was hinted."""
    found = Household.of(Server.of(url, token)).places()
    if json:
        show.as_json([vars(place) for place in found])
        return
    if not found:
        out.print("No places yet. Make one on the home page: the counter, a book, a coat.")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("place", "kind", "home", ""):
        table.add_column(column)
    for place in found:
        table.add_row(Text(place.name), place.kind, Text(place.home_name),
                      "a note waits" if place.waiting else "")  # fmt: skip
    out.print(table)


def visit(
    place: Annotated[str, typer.Argument(help="The place: its name or a unique prefix.")],
    json: JsonOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Open a place and read the notes left there for you (they count as found and read)."""
    server = Server.of(url, token)
    household = Household.of(server)
    chosen = household.place(place)
    opened = server.get_json(f"/places/{chosen.id}")
    notes = [server.post_json(f"/letters/{note['id']}/read") for note in opened["notes"]]
    if json:
        show.as_json({**opened, "notes": notes})
        return
    if not notes:
        out.print(f"Nothing for you at {opened['name']}.")
        return
    count = len(notes)
    out.print(f"At {opened['name']}: {count} note{'s' if count != 1 else ''} for you.")
    for note in notes:
        out.print()
        show.letter(note, household.me["id"])


def glance(
    name: Annotated[str, typer.Argument(help="Who you are thinking of.")],
    json: JsonOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """A silent "thinking of you". They see it only if they glance back within the window."""
    server = Server.of(url, token)
    to = Household.of(server).person(name)
    answer = server.post_json("/glances", {"to": to.id, "home": to.home})
    if json:
        show.as_json(answer)
    elif answer["mutual"]:
        out.print(f"{to.display_name} was thinking of you too. A moment for you both.")
    else:
        out.print(f"Sent. {to.display_name} will know only if they glance back in time.")


def moments(json: JsonOption = False, url: UrlOption = "", token: TokenOption = "") -> None:
    """Glances that met and sealed letters that opened together, newest first."""
    server = Server.of(url, token)
    items = server.get_json("/moments")["items"]
    if json:
        show.as_json(items)
        return
    if not items:
        out.print("No moments yet.")
        return
    for item in items:
        what = "you both glanced" if item["kind"] == "glance" else "your sealed letters opened"
        line = f"{show.when(item['at'])}  with {item['with']['display_name']}: {what}"
        out.print(Text(line))
