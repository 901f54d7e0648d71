"""`dear notify add|test|list|remove`: the push apps (ntfy, Gotify, Pushover, Telegram,
Matrix… through an Apprise URL) and browsers that tell you of letters beside email."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from dear.cli import show
from dear.cli.app import CommandFailed, out
from dear.cli.remote import Server, TokenOption, UrlOption
from dear.cli.show import JsonOption

app = typer.Typer(
    name="notify",
    help="Hear of letters on your phone: push apps and browsers beside email.",
    no_args_is_help=True,
)

CHOICES = ("words", "letters", "sealed", "moments", "reminders")


def _find(server: Server, channel: str) -> dict:
    """A channel of mine by its id or a unique start of it (as `dear notify list` shows)."""
    items = server.get_json("/me/channels")["items"]
    found = [item for item in items if item["id"].startswith(channel.strip().lower())]
    if not channel.strip() or not found:
        raise CommandFailed(f"you have no channel {channel!r}: see `dear notify list`")
    if len(found) > 1:
        raise CommandFailed(f"more than one channel starts with {channel!r}: give more of it")
    return found[0]


def _said(test: dict | None) -> None:
    if test is not None:
        out.print(Text(test["message"]))


@app.command()
def add(
    apprise_url: Annotated[
        str,
        typer.Argument(
            metavar="URL",
            help="The push app's Apprise URL, e.g. ntfy://ntfy.example.net/my-topic; "
            "- reads it from standard input, keeping it out of your shell history.",
        ),
    ],
    json: JsonOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Tell me of letters through a push app; a test is sent at once. The URL is kept secret."""
    if apprise_url == "-":
        apprise_url = sys.stdin.readline().strip()
    server = Server.of(url, token)
    made = server.post_json("/me/channels", {"kind": "apprise", "url": apprise_url})
    if json:
        show.as_json(made)
        return
    out.print(Text(f"Added {made['masked']} ({made['id'][:8]}). Words: off."))
    _said(made.get("test"))


@app.command()
def test(
    channel: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="The channel (a start of its id); all of them if left out."
        ),
    ] = None,
    json: JsonOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Send a test notification now and say what came back."""
    server = Server.of(url, token)
    chosen = [_find(server, channel)] if channel else server.get_json("/me/channels")["items"]
    if not chosen:
        raise CommandFailed("you have no channels yet: add one with `dear notify add URL`")
    answers = [server.post_json(f"/me/channels/{item['id']}/test") for item in chosen]
    if json:
        show.as_json(answers)
        return
    for answer in answers:
        out.print(Text(f"{answer['name']} ({answer['id'][:8]}): {answer['test']['message']}"))
    if not all(answer["test"]["ok"] for answer in answers):
        raise typer.Exit(1)


@app.command(name="list")
def list_(json: JsonOption = False, url: UrlOption = "", token: TokenOption = "") -> None:
    """The push apps and browsers that tell you of letters, and how each is doing."""
    items = Server.of(url, token).get_json("/me/channels")["items"]
    if json:
        show.as_json(items)
        return
    if not items:
        out.print("No push apps or browsers yet. Add one with `dear notify add URL`.")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("id", "name", "where", "tells of", "state"):
        table.add_column(column)
    for item in items:
        tells = ", ".join(choice for choice in CHOICES if item[choice]) or "nothing"
        table.add_row(item["id"][:8], Text(item["name"]), Text(item["masked"]), tells,
                      Text(item["state"]))  # fmt: skip
    out.print(table)


@app.command()
def remove(
    channel: Annotated[str, typer.Argument(metavar="ID", help="The channel (a start of its id).")],
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Stop telling me through this push app or browser."""
    server = Server.of(url, token)
    chosen = _find(server, channel)
    server.call("DELETE", f"/me/channels/{chosen['id']}")
    out.print(Text(f"Removed {chosen['name']} ({chosen['masked']})."))
