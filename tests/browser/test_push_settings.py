"""Settings' "How Dear tells you" in a real Chromium against a real `dear serve`: Rory
has this device notified, Dear's test push goes through a push service stand-in on
loopback, which hands it to the browser's service worker; logging out stops it.

Headless Chromium cannot subscribe to a push service of its own ("Registration failed -
permission denied", with no internet besides), so the one thing replaced here is the
browser's ``PushManager.subscribe``: it answers with a subscription the stand-in issued
for Dear's key, exactly what a browser would hand the page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from dear.lib.devices import device_name
from tests.browser.conftest import CHROMIUM, QUIET_FLAGS
from tests.browser.settle import settled
from tests.browser.story import invite_rory, log_in, send_letter, sign_up_jess
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

# The stand-in listens on plain HTTP on loopback, which Dear refuses from anyone else.
PUSH_ON_LOOPBACK = {"DEAR_TEST_PUSH_ON_LOOPBACK": "on"}
SUBSCRIBE_WITH = """(device) => {
  PushManager.prototype.subscribe = async function () {
    return { ...device, toJSON() { return device; }, unsubscribe: async () => true };
  };
}"""
# The browser's pushsubscriptionchange, dispatched in Dear's service worker; the promise
# its handler hands to waitUntil is what this answers, so the test waits for the handler.
RENEWED = """async ({ old, fresh }) => {
  const event = new ExtendableEvent("pushsubscriptionchange");
  let handled = Promise.resolve();
  event.waitUntil = (promise) => { handled = promise; };
  Object.defineProperty(event, "oldSubscription", { value: { endpoint: old } });
  Object.defineProperty(event, "newSubscription", { value: { ...fresh, toJSON: () => fresh } });
  self.dispatchEvent(event);
  await handled;
}"""
SHOWN = """() => navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => n.title))"""


def _deliver(page: Page, origin: str, data: bytes) -> None:
    """Hand ``data`` to Dear's service worker as the push service would."""
    session = page.context.new_cdp_session(page)
    registrations: list[str] = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(
            r["registrationId"] for r in event["registrations"] if r["scopeURL"] == origin + "/"
        ),
    )
    session.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    session.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registrations[0], "data": data.decode()},
    )


def _read_every_word(page: Page) -> str:
    card = page.locator("section.card", has=page.get_by_role("heading", name="How Dear tells you"))
    return " ".join(card.inner_text().split())


