"""The outbox rings a browser through Web Push with the same rules as every channel:
once per letter, words only when chosen, and a subscription the push service calls gone
marked so and never rung again. Against the push service stand-in on loopback, which
checks the VAPID signature and decrypts the payload on its own (tests/pushservice.py).

Dear's Web Push sender (dear/notify/webpush.py) and the stand-in arrive with the
browser's side of this work; until both are in the tree this file has nothing to run.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dear.notify import channels, outbox
from dear.notify.models import Channel, Notification, Outcome
from tests.helpers import make_letter, send_now
from tests.notify.people import NOON

webpush = pytest.importorskip("dear.notify.webpush")
pushservice = pytest.importorskip("tests.pushservice")

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.PUBLIC_URL = "http://dear.test"
    service = pushservice.PushService().start()
    yield service
    service.stop()


@pytest.fixture
def device(clock, home, rory, push_service):
    subscription = push_service.subscribe(webpush.public_key())
    return channels.add_webpush(rory, subscription, name="Firefox on Linux", session_key="s")


def test_a_letter_rings_the_browser_once_without_its_words(clock, jess, rory, device, push_service):
    letter = send_now(make_letter(jess, rory, body="Only in Dear."))

    assert outbox.send_due() == 1
    assert outbox.send_due() == 0

    (push,) = push_service.received()
    assert push.payload == {
        "title": "A letter from Jess",
        "body": "",
        "url": f"/letters/{letter.pk}",
    }
    assert push_service.refusals == []


def test_words_ring_only_a_browser_that_chose_them(clock, jess, rory, device, push_service):
    channels.update_choices(rory, device.pk, words=True)
    send_now(make_letter(jess, rory, body="Come home soon."))

    assert outbox.send_due() == 1

    (push,) = push_service.received()
    assert "Come home soon." in push.payload["body"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_calls_gone_is_never_rung_again(
    clock, jess, rory, device, push_service, status
):
    push_service.answer(channels.subscription(device)["endpoint"], status)
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 0

    (row,) = Notification.objects.all()
    assert row.outcome == Outcome.FAILED
    device.refresh_from_db()
    assert device.gone_at == NOON
    (shown,) = channels.listed(rory)
    assert shown.state == "the push service says this device is gone"
    send_now(make_letter(jess, rory))
    clock.move_to(NOON + timedelta(days=1))
    assert outbox.send_due() == 0
    assert Notification.objects.count() == 1  # nothing more owed to a gone device
    assert push_service.received() == []


def test_a_push_service_having_a_bad_moment_is_asked_again(clock, jess, rory, device, push_service):
    endpoint = channels.subscription(device)["endpoint"]
    push_service.answer(endpoint, 503)
    send_now(make_letter(jess, rory))

    assert outbox.send_due() == 0
    (row,) = Notification.objects.all()
    assert (row.outcome, row.due_at) == (Outcome.PENDING, NOON + timedelta(minutes=1))

    del push_service.answers[endpoint]  # the moment passed
    clock.move_to(NOON + timedelta(minutes=1))
    assert outbox.send_due() == 1
    assert len(push_service.received()) == 1
    assert Channel.objects.get().gone_at is None
