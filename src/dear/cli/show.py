"""How the person-facing commands print: letters as letters, lists as tables, or JSON."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from dear.cli.app import out

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (as the API answers it) instead of a table.")
]


def as_json(data) -> None:
    # Straight to stdout, never through Rich: a letter's words are printed as they are.
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def when(stamp: str | None) -> str:
    """An API timestamp in local time, to the minute."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M")


def first_line(text: str | None, width: int = 48) -> str:
    if text is None:
        return "(sealed)"
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def names(people: list[dict]) -> str:
    return ", ".join(person["display_name"] for person in people)


def letter_table(items: list[dict], me: str, empty: str) -> None:
    if not items:
        out.print(empty)
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    # One row per letter, however narrow the terminal: only the opening words give way.
    for column, width in (("id", 36), ("with", 8), ("when", 16), ("state", 6)):
        table.add_column(column, no_wrap=True, min_width=width)
    table.add_column("begins", no_wrap=True, overflow="ellipsis")
    for item in items:
        mine = item["from"]["id"] == me
        other = f"to {names(item['to'])}" if mine else f"from {item['from']['display_name']}"
        moment = item.get("deliver_at") or item.get("sent_at") or item["written_at"]
        table.add_row(
            item["id"], Text(other), when(moment), item["state"], Text(first_line(item["body"]))
        )
    out.print(table)


def letter(item: dict, me: str) -> None:
    """A letter as it reads on paper: who and when, the salutation, body and closing."""
    mine = item["from"]["id"] == me
    who = f"To {names(item['to'])}" if mine else f"From {item['from']['display_name']}"
    moment = item.get("deliver_at") or item.get("sent_at") or item["written_at"]
    out.print(Text(f"{who} · {item['state']} · {when(moment)}", style="dim"))
    if item["body"] is None:
        out.print(
            Text(f"Sealed. It opens when you seal a letter back to {item['from']['display_name']}.")
        )
        return
    out.print()
    if item["salutation"]:
        out.print(Text(item["salutation"]))
        out.print()
    out.print(Text(item["body"]))
    if item["closing"]:
        out.print()
        out.print(Text(item["closing"]), justify="right")
    out.print()
