"""The Typer app behind `dear`, and how it turns failures into one line of output.

Operators read these messages on a terminal or in a service log, so a failure is a
single line naming what is wrong and exits 1 (2 for a usage mistake). `dear --debug`
lets the traceback through for the rare case where that line is not enough.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console

from dear.lib.env import SettingError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class CommandFailed(Exception):
    """Stop the command with this message and exit status."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class DearApp(typer.Typer):
    debug = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Non-standalone, so usage errors reach us instead of Typer's multi-line panel.
        kwargs.setdefault("standalone_mode", False)
        try:
            status = super().__call__(*args, **kwargs)
        except typer.TyperException as exc:  # usage errors are Typer exceptions too
            if not exc.format_message():  # `dear` alone: the help is already printed
                sys.exit(exc.exit_code)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            fail(exc.format_message() + hint, exc.exit_code)
        except typer.Abort:
            fail("aborted", 1)
        except CommandFailed as exc:
            fail(exc.message, exc.exit_code)
        except Exception as exc:
            if self.debug:
                raise
            fail(describe(exc), 1)
        sys.exit(status if isinstance(status, int) else 0)


def describe(exc: Exception) -> str:
    """One line for an exception that escaped a command."""
    if isinstance(exc, SettingError):
        return str(exc)
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    if isinstance(exc, ImproperlyConfigured):
        return f"settings: {exc}"
    if isinstance(exc, OperationalError):
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot use the database: {first_line}"
    return f"{type(exc).__name__}: {exc} (run `dear --debug ...` to see the traceback)"


def fail(message: str, exit_code: int) -> None:
    err.print(f"dear: error: {' '.join(message.split())}", markup=False)
    sys.exit(exit_code)
