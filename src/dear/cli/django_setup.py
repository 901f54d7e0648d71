"""Start Django for a command that works on this machine's Dear directly."""

from __future__ import annotations

import os
from pathlib import Path

from dear.paths import data_dir, ensure_data_dir


def setup_django() -> Path:
    """Point Django at Dear's settings, make the data dir, and load the apps.

    Loading the settings makes the secret key on first run. Returns the data dir.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "dear.settings"
    path = ensure_data_dir(data_dir())

    import django

    django.setup()
    return path


def refuse_unusable_settings() -> None:
    """Settings that read but cannot work (a mail server URL Dear cannot parse, say) stop
    the command here, where the operator is looking, rather than failing later in the
    background."""
    from django.core import checks

    from dear.cli.app import CommandFailed

    serious = [message for message in checks.run_checks(tags=["dear"]) if message.is_serious()]
    if serious:
        raise CommandFailed(" ".join(f"{m.msg} {m.hint or ''}".strip() for m in serious))
