"""Where `dear login` keeps the server and token: one small JSON file, readable by you only.

The file lives in the user's config dir (``~/.config/dear/login.json`` on Linux, or under
``$XDG_CONFIG_HOME``); ``DEAR_CONFIG_DIR`` points it elsewhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from dear.cli.app import CommandFailed


@dataclass
class Login:
    url: str
    token: str


def config_dir() -> Path:
    chosen = os.environ.get("DEAR_CONFIG_DIR", "").strip()
    return Path(chosen) if chosen else Path(platformdirs.user_config_dir("dear"))


def login_file() -> Path:
    return config_dir() / "login.json"


def load() -> Login | None:
    path = login_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Login(str(data["url"]), str(data["token"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise CommandFailed(
            f"{path} is not a login dear can read; run `dear login URL` again"
        ) from None


def save(login: Login) -> Path:
    path = login_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Made with 0600 from the start and replaced whole: the token is never readable by
    # others, not even for a moment, and never half written.
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"url": login.url, "token": login.token}, handle)
    os.chmod(partial, 0o600)
    os.replace(partial, path)
    return path


def forget() -> bool:
    try:
        login_file().unlink()
    except FileNotFoundError:
        return False
    return True
