"""Dear as a phone reaches it behind Caddy: over HTTPS with a certificate the browser
trusts, at a name that is not loopback, so the page is a secure context only because of
the proxy's HTTPS, and the service worker, and with it Web Push, are Dear's to use."""

from __future__ import annotations

import pytest
from cryptography import x509
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, QUIET_FLAGS
from tests.browser.settle import CONTROLLED, settled
from tests.browser.story import PHONE, sign_up_jess
from tests.caddy import caddy_env, spki_sha256

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_trusting(chromium):
    """A Chromium of its own that resolves ``dear.test`` to loopback and trusts the
    certificates of a given Caddy's local authority, as a phone with that authority
    installed would."""
    launched = []
    # Chromium matches this flag against the certificates the server sends: Caddy's
    # intermediate, not its root, which stays on disk as a root does.

    def launch(caddy):
        root = x509.load_pem_x509_certificate(caddy.root_cert.read_bytes())
        intermediate = x509.load_pem_x509_certificate(caddy.intermediate_cert.read_bytes())
        intermediate.verify_directly_issued_by(root)  # raises if the authority is not one
        browser = chromium.browser_type.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                *QUIET_FLAGS,
                f"--host-resolver-rules=MAP {caddy.name} 127.0.0.1",
                "--ignore-certificate-errors-spki-list=" + spki_sha256(intermediate),
            ],
        )
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


def test_behind_caddy_the_app_is_secure_and_its_service_worker_controls_the_page(
    dear_server_factory, caddy_factory, browser_trusting, page_errors, artifacts
):
    caddy = caddy_factory(dear_server_factory(env=caddy_env()))
    page = browser_trusting(caddy).new_context(viewport=PHONE).new_page()
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))

    sign_up_jess(page, caddy)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert page.url.startswith(f"https://{caddy.name}:{caddy.https_port}/")
    assert page.evaluate("window.isSecureContext") is True
    assert settled(page, CONTROLLED) is True
    worker = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert worker.startswith(caddy.base_url + "/")

    # Dear sees the request as HTTPS (Caddy's X-Forwarded-Proto), so it offers Web Push.
    page.goto(caddy.url("/settings"))
    offer = page.get_by_role("button", name="Notify this device")
    expect(offer).to_be_visible()
    offer.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "behind-caddy-settings-360.png"))
    assert page_errors == []
