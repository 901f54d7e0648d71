"""Guarding password checks: guessing gets slower and slower, and nobody is locked out.

Failures are counted under keys: an account tried from one address, an address trying
any account, a device the account logged in from before, an account asked again for its
password while signed in. Up to a key's limit, attempts are free; after that each further
attempt must wait twice as long as the last (1 s, 2 s, 4 s… at most the 15-minute
window), so a person who mistypes barely notices and a guesser soon gets four tries an
hour. Failures are remembered for a day; the right password clears its own key's.

Nothing counts under the account alone: five wrong passwords for "rory" from somewhere
else never refuse Rory's right password from an address that has not been guessing, nor
from a device he logged in from before.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max
from django.utils import timezone

from dear.accounts.models import LoginFailure
from dear.lib.errors import RateLimited

KEY_LENGTH = 200
# Failures are remembered this long, so the waits keep doubling for a patient guesser;
# each wait is at most the login window (15 minutes).
MEMORY = timedelta(days=1)


@dataclass(frozen=True)
class Where:
    """Where an attempt comes from: the client address, and the device it comes from
    when that device logged in to the same account before (see ``accounts.devices``)."""

    address: str
    device: str = ""


def account_key(username: str) -> str:
    # A digest keeps the key short whatever was typed, and the same for JESS and jess.
    return hashlib.sha256((username or "").strip().lower().encode()).hexdigest()


def _network_of(address: str) -> str:
    """An IPv6 address counts with its /64, which one household (or one attacker) is
    given whole; an IPv4 address counts alone."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def login_keys(username: str, where: Where) -> dict[str, int]:
    """The keys one login attempt counts under, each with its free attempts."""
    account = account_key(username)
    where = Where(address=_network_of(where.address), device=where.device)
    if where.device:
        # A device this account logged in from: only its own guesses slow it down.
        return {f"device:{account}:{where.device}"[:KEY_LENGTH]: settings.LOGIN_LIMIT}
    return {
        f"pair:{account}:{where.address}"[:KEY_LENGTH]: settings.LOGIN_LIMIT,
        f"address:{where.address}"[:KEY_LENGTH]: settings.LOGIN_LIMIT_PER_ADDRESS,
    }


def recheck_keys(username: str) -> dict[str, int]:
    """Asking someone signed in for their password again (to change it, change their
    email, delete the account): a borrowed session gets no more guesses than a login."""
    return {f"again:{account_key(username)}"[:KEY_LENGTH]: settings.LOGIN_LIMIT}


def wait_after(failures: int, limit: int) -> timedelta:
    """How long after the latest failure the next attempt must wait."""
    if failures < limit:
        return timedelta(0)
    window = settings.LOGIN_WINDOW_SECONDS
    doublings = failures - limit
    if doublings >= math.log2(window):
        return timedelta(seconds=window)
    return timedelta(seconds=min(window, 2**doublings))


def _waits(keys: dict[str, int], now, *, besides: list[int]) -> list[timedelta]:
    since = now - MEMORY
    counted = (
        LoginFailure.objects.filter(key__in=keys, at__gt=since)
        .exclude(pk__in=besides)
        .values("key")
        .annotate(failures=Count("id"), latest=Max("at"))
    )
    return [row["latest"] + wait_after(row["failures"], keys[row["key"]]) - now for row in counted]


def refused(seconds: float, message: str) -> RateLimited:
    minutes = max(1, math.ceil(seconds / 60))
    when = "a minute" if minutes == 1 else f"{minutes} minutes"
    return RateLimited(f"{message} Try again in {when}.", retry_after=max(1, math.ceil(seconds)))


def guarded(keys: dict[str, int], check: Callable[[], bool], *, message: str) -> bool:
    """Run ``check`` (a password comparison) unless a key must still wait; count a failure
    under every key when it answers False. Raises RateLimited, saying how long to wait."""
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - MEMORY).delete()  # a day of failures, at most
    # Counted before anything is checked, so attempts made at the same moment see each
    # other and cannot all slip through; a success, or a refusal, takes its rows back.
    rows = LoginFailure.objects.bulk_create([LoginFailure(key=key, at=now) for key in keys])
    ours = [row.pk for row in rows]
    waits = [wait for wait in _waits(keys, now, besides=ours) if wait > timedelta(0)]
    if waits:
        LoginFailure.objects.filter(pk__in=ours).delete()
        raise refused(max(waits).total_seconds(), message)
    if check():
        LoginFailure.objects.filter(pk__in=ours).delete()
        # The right password from here clears what was typed wrong from here, but not
        # an address's count, which any account logged in from it could clear.
        LoginFailure.objects.filter(
            key__in=[k for k in keys if not k.startswith("address:")]
        ).delete()
        return True
    return False


def limit_attempts(limits: dict[str, int], message: str) -> None:
    """Count one attempt under each key and refuse (429) once any key has had more than
    its limit within the window: for things worth doing only now and then, such as
    asking for a password reset link. Every attempt counts, successful or not."""
    now = timezone.now()
    keys = {key[:KEY_LENGTH]: limit for key, limit in limits.items()}
    since = now - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    LoginFailure.objects.filter(key__in=keys, at__lt=since).delete()
    LoginFailure.objects.bulk_create([LoginFailure(key=key, at=now) for key in keys])
    counted = (
        LoginFailure.objects.filter(key__in=keys, at__gt=since)
        .values("key")
        .annotate(attempts=Count("id"))
    )
    if any(row["attempts"] > keys[row["key"]] for row in counted):
        raise RateLimited(message)


DEVICE_SALT = "dear.accounts.guard.device"


def remember_device(username: str) -> str:
    """A signed note a browser keeps after logging in to ``username``: later logins from
    it count their failures apart from everyone else's."""
    return signing.dumps(
        {"account": account_key(username), "device": secrets.token_urlsafe(12)}, salt=DEVICE_SALT
    )


def known_device(signed: str, username: str) -> str:
    """The device a browser's note names, if it logged in to ``username`` before."""
    try:
        note = signing.loads(
            signed or "", salt=DEVICE_SALT, max_age=timedelta(days=settings.DEVICE_COOKIE_DAYS)
        )
    except signing.BadSignature:
        return ""
    if not isinstance(note, dict) or note.get("account") != account_key(username):
        return ""
    return str(note.get("device", ""))
