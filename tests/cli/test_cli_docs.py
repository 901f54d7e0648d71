"""The README's command reference is the commands' own help, kept in step."""

from __future__ import annotations

from pathlib import Path

import typer

from dear.cli import clidoc
from dear.cli.main import app

README = Path(__file__).resolve().parents[2] / "README.md"
DEAR = typer.main.get_command(app)


def test_the_readme_holds_the_command_reference_the_help_gives():
    written = clidoc.section_of(README.read_text(encoding="utf-8"))

    assert written is not None, "README.md lost its dear-cli markers"
    assert written == clidoc.render(DEAR), "run `dear cli-docs --write README.md`"


def test_every_command_a_person_uses_has_help_in_the_reference():
    reference = clidoc.render(DEAR)
    people_use = "login logout whoami write reply inbox read drafts drawer sent places visit"
    for command in [*people_use.split(), "glance", "moments", "search"]:
        assert f"### `dear {command}`" in reference
    assert "### `dear cli-docs`" not in reference  # hidden: for us, not for people
