"""Channels beside email: a browser that subscribed with Web Push, or a push app the
person already uses through an Apprise URL. Adding, testing, choosing what each tells,
removing; and what a person is shown of their channels (``listed``).

A channel's secret (the URL, the subscription) never leaves this module's callers in
full: what is shown is ``masked`` and ``name``, made when the channel is added.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from dear.lib.errors import Conflict, Invalid, NotFound
from dear.notify import pushapps, transport
from dear.notify.models import Channel, ChannelKind

CHOICES = ("words", "letters", "sealed", "moments", "reminders")
MOST_CHANNELS = 20
MAX_ENDPOINT = 2000
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
TEST_TITLE = "Dear can reach you here"
TEST_BODY = "This is how Dear will tell you a letter is waiting."
# How long a push service keeps a test for a device that is off: a test is about now.
TEST_TTL = 60


@dataclass(frozen=True)
class TestResult:
    """What came back when Dear sent a test: ``message`` is safe to show its owner."""

    ok: bool
    message: str


@dataclass(frozen=True)
class ChannelSeen:
    """A channel as its owner is shown it: never the secret."""

    id: uuid.UUID
    kind: str
    name: str
    masked: str
    words: bool
    letters: bool
    sealed: bool
    moments: bool
    reminders: bool
    state: str  # "last sent 12:04", "the push service says this device is gone"
    gone: bool
    created_at: datetime
    last_sent_at: datetime | None
    this_device: bool  # a Web Push channel subscribed from the session asking


def channel_for(person, channel_id) -> Channel:
    """One of ``person``'s channels; a missing one and another person's answer the same
    404 (rule 4)."""
    try:
        return Channel.objects.get(pk=channel_id, person=person)
    except (Channel.DoesNotExist, ValidationError, ValueError, TypeError):
        # A malformed id is just another channel that is not there.
        raise NotFound() from None


def _room_for_one_more(person) -> None:
    if Channel.objects.filter(person=person).count() >= MOST_CHANNELS:
        raise Invalid(f"Dear tells one person through at most {MOST_CHANNELS} channels.")


def add_apprise(person, url) -> tuple[Channel, TestResult]:
    """Keep ``url`` as a channel of ``person``'s and send a test through it at once. A URL
    Apprise does not understand is Invalid and nothing is kept; one that Apprise
    understands but whose test fails is kept, with what came back, to fix or remove."""
    url = pushapps.clean(url)
    with transaction.atomic():
        _room_for_one_more(person)
        mine = Channel.objects.filter(person=person, kind=ChannelKind.APPRISE)
        if any(channel.secret == url for channel in mine):
            raise Conflict("This push app is already one of yours.")
        channel = Channel.objects.create(
            person=person,
            kind=ChannelKind.APPRISE,
            name=pushapps.name(url),
            secret=url,
            masked=pushapps.mask(url),
        )
    return channel, _test(channel)


def _b64(value, size: int, what: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise Invalid(f"The subscription's {what} key is missing.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise Invalid(f"The subscription's {what} key is not base64url.") from None
    if len(raw) != size:
        raise Invalid(f"The subscription's {what} key has the wrong length.")
    return value


def _public_https(endpoint: str) -> bool:
    """An https:// address on the internet, as every browser's push service has. Plain
    HTTP and this machine's own services only when Dear's tests switch them on
    (settings.PUSH_ENDPOINTS_ON_LOOPBACK): else any account could make Dear knock on
    services listening on loopback or the home network."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError:  # "https://[::1/x": a bracket never closed
        return False
    if not host or parts.username is not None or parts.password is not None:
        return False
    if settings.PUSH_ENDPOINTS_ON_LOOPBACK:
        return parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
    if parts.scheme != "https" or host in LOOPBACK or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." in host and not host.endswith((".local", ".internal", ".home.arpa", ".lan"))
    return address.is_global


