"""The `dear` command. Each command lives in its own module; this file wires them up."""

from __future__ import annotations

from typing import Annotated

import typer

from dear.cli import (
    account,
    archive,
    backup,
    boxes,
    clidoc,
    home,
    leave,
    notify,
    status,
    worker,
    write,
)
from dear.cli.app import DearApp
from dear.cli.manage import manage
from dear.cli.serve import serve

app = DearApp(
    name="dear",
    help="Dear: letters between people who share a home.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
) -> None:
    app.debug = debug


app.command()(serve)
app.command()(worker.worker)
app.command()(status.status)
app.command(rich_help_panel="Your letters")(account.login)
app.command(rich_help_panel="Your letters")(account.logout)
app.command(rich_help_panel="Your letters")(account.whoami)
app.command(rich_help_panel="Your letters")(write.write)
app.command(rich_help_panel="Your letters")(write.reply)
app.command(rich_help_panel="Your letters")(boxes.inbox)
app.command(rich_help_panel="Your letters")(boxes.read)
app.command(rich_help_panel="Your letters")(boxes.drafts)
app.command(rich_help_panel="Your letters")(boxes.drawer)
app.command(rich_help_panel="Your letters")(boxes.sent)
app.command(rich_help_panel="Your letters")(boxes.scheduled)
app.command(rich_help_panel="Your letters")(boxes.withdraw)
app.command(rich_help_panel="Your letters")(home.places)
app.command(rich_help_panel="Your letters")(home.visit)
app.command(rich_help_panel="Your letters")(home.glance)
app.command(rich_help_panel="Your letters")(home.moments)
app.command(rich_help_panel="Your letters")(leave.leave)
app.add_typer(notify.app, rich_help_panel="Your letters")
app.command()(archive.search)
app.command()(archive.export)
app.command(name="import")(archive.import_)
app.command()(backup.backup)
app.command()(backup.restore)
app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(manage)
app.command(name="cli-docs", hidden=True)(clidoc.cli_docs)
