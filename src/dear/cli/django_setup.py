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
