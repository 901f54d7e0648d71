"""`dear write NAME` and `dear reply ID`: a letter written in your own editor.

The editor opens on a page that already holds "Dear Name," and your closing. Whatever
you save becomes a draft on the server; then the letter is sent, kept in the drawer,
left at a place, sealed, or left as a draft, as the options say (or as you answer).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from dear.cli.app import CommandFailed, out
from dear.cli.remote import Server, TokenOption, UrlOption
from dear.cli.resolve import Household, Place
from dear.cli.show import names, when

SendOption = Annotated[bool, typer.Option("--send", help="Send it as soon as it is written.")]
KeepOption = Annotated[bool, typer.Option("--keep", help="Keep it in the drawer, unsent.")]
AtOption = Annotated[
    str,
    typer.Option("--at", metavar="PLACE", help="Leave it as a note at this place of the home."),
]
HintOption = Annotated[
    bool, typer.Option("--hint", help="With --at: tell them something waits at that place.")
]
SealOption = Annotated[
    bool, typer.Option("--seal", help="Seal it: it opens when they seal one back to you.")
]
BlindOption = Annotated[
    bool, typer.Option("--blind", help="With --seal: tell them nothing until both open.")
]
DeliverOption = Annotated[
    str,
    typer.Option(
        "--deliver-at",
        metavar="WHEN",
        help="Send it to arrive then: ISO 8601, e.g. 2026-03-01T08:00 (local time if no zone).",
    ),
]
ArrivesOption = Annotated[
    str,
    typer.Option(
        "--arrives",
        metavar="WHEN",
        help='Send it to arrive then on their clock, e.g. "2027-03-28 08:30" (on yours if '
        "they live on different clocks or have not set one).",
    ),
]
MorningOption = Annotated[
    bool, typer.Option("--morning", help="Send it to arrive at 08:00 their next morning.")
]

CHOICES = {"s": "send", "k": "keep", "p": "place", "e": "seal", "d": "draft"}


@dataclass
class Plan:
    """What to do with the letter once written, checked before the editor opens."""

    action: str  # send, keep, place, seal, draft, or ask
    place: Place | None = None
    hint: bool = False
    blind: bool = False
    deliver_at: str | None = None
    arrives: str | None = None  # a wall-clock time on the recipients' clock
    morning: bool = False

    def when(self) -> dict:
        """When it arrives, as `POST /letters/{id}/send` takes it; {} for now."""
        if self.morning:
            return {"morning": True}
        if self.arrives:
            return {"arrives_on": self.arrives}
        return {"deliver_at": self.deliver_at} if self.deliver_at else {}


def plan_of(
    household, home, *, send, keep, at, hint, seal, blind, deliver_at, arrives="", morning=False
) -> Plan:
    chosen = [flag for flag, on in (("--send", send), ("--keep", keep), ("--at", at),
                                    ("--seal", seal)) if on]  # fmt: skip
    if len(chosen) > 1:
        raise CommandFailed(f"choose one of {' and '.join(chosen)}", 2)
    if hint and not at:
        raise CommandFailed("--hint goes with --at PLACE", 2)
    if blind and not seal:
        raise CommandFailed("--blind goes with --seal", 2)
    timed = [flag for flag, on in (("--deliver-at", deliver_at), ("--arrives", arrives),
                                   ("--morning", morning)) if on]  # fmt: skip
    if len(timed) > 1:
        raise CommandFailed(f"choose one of {' and '.join(timed)}", 2)
    if timed and (keep or seal):
        raise CommandFailed(f"{timed[0]} goes with --send or --at", 2)
    when = {
        "deliver_at": _moment(deliver_at) if deliver_at else None,
        "arrives": _wall_clock(arrives) if arrives else None,
        "morning": morning,
    }
    if at:
        return Plan("place", household.place(at, home), hint=hint, **when)
    if seal:
        return Plan("seal", blind=blind)
    if keep:
        return Plan("keep")
    if send or timed:
        return Plan("send", **when)
    return Plan("ask" if sys.stdin.isatty() else "draft")


def _moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandFailed(
            f"--deliver-at takes a date and time such as 2026-03-01T08:00; got {text!r}", 2
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the local time zone
    return moment.isoformat()


def _wall_clock(text: str) -> str:
    """A date and time with no zone: the server reads it on the recipients' clock."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise CommandFailed(
            f'--arrives takes a date and time on their clock such as "2027-03-28 08:30"; '
            f"got {text!r}",
            2,
        )
    return moment.isoformat(timespec="minutes")


