"""Dear's Web Push against a push service stand-in on loopback that checks the VAPID
signature and decrypts the payload on its own (tests/pushservice.py)."""

from __future__ import annotations

import json
import stat
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from dear.notify import transport, webpush
from tests.pushservice import PushService, b64url, unb64url

PAYLOAD = {"title": "A letter from Jess", "body": "", "url": "/letters/0190-abc"}


@pytest.fixture
def vapid_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.PUBLIC_URL = "http://dear.home:8000"
    settings.DEFAULT_FROM_EMAIL = "Dear <dear@home.test>"
    return settings.DATA_DIR


def test_a_push_arrives_decrypted_with_its_title_and_the_letters_address(vapid_dir, push_service):
    device = push_service.subscribe(webpush.public_key())

    webpush.send(device, PAYLOAD, ttl=3600)

    (push,) = push_service.received(device["endpoint"])
    assert push.payload == PAYLOAD
    assert push.ttl == 3600
    assert push.subject == "mailto:dear@home.test"
    assert push_service.refusals == []


def test_words_too_long_for_one_push_are_cut_and_still_arrive(vapid_dir, push_service):
    device = push_service.subscribe(webpush.public_key())
    words = "I read your letter twice. " * 400

    webpush.send(device, {**PAYLOAD, "body": words}, ttl=60)

    (push,) = push_service.received()
    assert push.payload["body"].endswith("…")
    assert words.startswith(push.payload["body"][:-1])
    assert len(push.data) <= webpush.MOST_BYTES


def test_the_key_is_made_once_readable_by_its_owner_alone(vapid_dir):
    first = webpush.public_key()
    key_file = vapid_dir / webpush.KEY_FILE

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    point = unb64url(first)
    assert len(point) == 65 and point[0] == 4
    webpush._keys.clear()  # as a restarted server would
    assert webpush.public_key() == first


def test_an_https_public_address_is_who_push_services_contact(vapid_dir, settings, push_service):
    settings.PUBLIC_URL = "https://dear.example.net"
    device = push_service.subscribe(webpush.public_key())

    webpush.send(device, PAYLOAD, ttl=60)

    assert push_service.received()[0].subject == "https://dear.example.net"


def test_a_push_signed_with_another_key_is_refused(vapid_dir, settings, tmp_path, push_service):
    device = push_service.subscribe(webpush.public_key())
    settings.DATA_DIR = tmp_path / "another-dear"  # a Dear that made a key of its own

    with pytest.raises(transport.PermanentFailure) as refused:
        webpush.send(device, PAYLOAD, ttl=60)

    assert not isinstance(refused.value, webpush.Gone)
    assert push_service.received() == []
    assert push_service.refusals[0][0] == 403


def test_a_push_encrypted_to_other_keys_does_not_decrypt(vapid_dir, push_service):
    device = push_service.subscribe(webpush.public_key())
    other = push_service.subscribe(webpush.public_key())

    with pytest.raises(transport.PermanentFailure):
        webpush.send({**device, "keys": other["keys"]}, PAYLOAD, ttl=60)

    assert push_service.received() == []
    assert push_service.refusals == [
        (400, "the body does not decrypt with this subscription's keys")
    ]


def _forged_authorization(signer: ec.EllipticCurvePrivateKey, named, claims) -> str:
    head = b64url(json.dumps({"typ": "JWT", "alg": "ES256"}).encode())
    body = b64url(json.dumps(claims).encode())
    der = signer.sign(f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    point = named.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return f"vapid t={head}.{body}.{signature}, k={b64url(point)}"


@pytest.mark.parametrize(
    "case",
    ["signed by another key than k", "for another push service", "expired", "good for two days"],
)
def test_the_stand_in_refuses_a_signature_that_does_not_hold(push_service, case):
    """The stand-in is only worth its passes if it refuses what a push service would."""
    import requests

    device = push_service.subscribe()
    key = ec.generate_private_key(ec.SECP256R1())
    base = {"aud": push_service.origin, "exp": int(time.time()) + 3600, "sub": "mailto:a@b.test"}
    claims = dict(base)
    named = key.public_key()
    if case == "signed by another key than k":
        named = ec.generate_private_key(ec.SECP256R1()).public_key()
    elif case == "for another push service":
        claims["aud"] = "https://push.example.net"
    elif case == "expired":
        claims["exp"] = int(time.time()) - 1
    else:
        claims["exp"] = int(time.time()) + 48 * 3600
    good = _forged_authorization(key, key.public_key(), base)
    headers = {"TTL": "60", "Content-Encoding": "aes128gcm"}

    answer = requests.post(
        device["endpoint"],
        data=b"",
        headers={**headers, "Authorization": _forged_authorization(key, named, claims)},
        timeout=5,
    )
    control = requests.post(
        device["endpoint"], data=b"\0" * 30, headers={**headers, "Authorization": good}, timeout=5
    )

    assert answer.status_code == 401
    assert control.status_code == 400  # past the signature, stopped at the body
    assert push_service.received() == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_no_longer_knows_is_gone(vapid_dir, push_service, status):
    device = push_service.subscribe(webpush.public_key())
    push_service.answer(device["endpoint"], status)

    with pytest.raises(webpush.Gone):
        webpush.send(device, PAYLOAD, ttl=60)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_push_service_having_a_bad_moment_is_tried_again(vapid_dir, push_service, status):
    device = push_service.subscribe(webpush.public_key())
    push_service.answer(device["endpoint"], status)

    with pytest.raises(transport.TemporaryFailure):
        webpush.send(device, PAYLOAD, ttl=60)
    assert push_service.received() == []


def test_a_push_service_that_cannot_be_reached_is_tried_again(vapid_dir):
    service = PushService().start()
    device = service.subscribe(webpush.public_key())
    service.stop()  # nothing listens there now

    with pytest.raises(transport.TemporaryFailure) as failed:
        webpush.send(device, PAYLOAD, ttl=60)

    assert device["endpoint"] not in str(failed.value)  # the endpoint is a secret


@pytest.mark.parametrize(
    "keys",
    [{}, {"p256dh": "bm90IGEga2V5", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, {"p256dh": 3, "auth": ""}],
)
def test_a_subscription_whose_keys_cannot_work_is_refused_for_good(vapid_dir, push_service, keys):
    device = push_service.subscribe(webpush.public_key())

    with pytest.raises(transport.PermanentFailure):
        webpush.send({**device, "keys": keys}, PAYLOAD, ttl=60)
    assert push_service.received() == []


def test_servers_sharing_a_configured_key_sign_alike_and_make_none(
    vapid_dir, settings, tmp_path, push_service
):
    from cryptography.hazmat.primitives import serialization as pem

    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = key.private_bytes(
        pem.Encoding.PEM, pem.PrivateFormat.PKCS8, pem.NoEncryption()
    ).decode()
    device = push_service.subscribe(webpush.public_key())
    settings.DATA_DIR = tmp_path / "a-second-server"

    webpush.send(device, PAYLOAD, ttl=60)

    assert webpush.public_key() == b64url(
        key.public_key().public_bytes(pem.Encoding.X962, pem.PublicFormat.UncompressedPoint)
    )
    assert len(push_service.received()) == 1
    assert not (vapid_dir / webpush.KEY_FILE).exists()
    assert not (tmp_path / "a-second-server").exists()
