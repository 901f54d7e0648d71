"""Where Dear keeps its data, and the secret key it makes on first run."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    configured = os.environ.get("DEAR_DATA_DIR")
    return Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("dear"))


def ensure_data_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
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
