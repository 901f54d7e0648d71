"""A Web Push service on loopback, standing in for the one a browser would use.

Like a real one it hands out subscriptions (making the browser's side itself: its P-256
key pair and 16-byte auth secret), refuses a push whose VAPID signature does not hold
(RFC 8292), and reads the ``aes128gcm`` body with the subscription's keys (RFC 8291 and
8188). Dear encrypts with pywebpush and http_ece; this reads with ``cryptography`` alone,
written from the RFCs, so a mistake on one side is not repeated on the other.
"""

from __future__ import annotations

import base64
import json
import secrets
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MOST_HOURS = 24


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Device:
    """The browser's side of one subscription."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    # The applicationServerKey it subscribed with; pushes signed by another are refused.
    server_key: str | None

    @property
    def subscription(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {
                "p256dh": b64url(_point(self.private_key.public_key())),
                "auth": b64url(self.auth),
            },
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8188's aes128gcm with RFC 8291's key derivation."""
        if len(body) < 21:
            raise Refused(400, "body too short for an aes128gcm header")
        salt, record_size, id_length = body[:16], struct.unpack(">I", body[16:20])[0], body[20]
        sender = body[21 : 21 + id_length]
        records = body[21 + id_length :]
        if id_length != 65 or record_size < 18:
            raise Refused(400, "aes128gcm header does not carry the sender's key")
        try:
            sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        except ValueError:
            raise Refused(400, "the sender's key is not a P-256 point") from None
        shared = self.private_key.exchange(ec.ECDH(), sender_key)
        receiver = _point(self.private_key.public_key())
        ikm = _hkdf(self.auth, shared, b"WebPush: info\x00" + receiver + sender, 32)
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        plain = b""
        chunks = [records[i : i + record_size] for i in range(0, len(records), record_size)]
        if not chunks:
            raise Refused(400, "no records")
        for number, chunk in enumerate(chunks):
            iv = (int.from_bytes(nonce, "big") ^ number).to_bytes(12, "big")
            try:
                padded = AESGCM(cek).decrypt(iv, chunk, None)
            except InvalidTag:
                raise Refused(
                    400, "the body does not decrypt with this subscription's keys"
                ) from None
            content = padded.rstrip(b"\x00")
            last = number == len(chunks) - 1
            if not content or content[-1] != (2 if last else 1):
                raise Refused(400, "bad padding delimiter")
            plain += content[:-1]
        return plain


@dataclass
class Push:
    endpoint: str
    data: bytes
    ttl: int
    urgency: str | None
    subject: str

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.data)


@dataclass
class PushService:
    host: str = "127.0.0.1"
    port: int = 0
    devices: dict[str, Device] = field(default_factory=dict)
    pushes: list[Push] = field(default_factory=list)
    # (status, reason) for every push refused, in order.
    refusals: list[tuple[int, str]] = field(default_factory=list)
    # An endpoint's next answers: 410 for a device that is gone, 500 for a bad moment.
    answers: dict[str, int] = field(default_factory=dict)
    # Seconds to wait, a push taken, before answering: the answer lost on the way back.
    late: float = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def subscribe(self, application_server_key: str | None = None) -> dict[str, Any]:
        """A new subscription, as ``PushManager.subscribe`` would give it to a page."""
        endpoint = f"{self.origin}/push/{secrets.token_urlsafe(16)}"
        device = Device(
            endpoint,
            ec.generate_private_key(ec.SECP256R1()),
            secrets.token_bytes(16),
            application_server_key,
        )
        with self._lock:
            self.devices[endpoint] = device
        return device.subscription

    def answer(self, endpoint: str, status: int) -> None:
        with self._lock:
            self.answers[endpoint] = status

    def received(self, endpoint: str | None = None) -> list[Push]:
        with self._lock:
            return [p for p in self.pushes if endpoint is None or p.endpoint == endpoint]

    # What the push service checks, in the order a real one does.

    def _vapid(self, header: str, endpoint: str, device: Device) -> str:
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "vapid":
            raise Refused(401, "Authorization is not vapid")
        parts = {}
        for item in rest.split(","):
            name, _, value = item.strip().partition("=")
            parts[name] = value
        token, key = parts.get("t", ""), parts.get("k", "")
        try:
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
            head, claims_text, signature = token.split(".")
            header_json = json.loads(unb64url(head))
            claims = json.loads(unb64url(claims_text))
            raw = unb64url(signature)
        except (ValueError, TypeError):
            raise Refused(401, "the VAPID token or key cannot be read") from None
        if header_json.get("alg") != "ES256" or len(raw) != 64:
            raise Refused(401, "the VAPID token is not ES256")
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            public.verify(der, f"{head}.{claims_text}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise Refused(401, "the VAPID signature does not match its key") from None
        if claims.get("aud") != self.origin:
            raise Refused(401, f"the VAPID aud is {claims.get('aud')!r}, not this service")
        now = time.time()
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= now or exp > now + MOST_HOURS * 3600:
            raise Refused(401, "the VAPID exp is not within the next 24 hours")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.startswith(("mailto:", "https://")):
            raise Refused(401, "the VAPID sub is neither mailto: nor https:")
        if device.server_key is not None and key != device.server_key:
            raise Refused(403, "signed by a key other than the one this device subscribed with")
        return subject

    def _take(self, path: str, headers: Any, body: bytes) -> int:
        endpoint = self.origin + path
        with self._lock:
            device = self.devices.get(endpoint)
            forced = self.answers.get(endpoint)
        if device is None:
            raise Refused(404, "no such subscription")
        subject = self._vapid(headers.get("Authorization", ""), endpoint, device)
        ttl = headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            raise Refused(400, "TTL header missing")
        if forced is not None:
            raise Refused(forced, "as told")
        if headers.get("Content-Encoding") != "aes128gcm":
            raise Refused(415, "Content-Encoding is not aes128gcm")
        if len(body) > 4096:
            raise Refused(413, "payload over 4096 bytes")
        data = device.decrypt(body)
        with self._lock:
            self.pushes.append(Push(endpoint, data, int(ttl), headers.get("Urgency"), subject))
        return 201

    def start(self) -> PushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    status = service._take(self.path, self.headers, body)
                    if service.late:
                        time.sleep(service.late)
                    self.send_response(status)
                    self.send_header("Location", service.origin + self.path + "/m/1")
                except Refused as refusal:
                    with service._lock:
                        service.refusals.append((refusal.status, refusal.reason))
                    self.send_response(refusal.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
