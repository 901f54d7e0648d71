"""Dear's settings with one serving choice changed, for bench/choices.py only.

Each BENCH_* variable changes one thing; unset, the settings are exactly dear.settings.
"""

import os

from dear.settings import *  # noqa: F403
from dear.settings import DATABASES, MIDDLEWARE

_drop = os.environ.get("BENCH_DROP_MIDDLEWARE", "")
if _drop:
    MIDDLEWARE = [m for m in MIDDLEWARE if m != _drop]  # noqa: F811

if os.environ.get("BENCH_SESSION_ENGINE"):
    SESSION_ENGINE = os.environ["BENCH_SESSION_ENGINE"]

if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])

_options = DATABASES["default"].setdefault("OPTIONS", {})
if os.environ.get("BENCH_SQLITE_TRANSACTION_MODE"):
    _options["transaction_mode"] = os.environ["BENCH_SQLITE_TRANSACTION_MODE"]
if os.environ.get("BENCH_SQLITE_INIT_COMMAND"):
    _options["init_command"] = os.environ["BENCH_SQLITE_INIT_COMMAND"]
