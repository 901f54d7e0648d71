"""The opening of the story, shared by the browser tests that need a home to look at:
Jess makes her home and invites Rory, who joins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.helpers import PASSWORD

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}
NODE_MODULES = Path(__file__).resolve().parent / "node" / "node_modules"


def node_tool(relative: str) -> Path:
    """A file of the pinned npm packages in tests/browser/node (`npm ci` there puts them in)."""
    found = NODE_MODULES / relative
    if not found.exists():
        raise RuntimeError(
            f"{found} is missing: run `npm ci --prefix tests/browser/node` (make test does)"
        )
    return found


class Taps:
    """What a person taps on the way to something, beyond typing. Each call is one tap: a
    touch where the device has a touch screen, a click where it has not, on a control that
    is in sight. Typing is never counted, and a page.goto never stands in for a tap: a
    journey begins on a page opened before the counting does."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.touch = page.evaluate("() => navigator.maxTouchPoints > 0")

    def __call__(self, control: Locator) -> None:
        expect(control).to_be_visible()
        if self.touch:
            control.tap()
        else:
            control.click()
        self.count += 1


def sign_up_jess(page: Page, server) -> None:
    page.goto(server.url("/"))
    page.get_by_label("Your name").fill("Jess")
    page.get_by_label("Username").fill("jess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Name of your home").fill("The flat")
    page.get_by_role("button", name="Create my home").click()


def invite_rory(jess: Page, rory: Page, server) -> None:
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Invite someone to The flat").click()
    invite_url = jess.get_by_label("Invite link").input_value()
    rory.goto(invite_url)
    rory.get_by_label("Your name").fill("Rory")
    rory.get_by_label("Username").fill("rory")
    rory.get_by_label("Password").fill(PASSWORD)
    rory.get_by_role("button", name="Sign up and join").click()
    expect(rory.get_by_role("button", name="Write to Jess")).to_be_visible()


def add_place(page: Page, server, name: str, home: str = "The flat") -> None:
    """From Home to the home's own page, where places are added."""
    page.goto(server.url("/"))
    page.get_by_role("link", name=f"Manage {home}").click()
    if not page.get_by_label("Name of the place").is_visible():
        page.get_by_text("Add a place", exact=True).click()
    page.get_by_label("Name of the place").fill(name)
    page.get_by_role("button", name="Add this place").click()
    expect(page.get_by_role("link", name=re.compile(name))).to_be_visible()


def log_in(page: Page, server, username: str) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def send_letter(page: Page, server, to: str, words: str) -> None:
    """From Home, write ``words`` to ``to`` and send them at once."""
    page.goto(server.url("/"))
    page.get_by_role("button", name=f"Write to {to}").click()
    page.get_by_label("Letter", exact=True).fill(words)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Sent")).to_be_visible()


def leave_note(page: Page, server, words: str, place: str = "the counter") -> None:
    """From Home, write to Rory and leave the letter at ``place``, as it is (hidden)."""
    page.goto(server.url("/"))
    page.get_by_role("button", name="Write to Rory").click()
    page.get_by_label("Letter", exact=True).fill(words)
    page.get_by_label("Leave it at a place").check()
    page.get_by_label("Leave it at…").select_option(label=place)
    page.get_by_role("button", name="Leave it there").click()


@dataclass
class Home:
    server: object
    jess: Page
    rory: Page
    pages: dict[str, str]  # name → path, for Jess
    public: dict[str, str]  # name → path, for nobody logged in


def set_up(server, chromium) -> Home:
    """Jess and Rory's flat with something on every page: a place, a letter from Rory that
    Jess has read, a draft of hers, and an unused invite."""
    jess = chromium.new_context(viewport=PHONE).new_page()
    rory = chromium.new_context(viewport=PHONE).new_page()
    sign_up_jess(jess, server)
    invite_rory(jess, rory, server)

    add_place(jess, server, "the counter")
    jess.get_by_role("link", name=re.compile("the counter")).click()
    place = jess.url

    rory.goto(server.url("/"))
    rory.get_by_role("button", name="Write to Jess").click()
    rory.get_by_label("Letter", exact=True).fill(
        "I found your note by the cup.\n\nCan we have dinner on Sunday? I will *cook*."
    )
    rory.get_by_role("button", name="Send", exact=True).click()
    expect(rory.get_by_role("heading", name="Sent")).to_be_visible()

    jess.goto(server.url("/inbox"))
    jess.get_by_role("link", name=re.compile("From Rory")).first.click()
    expect(jess.get_by_text("Can we have dinner on Sunday?")).to_be_visible()
    letter = jess.url

    jess.goto(server.url("/"))
    home_id = jess.locator('input[name="home"]').first.input_value()
    rory_id = jess.locator('input[name="to"]').first.input_value()
    jess.get_by_role("link", name="Manage The flat").click()
    jess.get_by_role("button", name="Invite someone to The flat").click()
    invite = jess.get_by_label("Invite link").input_value()

    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    jess.get_by_label("Letter", exact=True).fill("Sunday, yes. I will bring the wine.")
    expect(jess.locator("#save-status")).to_have_text("Saved")
    edit = jess.url
    draft = edit.removesuffix("/edit")

    base = server.base_url
    pages = {
        "home": "/",
        "home-settings": f"/homes/{home_id}",
        "letters": "/letters",
        "more": "/more",
        "write": edit.removeprefix(base),
        "letter": letter.removeprefix(base),
        "place": place.removeprefix(base),
        "place-manage": place.removeprefix(base) + "/manage",
        "draft": draft.removeprefix(base),
        "revisions": draft.removeprefix(base) + "/revisions",
        "start-letter": f"/write?to={rory_id}&home={home_id}",
        "write-to": "/write",
        "reply": "/write?reply=" + letter.removeprefix(base).removeprefix("/letters/"),
        "correspondence": f"/with/{rory_id}",
        "labels": f"/homes/{home_id}/labels",
        "inbox": "/inbox",
        "sent": "/sent",
        "scheduled": "/scheduled",
        "drafts": "/drafts",
        "drawer": "/drawer",
        "basket": "/basket",
        "sealed": "/sealed",
        "moments": "/moments",
        "search": "/search?q=dinner",
        "archive": "/archive",
        "settings": "/settings",
        "tokens": "/settings/tokens",
        "delete-account": "/settings/delete",
        "offline": "/offline",
    }
    public = {
        "login": "/login",
        "invite": invite.removeprefix(base),
        "forgot-password": "/password/forgot",
    }
    return Home(server, jess, rory, pages, public)
