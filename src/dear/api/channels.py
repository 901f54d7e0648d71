"""My channels beside email (`/me/channels`): push apps through an Apprise URL, and
browsers subscribed with Web Push. The URL or subscription goes in and never comes back
out: a channel is answered with `masked` ("ntfy://ntfy.example.net/…") only.
Another person's channel is a 404, the same as one that is not there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from dear.api.auth import person_of
from dear.api.schemas import AUTHED, WITH_BODY, Secret, Text, answers
from dear.lib.errors import Invalid
from dear.notify import channels

router = Router(tags=["channels"])


class SubscriptionKeys(Schema):
    p256dh: Text
    auth: Text


class Subscription(Schema):
    endpoint: Secret
    keys: SubscriptionKeys


class ChannelIn(Schema):
    kind: Literal["apprise", "webpush"]
    url: Secret | None = Field(
        None,
        description='With kind "apprise": the push app\'s Apprise URL, e.g. '
        "ntfy://ntfy.example.net/my-topic. A test notification is sent at once.",
    )
    subscription: Subscription | None = Field(
        None, description='With kind "webpush": the browser\'s PushSubscription, as JSON.'
    )
    name: Text | None = Field(
        None, max_length=100, description='With kind "webpush": what to call this browser.'
    )


class ChoicesIn(Schema):
    words: bool | None = Field(None, description="Put a letter's words in the notification.")
    letters: bool | None = Field(None, description="Tell me when a letter arrives.")
    sealed: bool | None = Field(None, description="Tell me when a sealed pair opens.")
    moments: bool | None = Field(None, description="Tell me when a glance becomes a moment.")
    reminders: bool | None = Field(None, description="Tell me of my quiet reminders.")


class TestOut(Schema):
    ok: bool = Field(description="Whether the push app or push service took it.")
    message: str = Field(description="What came back, in words.")


class ChannelOut(Schema):
    id: UUID
    kind: str = Field(description='"apprise" or "webpush".')
    name: str
    masked: str = Field(description="The URL or push service, cut to what is safe to show.")
    words: bool
    letters: bool
    sealed: bool
    moments: bool
    reminders: bool
    state: str = Field(description='"last sent 12:04", "nothing sent yet", ...')
    gone: bool = Field(description="The push service said this device is gone.")
    created_at: datetime
    last_sent_at: datetime | None
    test: TestOut | None = Field(
        None, description="After adding a push app or asking for a test: what came back."
    )


class ChannelList(Schema):
    items: list[ChannelOut]


def channel(shown: channels.ChannelSeen, test: channels.TestResult | None = None) -> dict:
    return {
        "id": shown.id,
        "kind": shown.kind,
        "name": shown.name,
        "masked": shown.masked,
        **{choice: getattr(shown, choice) for choice in channels.CHOICES},
        "state": shown.state,
        "gone": shown.gone,
        "created_at": shown.created_at,
        "last_sent_at": shown.last_sent_at,
        "test": {"ok": test.ok, "message": test.message} if test is not None else None,
    }


@router.get("/me/channels", response=answers({200: ChannelList}, *AUTHED))
def my_channels(request: HttpRequest):
    """Every channel that tells me of letters beside email, oldest first."""
    return {"items": [channel(shown) for shown in channels.listed(person_of(request))]}


@router.post("/me/channels", response=answers({201: ChannelOut}, *AUTHED, 409, *WITH_BODY))
def add_my_channel(request: HttpRequest, payload: ChannelIn):
    """Add a push app (`kind` "apprise" with its `url`; a test is sent at once and its
    outcome answered in `test`) or a browser (`kind` "webpush" with its
    `subscription`). A URL Apprise does not understand answers 422, keeping nothing."""
    me = person_of(request)
    if payload.kind == "apprise":
        if payload.url is None:
            raise Invalid('A push app is added with its Apprise URL in "url".')
        made, test = channels.add_apprise(me, payload.url)
        return Status(201, channel(channels.seen(me, _fresh(me, made.pk)), test))
    if payload.subscription is None:
        raise Invalid('A browser is added with its push subscription in "subscription".')
    made = channels.add_webpush(me, payload.subscription.dict(), name=payload.name or "A browser")
    return Status(201, channel(channels.seen(me, made)))


def _fresh(person, channel_id):
    # Read again after the test: it wrote down what came back.
    return channels.channel_for(person, channel_id)


@router.patch(
    "/me/channels/{channel_id}", response=answers({200: ChannelOut}, *AUTHED, 404, *WITH_BODY)
)
def change_my_channel(request: HttpRequest, channel_id: str, payload: ChoicesIn):
    """Turn what this channel tells me of on or off; what is left out stays."""
    choices = payload.dict(exclude_none=True)
    return channel(channels.update_choices(person_of(request), channel_id, **choices))


@router.post("/me/channels/{channel_id}/test", response=answers({200: ChannelOut}, *AUTHED, 404))
def test_my_channel(request: HttpRequest, channel_id: str):
    """Send a test notification through this channel now; `test` says what came back."""
    me = person_of(request)
    result = channels.test(me, channel_id)
    return channel(channels.seen(me, _fresh(me, channel_id)), result)


@router.delete("/me/channels/{channel_id}", response=answers({204: None}, *AUTHED, 404))
def remove_my_channel(request: HttpRequest, channel_id: str):
    """Stop telling me through this channel."""
    channels.remove(person_of(request), channel_id)
    return Status(204, None)