def clean_subscription(subscription) -> dict:
    """A browser's PushSubscription (its toJSON()) cut to what Dear keeps, or Invalid."""
    if not isinstance(subscription, dict):
        raise Invalid("A subscription is an object with an endpoint and keys.")
    endpoint = subscription.get("endpoint")
    keys = subscription.get("keys")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT:
        raise Invalid("The subscription has no endpoint.")
    if not _public_https(endpoint):
        raise Invalid("The subscription's endpoint is not an https:// address of a push service.")
    if not isinstance(keys, dict):
        raise Invalid("The subscription has no keys.")
    # An uncompressed P-256 point (65 bytes) and a 16-byte secret (RFC 8291).
    p256dh = _b64(keys.get("p256dh"), 65, "p256dh")
    auth = _b64(keys.get("auth"), 16, "auth")
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def add_webpush(person, subscription, *, name: str, session_key: str = "") -> Channel:
    """Keep a browser's subscription as a channel of ``person``'s, made from the session
    ``session_key`` (logging out of it removes the channel). The same browser subscribing
    again replaces its old channel, whoever's it was: one device rings for one person."""
    kept = clean_subscription(subscription)
    endpoint = kept["endpoint"]
    name = " ".join(str(name or "").split())[:100] or "A browser"
    with transaction.atomic():
        choices = _take_endpoint(endpoint, person)
        _room_for_one_more(person)
        return Channel.objects.create(
            person=person,
            kind=ChannelKind.WEBPUSH,
            name=name,
            secret=json.dumps(kept),
            masked=_masked_endpoint(endpoint),
            session_key=session_key or "",
            **choices,
        )


def _masked_endpoint(endpoint: str) -> str:
    return f"{urlsplit(endpoint).hostname}/…"


def _take_endpoint(endpoint: str, person, keep: Channel | None = None) -> dict:
    """Delete every Web Push channel at ``endpoint`` but ``keep``, whoever's it was (one
    device rings for one person); answers the choices ``person``'s own one had."""
    choices: dict = {}
    at = Channel.objects.filter(kind=ChannelKind.WEBPUSH, secret__contains=json.dumps(endpoint))
    for old in at.select_for_update():
        # ``contains`` only narrows the search: the endpoint itself must be the same.
        if (keep and old.pk == keep.pk) or subscription_of(old).get("endpoint") != endpoint:
            continue
        if old.person_id == person.pk:
            choices = {field: getattr(old, field) for field in CHOICES}
        old.delete()
    return choices


def renew_webpush(
    person, subscription, *, old_endpoint: str = "", session_key: str = ""
) -> Channel:
    """The browser's push service gave it a new subscription in place of the old one (the
    service worker's ``pushsubscriptionchange``): the same channel, with its choices, now
    rings the new one. The old channel is found by its endpoint, which only that browser
    and Dear know, or else as the one subscribed from this browser's session."""
    kept = clean_subscription(subscription)
    with transaction.atomic():
        mine = (
            Channel.objects.filter(person=person, kind=ChannelKind.WEBPUSH)
            .order_by("-created_at", "-id")
            .select_for_update()
        )
        if old_endpoint:
            found = [c for c in mine if subscription_of(c).get("endpoint") == old_endpoint]
        else:
            # The newest this session subscribed: the one this browser rings through now.
            found = list(mine.filter(session_key=session_key)[:1]) if session_key else []
        if not found:
            raise NotFound("No device of yours had that subscription.")
        channel, endpoint = found[0], kept["endpoint"]
        _take_endpoint(endpoint, person, keep=channel)
        channel.secret = json.dumps(kept)
        channel.masked = _masked_endpoint(endpoint)
        channel.gone_at, channel.last_error = None, ""
        channel.session_key = session_key or channel.session_key
        channel.save(update_fields=["secret", "masked", "gone_at", "last_error", "session_key"])
        return channel


def subscription_of(channel: Channel) -> dict:
    return json.loads(channel.secret)


def remove(person, channel_id) -> None:
    """Stop telling ``person`` through this channel; what it still owed goes with it."""
    channel_for(person, channel_id).delete()


def forget_session(session_key: str) -> int:
    """The session ``session_key`` logged out: the browser it ran in stops ringing."""
    if not session_key:
        return 0
    deleted, _ = Channel.objects.filter(kind=ChannelKind.WEBPUSH, session_key=session_key).delete()
    return deleted


def session_moved(old_key: str, new_key: str) -> None:
    """The same browser goes on under a new session key (a password changed there)."""
    if old_key and new_key:
        Channel.objects.filter(kind=ChannelKind.WEBPUSH, session_key=old_key).update(
            session_key=new_key
        )


