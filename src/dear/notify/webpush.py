"""Web Push (RFC 8030, 8291, 8292): the browser's own push service rings the device.

Dear signs each push with its VAPID key (made on first use, kept in the data dir beside
the secret key) and encrypts the payload to the subscription's keys with pywebpush. The
push service's answer decides what the outbox does next: try again later
(``transport.TemporaryFailure``), drop this notification (``transport.PermanentFailure``),
or forget the device (``Gone``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid, VapidException
from pywebpush import WebPusher, WebPushException
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from dear.notify import transport
from dear.paths import ensure_data_dir

KEY_FILE = "vapid_private_key.pem"
# Seconds to reach the push service, then to hear its answer.
TIMEOUT = (5, 15)
# How long a VAPID signature is good for; RFC 8292 allows at most 24 hours.
SIGNATURE_SECONDS = 12 * 60 * 60
# A push carries at most 4096 bytes (RFC 8291 section 4); encryption takes 103 of them.
# A letter's words are cut to fit well inside that.
MOST_BYTES = 3000


class Gone(transport.PermanentFailure):
    """The push service says this subscription is no more (404 or 410): the browser
    unsubscribed, or the person cleared the site's data. The channel can be removed."""


_lock = threading.Lock()
_keys: dict[Path | str, Vapid] = {}
_session = threading.local()


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE


def _make_key(path: Path) -> None:
    """Write a new key beside the secret key, readable by us alone. It appears under its
    name whole or not at all, so a second process starting at the same moment reads
    either nothing (and makes its own, which loses the race) or the finished key."""
    ensure_data_dir(path.parent)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def _vapid() -> Vapid:
    """The key from DEAR_VAPID_PRIVATE_KEY if set (several servers share one), else the
    one kept in the data dir, made the first time it is needed."""
    given = settings.VAPID_PRIVATE_KEY
    with _lock:
        if given:
            if given not in _keys:
                _keys[given] = Vapid.from_pem(given.encode("ascii"))
            return _keys[given]
        path = _key_path()
        if path not in _keys:
            if not path.exists():
                _make_key(path)
            _keys[path] = Vapid.from_pem(path.read_bytes())
        return _keys[path]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key() -> str:
    """The key a browser subscribes with (``applicationServerKey``): the VAPID public key
    as an uncompressed P-256 point, base64url without padding."""
    point = _vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


def _subject() -> str:
    """Who push services should contact about Dear's pushes (the VAPID ``sub``). RFC 8292
    asks for an https: address or a mailto:. An https DEAR_PUBLIC_URL is the better
    answer; a home server on plain HTTP gives the address its emails come from."""
    public = urlsplit(settings.PUBLIC_URL)
    if public.scheme == "https" and public.hostname and "." in public.hostname:
        return f"https://{public.hostname}"
    sender = settings.DEFAULT_FROM_EMAIL
    address = sender[sender.find("<") + 1 : sender.rfind(">")] if "<" in sender else sender
    address = address.strip()
    return f"mailto:{address}" if "@" in address else "mailto:dear@localhost"


def _origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise transport.PermanentFailure("the subscription's endpoint is not a web address")
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _checked(subscription: dict[str, Any]) -> dict[str, Any]:
    """The subscription as pywebpush takes it, or PermanentFailure: keys that are no
    P-256 point and 16-byte secret could never be encrypted to."""
    try:
        endpoint = subscription["endpoint"]
        keys = subscription["keys"]
        p256dh, auth = keys["p256dh"], keys["auth"]
        if not all(isinstance(value, str) for value in (endpoint, p256dh, auth)):
            raise TypeError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(p256dh))
        if len(_unb64url(auth)) != 16:
            raise ValueError
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise transport.PermanentFailure("the subscription's keys cannot be used") from None
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def _encoded(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _fitted(payload: dict[str, Any]) -> bytes:
    """The payload as it travels, its words cut (ending "…") to fit in one push."""
    data = _encoded(payload)
    body = str(payload.get("body") or "")
    if len(data) <= MOST_BYTES or not body:
        return data
    short, long = 0, len(body)
    while short < long:  # the longest beginning of the words that still fits
        middle = (short + long + 1) // 2
        if len(_encoded({**payload, "body": body[:middle].rstrip() + "…"})) <= MOST_BYTES:
            short = middle
        else:
            long = middle - 1
    return _encoded({**payload, "body": body[:short].rstrip() + "…" if short else ""})


def _requests() -> requests.Session:
    if not hasattr(_session, "value"):
        session = requests.Session()
        # A push service answers where it stands; a redirect is not an answer to follow
        # (it would turn the push into a GET somewhere else).
        session.max_redirects = 0
        _session.value = session
    return _session.value


def _refusal(status: int, reason: str) -> Exception:
    message = f"the push service answered {status} {reason}".strip()
    if status in (404, 410):
        return Gone(message)
    if status == 429 or status >= 500 or status < 400:
        return transport.TemporaryFailure(message)
    return transport.PermanentFailure(message)


def _went_out(exc: requests.RequestException) -> bool:
    """Whether the request may have reached the push service before ``exc``: only a
    failure to connect (no address, refused, no TLS, connect timeout) says it did not.
    A read timeout or a connection dropped while waiting for the answer says nothing."""
    if isinstance(exc, requests.ReadTimeout | requests.exceptions.ChunkedEncodingError):
        return True
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return False
    if isinstance(exc, requests.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps it
        return not isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return False  # a bad URL or the like: nothing went out


def send(subscription: dict[str, Any], payload: dict[str, Any], *, ttl: int) -> None:
    """Push ``payload`` (JSON: title, body, url) to one browser subscription.

    ``ttl``: seconds the push service may hold it for a device that is offline.
    Raises transport.TemporaryFailure (no connection, 429, 5xx), its kind
    transport.Unanswered (the push went out and no answer came: count it sent), Gone
    (404, 410: forget the device) or transport.PermanentFailure (any other refusal, or
    keys that cannot work).
    """
    info = _checked(subscription)
    claims = {
        "sub": _subject(),
        "aud": _origin(info["endpoint"]),
        "exp": int(time.time()) + SIGNATURE_SECONDS,
    }
    try:
        headers = _vapid().sign(claims)
    except VapidException as exc:
        raise transport.PermanentFailure(f"cannot sign the push: {exc}") from None
    headers["Urgency"] = "normal"
    try:
        response = WebPusher(info, requests_session=_requests()).send(
            _fitted(payload), headers, ttl=max(0, int(ttl)), timeout=TIMEOUT
        )
    except requests.TooManyRedirects:
        raise transport.PermanentFailure("the push service answered with a redirect") from None
    except requests.RequestException as exc:
        if _went_out(exc):
            # The push may well have been taken: at most once, it counts as sent.
            raise transport.Unanswered(
                f"no answer from the push service at {claims['aud']}: {type(exc).__name__}"
            ) from None
        raise transport.TemporaryFailure(
            f"cannot reach the push service at {claims['aud']}: {type(exc).__name__}"
        ) from None
    except (WebPushException, ValueError) as exc:
        raise transport.PermanentFailure(f"cannot encrypt the push: {exc}") from None
    if response.status_code not in (200, 201, 202):
        raise _refusal(response.status_code, response.reason or "")
