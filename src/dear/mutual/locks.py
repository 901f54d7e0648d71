"""The pair lock: two people's seals and glances happen one after the other, never at once.

Without it, two people sealing at the same instant could each look for the other's letter
before either had committed, miss it, and both wait for ever. Every change that decides
whether two people meet takes this lock first, inside its transaction, before any row lock
(so seal, glance and withdraw can never deadlock against each other).
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def pair_key(one, other) -> int:
    """A signed 64-bit key for the pair, the same whichever of the two asks."""
    low, high = sorted((str(one.pk), str(other.pk)))
    digest = hashlib.blake2b(f"dear.mutual:{low}:{high}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_pair(one, other) -> None:
    """Hold the pair's lock until the current transaction ends. Call inside atomic()."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_pair() only means something inside a transaction")
    if connection.vendor == "postgresql":
        # Released by PostgreSQL itself at commit or rollback, even if the process dies.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [pair_key(one, other)])
    elif connection.vendor == "sqlite":
        # BEGIN IMMEDIATE already takes the database's one write lock when the transaction
        # starts, so writers run one at a time; a deferred BEGIN would not.
        mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        if mode != "IMMEDIATE":
            raise ImproperlyConfigured("SQLite must use IMMEDIATE transactions for Dear.")
    else:
        raise ImproperlyConfigured(f"No pair lock for the {connection.vendor} database.")
