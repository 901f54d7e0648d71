"""The `dear` command. Each command lives in its own module; this file wires them up."""

from __future__ import annotations

from typing import Annotated

import typer

from dear.cli import archive, backup
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
app.command()(archive.search)
app.command()(archive.export)
app.command(name="import")(archive.import_)
app.command()(backup.backup)
app.command()(backup.restore)
app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(manage)
