"""`dear manage`: Django's management commands, with Dear's settings."""

from __future__ import annotations

import os

import typer

from dear.paths import data_dir, ensure_data_dir


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `dear manage check --deploy`.

    Everything after `manage` goes to Django; `dear manage help` lists the commands.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "dear.settings"
    ensure_data_dir(data_dir())
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dear manage", *ctx.args])
