"""The README's settings table lists exactly the settings Dear reads, with their defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dear.settings  # noqa: F401  (declares the settings)
from dear.lib.env import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def settings_table() -> dict[str, tuple[str, str]]:
    """``{name: (default, description)}`` from the table under "## Settings"."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Settings\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "README.md has no '## Settings' section"
    rows = {}
    for line in section.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue  # prose, the header or the --- line
        name, default, description = cells
        assert name.strip("`") not in rows, f"{name} is listed twice"
        rows[name.strip("`")] = (default.strip("`"), description)
    return rows


def test_readme_lists_every_setting_and_only_those():
    assert sorted(settings_table()) == sorted(SETTINGS)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_readme_gives_each_setting_its_default_and_a_description(name):
    default, description = settings_table().get(name, (None, ""))
    assert default == SETTINGS[name].default, f"README default for {name}"
    assert description, f"README says nothing about {name}"