def test_notify_this_device_rings_through_the_push_service_until_logging_out(
    dear_server_factory, open_page, page_errors, push_service, push_app, artifacts
):
    server = dear_server_factory(send_undo_seconds=0, env=PUSH_ON_LOOPBACK)
    jess, rory = open_page(), open_page()
    sign_up_jess(jess, server)
    invite_rory(jess, rory, server)
    rory.context.grant_permissions(["notifications"], origin=server.base_url)

    rory.goto(server.url("/settings"))
    offer = rory.get_by_role("button", name="Notify this device")
    expect(offer).to_be_visible()
    expect(rory.get_by_text("Notifying this device needs JavaScript.")).to_be_hidden()
    key = rory.locator("[data-push-key]").get_attribute("data-push-key")
    device = push_service.subscribe(application_server_key=key)
    rory.context.add_init_script(f"({SUBSCRIBE_WITH})({json.dumps(device)})")
    rory.reload()
    expect(rory.get_by_role("button", name="Notify this device")).to_be_visible()
    card = rory.locator("section.card", has=rory.locator("#tells-heading"))
    card.screenshot(path=str(artifacts / "settings-channels-before-360.png"))

    # Read before the tap: the tap reloads the page, and a read then can meet no page at all.
    name = device_name(rory.evaluate("navigator.userAgent"))
    rory.get_by_role("button", name="Notify this device").click()

    expect(rory.get_by_text(f"Dear rings this device, {name}, for what")).to_be_visible()
    expect(rory.get_by_text(f"Dear will notify this device ({name}).")).to_be_visible()
    expect(rory.get_by_text("Nothing sent yet", exact=True)).to_be_visible()

    # Its test goes to the push service, signed and encrypted for this device alone…
    rory.get_by_role("button", name=f"Send a test to {name}").click()
    expect(rory.get_by_text("A test notification went out")).to_be_visible()
    expect(rory.get_by_text(re.compile(r"^Last sent \d\d:\d\d$"))).to_be_visible()
    (push,) = push_service.received(device["endpoint"])
    assert push.payload["title"] == "Dear can reach you here"
    # …and, handed to the browser as the push service would, it shows.
    _deliver(rory, server.base_url, push.data)
    shown = settled(rory, f"() => ({SHOWN})().then((titles) => titles.length > 0 && titles)")
    assert shown == ["Dear can reach you here"]

    # The push service replaces the subscription, as Firefox's does now and then: the
    # service worker tells Dear, and the next push goes to the new one.
    fresh = push_service.subscribe(application_server_key=key)
    (worker,) = rory.context.service_workers
    worker.evaluate(RENEWED, {"old": device["endpoint"], "fresh": fresh})
    rory.reload()
    rory.get_by_role("button", name=f"Send a test to {name}").click()
    expect(rory.get_by_text("A test notification went out")).to_be_visible()
    assert len(push_service.received(fresh["endpoint"])) == 1
    assert len(push_service.received(device["endpoint"])) == 1  # only the first test

    # A push app beside it, folded away until asked for, then tested at once.
    form = rory.get_by_label("Your push app's Apprise URL")
    expect(form).to_be_hidden()
    assert "Apprise" not in _read_every_word(rory)
    rory.get_by_text("Use a push app instead (ntfy, Gotify, Telegram…)").click()
    form.fill(push_app.ntfy_url("rory-k2"))
    rory.get_by_role("button", name="Add and send a test").click()
    expect(rory.get_by_text("Added 127.0.0.1. A test notification went out")).to_be_visible()
    assert len(push_app.arrived) == 1
    expect(rory.get_by_text("rory-k2")).to_have_count(0)
    # Added, it stays in view, with its state and a way to remove it; the form folds again.
    expect(rory.get_by_role("heading", name="Push apps")).to_be_visible()
    expect(rory.get_by_role("button", name="Remove 127.0.0.1")).to_be_visible()
    expect(rory.get_by_label("Another push app's Apprise URL")).to_be_hidden()

    rory.get_by_text("Add another push app").click()
    rory.get_by_text("What it tells you").first.click()
    words = _read_every_word(rory)
    assert f"Dear rings this device, {name}, for what you choose below." in words
    assert "Show the letter's words Off, it says only who wrote." in words
    assert "it is never shown again in full" in words
    assert "rory-k2" not in words and device["endpoint"] not in words
    for width, height in ((360, 740), (1280, 900)):
        rory.set_viewport_size({"width": width, "height": height})
        card = rory.locator("section.card", has=rory.locator("#tells-heading"))
        card.screenshot(path=str(artifacts / f"settings-channels-{width}.png"))
        overflow = rory.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"the page is wider than {width} px"

    # Logging out stops this browser: back in, it is not notified and may be again.
    rory.set_viewport_size({"width": 390, "height": 844})
    rory.goto(server.url("/more"))
    rory.get_by_role("button", name="Log out").click()
    log_in(rory, server, "rory")
    rory.goto(server.url("/settings"))
    expect(rory.get_by_text(name, exact=True)).to_have_count(0)
    expect(rory.get_by_role("button", name="Notify this device")).to_be_visible()
    assert page_errors == []


def test_over_plain_http_the_page_says_why_and_offers_a_push_app(
    dear_server_factory, chromium, artifacts
):
    server = dear_server_factory(send_undo_seconds=0, env=PUSH_ON_LOOPBACK)
    # The same server by a name on the home's network, as a phone would reach it.
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*QUIET_FLAGS, "--host-resolver-rules=MAP dear.home 127.0.0.1"],
    )
    try:
        page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_up_jess(page, server)
        page.goto(f"http://dear.home:{server.port}/login")
        page.get_by_label("Username").fill("jess")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"http://dear.home:{server.port}/settings")

        assert page.evaluate("window.isSecureContext") is False
        expect(
            page.get_by_text("Dear is reached here over plain HTTP", exact=False)
        ).to_be_visible()
        page.get_by_role("link", name="A push app works everywhere: add one below.").click()
        expect(page.get_by_label("Your push app's Apprise URL")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Notify this device")).to_have_count(0)
        card = page.locator("section.card", has=page.locator("#tells-heading"))
        card.screenshot(path=str(artifacts / "settings-channels-plain-http.png"))
        assert errors == []
    finally:
        browser.close()


def test_a_letter_that_arrived_offers_this_device_once(
    dear_server_factory, open_page, page_errors, artifacts
):
    server = dear_server_factory(send_undo_seconds=0, env=PUSH_ON_LOOPBACK)
    jess, rory = open_page(), open_page()
    sign_up_jess(jess, server)
    invite_rory(jess, rory, server)
    send_letter(jess, server, "Rory", "The kettle is fixed.")

    rory.goto(server.url("/inbox"))
    rory.get_by_role("link", name=re.compile("From Jess")).first.click()
    offer = rory.get_by_role("complementary", name="Notify this device")
    expect(offer).to_be_visible()
    expect(offer.get_by_role("button", name="Notify this device")).to_be_visible()
    rory.screenshot(path=str(artifacts / "letter-push-offer-360.png"), full_page=True)

    offer.get_by_role("button", name="Not now").click()
    expect(offer).to_be_hidden()
    rory.reload()
    expect(rory.get_by_text("The kettle is fixed.")).to_be_visible()
    expect(offer).to_be_hidden()
    assert page_errors == []
