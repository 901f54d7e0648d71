"""Running the installed `dear` as a person would: its own config dir, a scripted editor."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.server import dear_executable, server_env

# Stands in for $EDITOR: keeps a copy of the page it was given, then writes WORDS
# (from the environment) under the salutation, as a person typing would.
EDITOR = """\
import os, sys
path = sys.argv[1]
page = open(path, encoding="utf-8").read()
open(os.environ["SEEN_PAGE"], "w", encoding="utf-8").write(page)
words = os.environ.get("WORDS", "")
if words:
    head, rest = page.split("\\n", 1)
    open(path, "w", encoding="utf-8").write(head + "\\n\\n" + words + "\\n" + rest)
"""


@dataclass
class Terminal:
    """One person's terminal: a HOME and config dir of its own, never the real ones."""

    home: Path

    def env(self, **extra: str) -> dict:
        editor = self.home / "editor.py"
        if not editor.exists():
            editor.write_text(EDITOR, encoding="utf-8")
        return server_env(
            self.home / "data",
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            EDITOR=f"{sys.executable} {editor}",
            SEEN_PAGE=str(self.home / "seen.txt"),
            COLUMNS="200",
            **extra,
        )

    @property
    def login_file(self) -> Path:
        return self.home / "config" / "dear" / "login.json"

    def seen_page(self) -> str:
        return (self.home / "seen.txt").read_text(encoding="utf-8")

    def run(self, *args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [dear_executable(), *args],
            env=self.env(**extra),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def json(self, *args: str) -> object:
        result = self.run(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def terminal(tmp_path: Path, name: str) -> Terminal:
    home = tmp_path / f"home-{name}"
    home.mkdir()
    return Terminal(home)