def session_ended(channel: Channel) -> bool:
    """Whether the browser behind ``channel`` is no longer signed in as its owner: its
    session expired, or ended when the password changed elsewhere (no logout said so)."""
    if channel.kind != ChannelKind.WEBPUSH or not channel.session_key:
        return False
    data = SessionStore(session_key=channel.session_key).load()
    if str(data.get(SESSION_KEY, "")) != str(channel.person_id):
        return True
    return not constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), channel.person.get_session_auth_hash()
    )


def update_choices(person, channel_id, **choices) -> ChannelSeen:
    """Turn what this channel tells on or off: ``words``, ``letters``, ``sealed``,
    ``moments``, ``reminders``, each True or False."""
    channel = channel_for(person, channel_id)
    unknown = sorted(set(choices) - set(CHOICES))
    if unknown:
        raise Invalid(f"A channel has no choice {unknown[0]!r}; it has {', '.join(CHOICES)}.")
    for field, value in choices.items():
        if value is None:
            continue
        if not isinstance(value, bool):
            raise Invalid(f"{field} is true or false.")
        setattr(channel, field, value)
    Channel.objects.filter(pk=channel.pk).update(**{f: getattr(channel, f) for f in CHOICES})
    return seen(person, channel)


def test(person, channel_id) -> TestResult:
    """Send a test notification through this channel now, and say what came back."""
    return _test(channel_for(person, channel_id))


def _test(channel: Channel) -> TestResult:
    now = timezone.now()
    try:
        if channel.kind == ChannelKind.APPRISE:
            pushapps.send(channel.secret, title=TEST_TITLE, body=TEST_BODY)
        else:
            from dear.notify import webpush

            webpush.send(
                subscription_of(channel),
                {"title": TEST_TITLE, "body": TEST_BODY, "url": reverse("web:settings")},
                ttl=TEST_TTL,
            )
    except (transport.TemporaryFailure, transport.PermanentFailure) as exc:
        error = str(exc)[:300]
        gone = channel.kind == ChannelKind.WEBPUSH and _is_gone(exc)
        Channel.objects.filter(pk=channel.pk).update(
            last_error=error, **({"gone_at": now} if gone else {})
        )
        return TestResult(ok=False, message=f"The test did not arrive: {error}.")
    Channel.objects.filter(pk=channel.pk).update(last_sent_at=now, last_error="", gone_at=None)
    return TestResult(ok=True, message="A test notification went out; it should be there now.")


def _is_gone(exc: Exception) -> bool:
    from dear.notify import webpush

    return isinstance(exc, webpush.Gone)


def mark_gone(channel_id, now: datetime, error: str) -> None:
    """The push service says the device is gone: it never rings again."""
    Channel.objects.filter(pk=channel_id).update(gone_at=now, last_error=error[:300])


def state(channel: Channel, person, now: datetime | None = None) -> str:
    """One line on how this channel is doing, in ``person``'s time."""
    if channel.gone_at is not None:
        if channel.kind == ChannelKind.WEBPUSH:
            return "the push service says this device is gone"
        return "the push app refused it; test or remove it"
    if channel.last_error:
        return f"the last one did not arrive: {channel.last_error}"
    if channel.last_sent_at is None:
        return "nothing sent yet"
    now = now or timezone.now()
    sent = channel.last_sent_at.astimezone(person.zone)
    if sent.date() == now.astimezone(person.zone).date():
        return f"last sent {sent:%H:%M}"
    return f"last sent {sent.day} {sent:%b %Y} at {sent:%H:%M}"


def seen(person, channel: Channel, session_key: str = "") -> ChannelSeen:
    return ChannelSeen(
        id=channel.pk,
        kind=channel.kind,
        name=channel.name,
        masked=channel.masked,
        words=channel.words,
        letters=channel.letters,
        sealed=channel.sealed,
        moments=channel.moments,
        reminders=channel.reminders,
        state=state(channel, person),
        gone=channel.gone_at is not None,
        created_at=channel.created_at,
        last_sent_at=channel.last_sent_at,
        this_device=bool(session_key) and channel.session_key == session_key,
    )


def listed(person, *, session_key: str = "") -> list[ChannelSeen]:
    """Every channel of ``person``'s, oldest first. One query; the secret is not read."""
    found = Channel.objects.filter(person=person).defer("secret").order_by("created_at", "id")
    return [seen(person, channel, session_key) for channel in found]
