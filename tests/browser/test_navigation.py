"""Finding the way with a thumb: on a phone the five destinations sit in a bar at the
bottom, big enough to tap, never over the page; on a wide screen they are one calm line
beside the name. Counts the taps to the places this navigation serves, and keeps
screenshots of Home, Letters, a box empty and full, and a home's own page at both sizes
(nav-<page>-<width>[-dark].png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.story import PHONE, WIDE, Taps, set_up

pytestmark = pytest.mark.browser

DESTINATIONS = ["Home", "Write", "Letters", "Moments", "More"]


def _as(chromium, jess: Page, viewport) -> Page:
    context = chromium.new_context(viewport=viewport)
    context.add_cookies(jess.context.cookies())
    return context.new_page()


def _shoot(page: Page, artifacts, name: str, dark: bool = False) -> None:
    width = page.viewport_size["width"]
    page.emulate_media(color_scheme="dark" if dark else "light")
    suffix = "-dark" if dark else ""
    page.screenshot(path=str(artifacts / f"nav-{name}-{width}{suffix}.png"), full_page=True)
    page.emulate_media(color_scheme="light")


def test_the_phone_bar_and_the_wide_header(dear_server_factory, chromium, artifacts):
    server = dear_server_factory(send_undo_seconds=0)
    home = set_up(server, chromium)
    phone = _as(chromium, home.jess, PHONE)

    # On a phone: five labelled destinations in a bar along the bottom of the screen.
    phone.goto(server.url("/"))
    nav = phone.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    expect(links).to_have_text(DESTINATIONS)
    bar = nav.bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(PHONE["height"], abs=1)
    for box in (link.bounding_box() for link in links.all()):
        assert box["height"] >= 44 and box["width"] >= 44
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")

    # The bar never covers the page: scrolled to the end, the last thing sits above it.
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = phone.locator("main > :last-child").bounding_box()
    assert last["y"] + last["height"] <= nav.bounding_box()["y"]

    # While typing, the keyboard gets the room.
    phone.goto(server.url("/letters"))
    phone.get_by_label("Search your letters").focus()
    expect(nav).to_be_hidden()
    phone.get_by_label("Search your letters").blur()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Letters")).to_have_attribute("aria-current", "page")

    # Inside a destination, it is marked, but only the destination itself is underlined.
    phone.goto(server.url("/drawer"))
    inside = nav.get_by_role("link", name="Letters")
    expect(inside).to_have_attribute("aria-current", "true")
    expect(inside.locator("span").last).to_have_css("text-decoration-line", "none")

    # On a wide screen: the same five, one line beside the name, no bar at the bottom.
    wide = _as(chromium, home.jess, WIDE)
    wide.goto(server.url("/"))
    wide_nav = wide.get_by_role("navigation", name="Main")
    expect(wide_nav.get_by_role("link")).to_have_text(DESTINATIONS)
    header = wide.locator("header.top").bounding_box()
    assert header["y"] == 0 and header["height"] < 70
    assert wide_nav.bounding_box()["y"] < 70
    expect(wide.get_by_role("button", name="Log out")).to_have_count(0)


def test_taps_to_a_blank_page_the_drawer_and_an_invite(dear_server_factory, chromium, artifacts):
    server = dear_server_factory(send_undo_seconds=0)
    home = set_up(server, chromium)
    jess = home.jess
    nav = jess.get_by_role("navigation", name="Main")

    # The drawer: Letters, then The drawer. Two taps from any page.
    jess.goto(server.url("/moments"))
    tap = Taps(jess)
    tap(nav.get_by_role("link", name="Letters"))
    tap(jess.get_by_role("link", name=re.compile("^The drawer")))
    expect(jess.get_by_role("heading", name="The drawer")).to_be_visible()
    assert tap.count == 2
    # Empty, it says what comes next, and the way back is one tap.
    expect(jess.get_by_text("The drawer is empty.")).to_be_visible()
    expect(jess.get_by_role("link", name="Write a letter")).to_be_visible()
    tap = Taps(jess)
    tap(jess.get_by_role("navigation", name="Back").get_by_role("link", name="Letters"))
    expect(jess.get_by_role("heading", name="Letters", exact=True)).to_be_visible()
    assert tap.count == 1

    # An invite: Manage The flat, Invite someone. Two taps from Home.
    jess.goto(server.url("/"))
    tap = Taps(jess)
    tap(jess.get_by_role("link", name="Manage The flat"))
    tap(jess.get_by_role("button", name="Invite someone to The flat"))
    expect(jess.get_by_label("Invite link")).to_be_visible()
    assert tap.count == 2

    # A blank page for Rory: one tap from Home.
    jess.goto(server.url("/"))
    tap = Taps(jess)
    tap(jess.get_by_role("button", name="Write to Rory"))
    expect(jess.get_by_label("Letter", exact=True)).to_be_visible()
    assert tap.count == 1


def test_screenshots_of_the_pages_this_navigation_leads_to(
    dear_server_factory, chromium, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    home = set_up(server, chromium)
    pages = {
        "home": "/",
        "letters": "/letters",
        "box-empty": "/drawer",
        "box-full": "/drafts",
        "home-settings": home.pages["home-settings"],
    }
    for viewport in (PHONE, WIDE):
        page = _as(chromium, home.jess, viewport)
        for name, path in pages.items():
            page.goto(server.url(path))
            _shoot(page, artifacts, name)
            if name == "home":
                _shoot(page, artifacts, name, dark=True)
