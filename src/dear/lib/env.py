"""Typed readers for settings that come from the environment.

Every setting Dear reads is declared once in ``SETTINGS`` with its default and a line of
help; the README's settings table is checked against this list by a test.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class SettingError(ValueError):
    """A setting holds a value Dear cannot use; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {}


def declare(name: str, default: str, help: str) -> Setting:
    setting = Setting(name, default, help)
    SETTINGS[name] = setting
    return setting


def _raw(name: str) -> str | None:
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a declared setting")
    return os.environ.get(name)


def env_str(name: str) -> str:
    value = _raw(name)
    return SETTINGS[name].default if value is None else value


def env_bool(name: str) -> bool:
    value = env_str(name).strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise SettingError(f"{name} must be one of on/off, true/false, yes/no, 1/0; got {value!r}")


def env_int(name: str, *, minimum: int | None = None) -> int:
    value = env_str(name).strip()
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number; got {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name} must be at least {minimum}; got {number}")
    return number


def env_secret(name: str) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    value = _raw(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip() or None
        except OSError as exc:
            raise SettingError(
                f"{name}_FILE points at {path!r}, which cannot be read: {exc}"
            ) from None
    return None


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """A comma-separated list of IP addresses or networks (10.0.0.2, 10.0.0.0/8, fd00::/8)."""
    networks = []
    for part in env_str(name).split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise SettingError(
                f"{name} must list IP addresses or networks such as 10.0.0.2 or "
                f"10.0.0.0/8, separated by commas; got {part.strip()!r}"
            ) from None
    return tuple(networks)


def env_p256_key(name: str) -> str:
    """A P-256 private key in PEM, from ``NAME`` or ``NAME_FILE`` (see env_secret); ""
    when neither is set. A value that is no such key stops Dear, the key not repeated."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    text = env_secret(name)
    if not text:
        return ""
    try:
        key = load_pem_private_key(text.encode("utf-8"), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise SettingError(
            f"{name} must be a P-256 (prime256v1) private key in PEM, unencrypted, "
            "like the vapid_private_key.pem Dear makes in its data dir"
        )
    return text
