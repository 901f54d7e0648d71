"""Opaque, time-ordered identifiers (UUID version 7, RFC 9562).

Time-ordered ids keep B-tree inserts local and let lists page by id; the 74 random bits
keep them unguessable in URLs.
"""

import hashlib
import os
import time
import uuid


def uuid7(now_ms: int | None = None, seed: bytes | None = None) -> uuid.UUID:
    """A new id; with ``seed``, its random bits are the seed's hash instead, so the same
    seed (which must itself hold a secret) always gives the same id."""
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    noise = os.urandom(10) if seed is None else hashlib.sha256(seed).digest()[:10]
    rand = int.from_bytes(noise, "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF  # rand_b, 62 bits
    return uuid.UUID(int=value)
