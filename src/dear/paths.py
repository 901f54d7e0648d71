"""Where Dear keeps its data, and the secret key it makes on first run."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    configured = os.environ.get("DEAR_DATA_DIR")
    return Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("dear"))


# Letters, password hashes and sessions: nothing Dear writes is for anyone but its owner.
NOT_FOR_OTHERS = 0o077


def keep_to_owner() -> None:
    """Every file this process makes from now on (the database and its write-ahead log,
    backups, exports) is readable by its owner alone, whatever umask it started with."""
    os.umask(os.umask(NOT_FOR_OTHERS) | NOT_FOR_OTHERS)


def _close_to_others(path: Path) -> None:
    try:
        mode = path.stat().st_mode
        if mode & NOT_FOR_OTHERS and path.stat().st_uid == os.getuid():
            path.chmod(mode & 0o7777 & ~NOT_FOR_OTHERS)
    except OSError:
        pass  # not ours to change; the files we make are still kept to us


def ensure_data_dir(path: Path) -> Path:
    """Make the data dir, or close an existing one (and the files in it) to others."""
    keep_to_owner()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _close_to_others(path)
    for child in path.iterdir():
        if child.is_file() and not child.is_symlink():
            _close_to_others(child)
    return path


def secret_key_from(path: Path) -> str:
    """Read the key kept in the data dir, making it (readable by us alone) if it is missing."""
    key_file = ensure_data_dir(path) / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()