def write(
    name: Annotated[str, typer.Argument(help="Who to: a display name, username or prefix.")],
    send: SendOption = False,
    keep: KeepOption = False,
    at: AtOption = "",
    hint: HintOption = False,
    seal: SealOption = False,
    blind: BlindOption = False,
    deliver_at: DeliverOption = "",
    arrives: ArrivesOption = "",
    morning: MorningOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Write a letter to a housemate in $EDITOR, then send, keep, leave or seal it.

    With none of --send, --keep, --at or --seal, it asks (at a terminal) or leaves the
    letter as a draft. An empty page makes no letter."""
    server = Server.of(url, token)
    household = Household.of(server)
    to = household.person(name)
    flags = dict(send=send, keep=keep, at=at, hint=hint, seal=seal, blind=blind)
    when = dict(deliver_at=deliver_at, arrives=arrives, morning=morning)
    plan = plan_of(household, to.home, **when, **flags)
    compose(server, household, to.home, [to.id], to.display_name, plan, in_reply_to=None)


def reply(
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="The letter you answer.")],
    send: SendOption = False,
    keep: KeepOption = False,
    at: AtOption = "",
    hint: HintOption = False,
    seal: SealOption = False,
    blind: BlindOption = False,
    deliver_at: DeliverOption = "",
    arrives: ArrivesOption = "",
    morning: MorningOption = False,
    url: UrlOption = "",
    token: TokenOption = "",
) -> None:
    """Answer a letter in $EDITOR: to its writer (or, for your own, to its recipients)."""
    server = Server.of(url, token)
    household = Household.of(server)
    original = server.get_json(f"/letters/{letter_id.strip()}")
    mine = original["from"]["id"] == household.me["id"]
    people = original["to"] if mine else [original["from"]]
    flags = dict(send=send, keep=keep, at=at, hint=hint, seal=seal, blind=blind)
    when = dict(deliver_at=deliver_at, arrives=arrives, morning=morning)
    plan = plan_of(household, original["home"], **when, **flags)
    to = [person["id"] for person in people]
    home = original["home"]
    compose(server, household, home, to, names(people), plan, in_reply_to=original["id"])


def compose(server, household, home, to, to_names, plan: Plan, *, in_reply_to) -> None:
    closing = household.me["display_name"]
    page = edit(f"Dear {to_names},\n\n\n\n{closing}\n")
    salutation, body, closing = parse(page, closing)
    if not body.strip():
        raise CommandFailed("Nothing written; no letter made.")
    payload = {"home": home, "to": to, "salutation": salutation, "body": body}
    payload.update(closing=closing, in_reply_to=in_reply_to)
    letter = server.post_json("/letters", payload)
    if plan.action == "ask":
        plan = ask(household, home)
    try:
        act(server, letter, plan)
    except CommandFailed as exc:
        kept = f"the letter is kept as a draft: {letter['id']}"
        raise CommandFailed(f"{exc.message} ({kept})") from None


def edit(page: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="dear-") as folder:  # private: mode 0700
        path = Path(folder) / "letter.md"
        path.write_text(page, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)])
        except (OSError, ValueError) as exc:
            raise CommandFailed(f"cannot start the editor {editor!r}: {exc}") from None
        if done.returncode != 0:
            raise CommandFailed(f"the editor exited with status {done.returncode}; no letter made")
        return path.read_text(encoding="utf-8", errors="replace")


def parse(page: str, offered_closing: str = "") -> tuple[str, str, str]:
    """Salutation, body and closing of a saved page.

    The first line is the salutation when it ends in a comma; the last line is the
    closing when a blank line sets it apart, or when it is the closing we offered.
    Everything between is the body."""
    lines = page.replace("\r\n", "\n").strip("\n").split("\n")
    salutation = ""
    if lines and lines[0].strip().endswith(","):
        salutation = lines.pop(0).strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    closing = ""
    set_apart = len(lines) >= 3 and not lines[-2].strip()
    if lines and (set_apart or lines[-1].strip() == offered_closing.strip()):
        closing = lines.pop().strip()
    return salutation, "\n".join(lines).strip("\n"), closing


def ask(household, home) -> Plan:
    out.print("[s]end now, [k]eep in the drawer, leave at a [p]lace, s[e]al, or [d]raft?")
    answer = typer.prompt("What now", default="s").strip().lower()[:1]
    action = CHOICES.get(answer)
    if action is None:
        out.print("Left as a draft.")
        return Plan("draft")
    if action == "place":
        return Plan("place", household.place(typer.prompt("Which place"), home))
    return Plan(action)


def act(server: Server, letter: dict, plan: Plan) -> None:
    path = f"/letters/{letter['id']}"
    to = names(letter["to"])
    if plan.action == "send":
        sent = server.post_json(f"{path}/send", plan.when())
        out.print(f"Sent to {to}; it arrives {when(sent['deliver_at'])}. ({sent['id']})")
    elif plan.action == "place":
        payload = {"place": plan.place.id, "hint": plan.hint, **plan.when()}
        server.post_json(f"{path}/send", payload)
        told = " with a hint" if plan.hint else ""
        out.print(f"Left for {to} {plan.place.at}{told}. ({letter['id']})")
    elif plan.action == "seal":
        server.post_json(f"{path}/seal", {"blind": plan.blind})
        out.print(f"Sealed for {to}: it opens when they seal one back. ({letter['id']})")
    elif plan.action == "keep":
        server.post_json(f"{path}/keep")
        out.print(f"Kept in the drawer, unsent. ({letter['id']})")
    else:
        out.print(f"Saved as a draft. ({letter['id']})")
