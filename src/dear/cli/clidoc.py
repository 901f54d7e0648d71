"""The README's command reference, written from the commands' own help.

`dear cli-docs --write README.md` replaces what lies between the two markers below;
tests/cli/test_cli_docs.py fails when the README and the help drift apart."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated

import typer

from dear.cli.app import CommandFailed, out

START = "<!-- dear-cli: start (written by `dear cli-docs --write README.md`) -->"
END = "<!-- dear-cli: end -->"
# Commands for operators come after the ones a person uses every day.
SKIP = {"manage"}


def render(root) -> str:
    """The reference for ``root``, the `dear` command as Click sees it."""
    lines = [inspect.cleandoc(root.help or ""), ""]
    for path, command in _commands(root, "dear"):
        arguments = [_metavar(p) for p in command.params if _is_argument(p)]
        usage = " ".join([path, "[OPTIONS]", *arguments])
        lines += [f"### `{path}`", "", f"    {usage}", ""]
        lines += [inspect.cleandoc(command.help or ""), ""]
        for param in command.params:
            if param.name == "help" or getattr(param, "hidden", False):
                continue
            lines.append(f"- {_param_name(param)}: {getattr(param, 'help', '') or ''}".rstrip())
        if command.params:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _commands(group, path: str):
    """Each command a person runs, as ("dear notify add", command): a group's own
    commands stand in for the group."""
    for command in group.commands.values():  # type: ignore[attr-defined]
        if command.hidden or command.name in SKIP:
            continue
        if hasattr(command, "commands"):
            yield from _commands(command, f"{path} {command.name}")
        else:
            yield f"{path} {command.name}", command


def _param_name(param) -> str:
    if _is_argument(param):
        return f"`{_metavar(param)}`"
    names = ", ".join(param.opts + param.secondary_opts)
    if not getattr(param, "is_flag", False):
        names += f" {_metavar(param)}"
    return f"`{names}`"


def _is_argument(param) -> bool:
    # Typer ships its own copy of click, so ask the parameter rather than its class.
    return param.param_type_name == "argument"


def _metavar(param) -> str:
    return param.metavar or (param.name or "").upper()


def section_of(readme: str) -> str | None:
    if START not in readme or END not in readme:
        return None
    return readme.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def with_section(readme: str, section: str) -> str:
    head, rest = readme.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n{section}{END}{tail}"


def cli_docs(
    ctx: typer.Context,
    write: Annotated[
        Path | None,
        typer.Option("--write", help="Replace the command reference in this README file."),
    ] = None,
) -> None:
    """Print the command reference in Markdown, or write it into the README."""
    section = render(ctx.find_root().command)
    if write is None:
        out.file.write(section)
        return
    readme = write.read_text(encoding="utf-8")
    if section_of(readme) is None:
        raise CommandFailed(f"{write} has no {START} ... {END} markers")
    write.write_text(with_section(readme, section), encoding="utf-8")
    out.print(f"Wrote the command reference into {write}.")
