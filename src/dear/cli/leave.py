"""`dear leave HOME`: leaving a home, through the API like every person-facing command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer
from rich.text import Text

from dear.cli import show
from dear.cli.app import CommandFailed, out
from dear.cli.remote import Server, TokenOption, UrlOption
from dear.cli.resolve import pick
from dear.cli.show import JsonOption


@dataclass
class Home:
    id: str
    name: str

    def label(self) -> str:
        return self.name


def leave(
    home: Annotated[str, typer.Argument(help="The home: its name or a unique prefix.")],
    yes: Annotated[bool, typer.Option("--yes", help="Leave without asking first.")] = False,
    json: JsonOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Leave a home. You keep every letter you wrote and every one that reached you; you
    lose the home, its places and its people. Letters between you and them that had not
    arrived go back to their writers' drawers. Coming back takes a new invite."""
    server = Server.of(url, token)
    homes = [Home(one["id"], one["name"]) for one in server.get_json("/me")["homes"]]
    if not homes:
        raise CommandFailed("you do not belong to a home")
    chosen = pick(home, homes, lambda one: (one.name,), "home")
    if not yes:
        typer.confirm(
            f"Leave {chosen.name}? You keep your letters; its places and people go, and "
            "letters that had not arrived go back to their writers' drawers.",
            abort=True,
        )
    answer = server.post_json(f"/homes/{chosen.id}/leave")
    if json:
        show.as_json(answer)
        return
    back = answer["back_in_drawer"]
    line = f"You left {answer['home']['name']}. Your letters stay with you."
    if back:
        line += f" {back} of your letters that had not arrived yet {'is' if back == 1 else 'are'}"
        line += " back in your drawer."
    out.print(Text(line))
