"""The six journeys Dear promises in three taps or fewer from Home, beyond typing, acted
out by Jess and Rory on a phone (360×740, touched) and on a laptop (1280×800, clicked):
write and send a letter, leave a note at a place, find a note from its label (no tap at
all: the camera opens it), seal one back, glance back, reply. Every step is kept as a
screenshot, light and dark (journeys-<device>-<journey>-<nn>-<step>-<scheme>.png), and
the counts as journeys-taps-<device>.txt, all in test-artifacts/.

A count is the taps this story makes; what holds it is that every control it taps is
there, in sight, at that step, and that each journey ends on what the other person sees.
A page that needed one tap more would fail the story, not raise the count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import story
from tests.qr import decoded

pytestmark = pytest.mark.browser

DEVICES = {
    "phone": {"viewport": story.PHONE, "has_touch": True},
    "laptop": {"viewport": story.WIDE},
}

# The count each journey takes today: fewer is progress (lower it here), more is a regression.
TAPS = {
    "write and send a letter": 2,  # Write to Rory, Send
    "leave a note at a place": 3,  # the counter, Leave a note here, Leave it there
    "find a note from its label URL": 0,  # the camera opens the label; the note is there
    "seal one back": 2,  # Seal one back, Seal it
    "glance back": 1,  # Glance at Jess
    "reply": 3,  # his letter, Reply, Send
}

DINNER = "Dinner on Sunday? I will bring the wine."
NOTE = "I left this under yesterday's cup."
HIS_SEALED = "I never sent mine either. I didn't think you would."
HERS_SEALED = "I never sent the letters I wrote you. I didn't think you'd care."
REPLY = "Yes. I will cook."
# A letter in a list, found by its writer and its own words.
DINNER_ROW = re.compile(f"From Jess.*{re.escape(DINNER)}")
REPLY_ROW = re.compile(f"From Rory.*{re.escape(REPLY)}")


class Journey:
    """One journey's screenshots, numbered in the order its steps happen."""

    def __init__(self, artifacts: Path, device: str, name: str) -> None:
        self.artifacts = artifacts
        self.prefix = f"journeys-{device}-{name}"
        self.step = 0

    def shot(self, page: Page, step: str) -> None:
        """The whole page, as a screen tall enough to hold it shows it: the phone's bar at
        its foot, where a full-page capture would leave it over the middle of the page."""
        screen = page.viewport_size
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": screen["width"], "height": max(height, screen["height"])})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            path = self.artifacts / f"{self.prefix}-{self.step:02d}-{step}-{scheme}.png"
            page.screenshot(path=str(path))
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(screen)
        self.step += 1


def _letter(page: Page):
    return page.get_by_role("article", name="The letter")


def _typed(page: Page, words: str) -> None:
    page.get_by_label("Letter", exact=True).fill(words)
    expect(page.locator("#save-status")).to_have_text("Saved")


@pytest.fixture(params=list(DEVICES))
def device(request, chromium):
    """Jess's and Rory's pages on one kind of device, closed at the end."""
    contexts = []

    def open_page() -> Page:
        context = chromium.new_context(**DEVICES[request.param])
        contexts.append(context)
        return context.new_page()

    yield request.param, open_page
    for context in contexts:
        context.close()


def test_each_journey_from_home_takes_three_taps_or_fewer(
    dear_server_factory, device, page_errors, artifacts
):
    name, open_page = device
    server = dear_server_factory(send_undo_seconds=0)
    jess, rory = open_page(), open_page()
    for page in (jess, rory):
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)
    story.add_place(jess, server, "the counter")
    # The counter's label, read the way a phone's camera reads it.
    jess.get_by_role("link", name=re.compile("the counter")).click()
    place_url = jess.url
    jess.get_by_role("link", name="Manage this place").click()
    [label_url] = decoded(jess.locator("svg.qr").evaluate("node => node.outerHTML"))

    counted: dict[str, int] = {}

    def counts(journey: str, taps: story.Taps) -> None:
        counted[journey] = taps.count
        (artifacts / f"journeys-taps-{name}.txt").write_text(
            f"Taps from Home, beyond typing, on the {name} (at most 3 each):\n"
            + "".join(f"{j}: {n}\n" for j, n in counted.items())
        )
        assert taps.count <= 3, f"{journey}: {taps.count} taps"
        assert taps.count == TAPS[journey], f"{journey}: {taps.count} taps"

    # Write and send a letter: Jess, from Home; Rory finds it in his inbox.
    steps = Journey(artifacts, name, "write-and-send")
    jess.goto(server.url("/"))
    steps.shot(jess, "home")
    tap = story.Taps(jess)
    tap(jess.get_by_role("button", name="Write to Rory"))
    expect(jess.get_by_label("Letter", exact=True)).to_be_focused()
    steps.shot(jess, "write")
    _typed(jess, DINNER)
    steps.shot(jess, "typed")
    tap(jess.get_by_role("button", name="Send", exact=True))
    expect(_letter(jess)).to_contain_text(DINNER)
    steps.shot(jess, "sent")
    counts("write and send a letter", tap)
    rory.goto(server.url("/inbox"))
    expect(rory.get_by_role("link", name=DINNER_ROW)).to_be_visible()
    steps.shot(rory, "rory-inbox")

    # Leave a note at a place: Jess, from Home, by the counter; it waits there, hidden.
    steps = Journey(artifacts, name, "leave-a-note")
    jess.goto(server.url("/"))
    steps.shot(jess, "home")
    tap = story.Taps(jess)
    tap(jess.get_by_role("link", name=re.compile("the counter")))
    leave_here = jess.get_by_role("link", name="Leave a note here")
    expect(leave_here).to_be_in_viewport()
    steps.shot(jess, "place")
    tap(leave_here)
    expect(jess.get_by_label("Letter", exact=True)).to_be_focused()
    steps.shot(jess, "write")
    _typed(jess, NOTE)
    steps.shot(jess, "typed")
    tap(jess.get_by_role("button", name="Leave it there"))
    expect(_letter(jess)).to_contain_text(NOTE)
    steps.shot(jess, "left")
    counts("leave a note at a place", tap)
    jess.goto(place_url)
    waiting = jess.get_by_role("region", name=re.compile("^Your notes"))
    expect(waiting.get_by_role("link", name="Your note for Rory")).to_be_visible()
    steps.shot(jess, "waiting-at-the-place")

    # Find a note from its label URL: Rory's phone opens the label; the note is there.
    steps = Journey(artifacts, name, "find-a-note")
    rory.goto(label_url)
    tap = story.Taps(rory)
    expect(_letter(rory)).to_contain_text(NOTE)
    steps.shot(rory, "label-opened")
    counts("find a note from its label URL", tap)

    # Seal one back: Rory has sealed a letter for Jess; from Home she seals one back, and
    # the pair opens for both.
    rory.goto(server.url("/"))
    rory.get_by_role("button", name="Write to Jess").click()
    _typed(rory, HIS_SEALED)
    rory.get_by_label("Seal it", exact=True).check()
    rory.get_by_role("button", name="Seal it").click()
    expect(_letter(rory)).to_contain_text(HIS_SEALED)
    his_sealed_url = rory.url
    steps = Journey(artifacts, name, "seal-one-back")
    jess.goto(server.url("/"))
    steps.shot(jess, "home")
    tap = story.Taps(jess)
    tap(jess.get_by_role("link", name="Seal one back to Rory"))
    expect(jess.get_by_label("Seal it", exact=True)).to_be_checked()
    steps.shot(jess, "write")
    _typed(jess, HERS_SEALED)
    steps.shot(jess, "typed")
    tap(jess.get_by_role("button", name="Seal it"))
    pair = jess.locator(".sealed-pair")
    expect(pair.get_by_role("heading")).to_have_text("You both sealed a letter, and both opened")
    expect(_letter(jess)).to_contain_text(HIS_SEALED)
    steps.shot(jess, "opened")
    counts("seal one back", tap)
    rory.goto(his_sealed_url)
    expect(rory.locator(".sealed-pair").get_by_role("heading")).to_have_text(
        "You both sealed a letter, and both opened"
    )
    rory.locator(".sealed-pair").get_by_role("link", name="Read Jess’s").click()
    expect(_letter(rory)).to_contain_text(HERS_SEALED)
    steps.shot(rory, "rory-reads-hers")

    # Glance back: Jess has glanced at Rory; from Home he glances back, and both Homes
    # say they looked up.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Glance at Rory").click()
    expect(jess.locator(".glance-card")).to_be_visible()
    steps = Journey(artifacts, name, "glance-back")
    rory.goto(server.url("/"))
    steps.shot(rory, "home")
    tap = story.Taps(rory)
    tap(rory.get_by_role("button", name="Glance at Jess"))
    expect(rory.locator(".glance-card")).to_contain_text("You both looked up")
    steps.shot(rory, "looked-up")
    counts("glance back", tap)
    jess.goto(server.url("/"))
    expect(jess.locator(".glance-card")).to_contain_text("You both looked up")
    steps.shot(jess, "jess-home")

    # Reply: Rory answers the letter about Sunday, from Home; it reaches Jess's Home.
    steps = Journey(artifacts, name, "reply")
    rory.goto(server.url("/"))
    steps.shot(rory, "home")
    tap = story.Taps(rory)
    tap(rory.get_by_role("link", name=DINNER_ROW))
    expect(_letter(rory)).to_contain_text(DINNER)
    steps.shot(rory, "letter")
    tap(rory.get_by_role("button", name="Reply", exact=True))
    expect(rory.get_by_label("Letter", exact=True)).to_be_focused()
    steps.shot(rory, "write")
    _typed(rory, REPLY)
    steps.shot(rory, "typed")
    tap(rory.get_by_role("button", name="Send", exact=True))
    expect(_letter(rory)).to_contain_text(REPLY)
    steps.shot(rory, "sent")
    counts("reply", tap)
    jess.goto(server.url("/"))
    waits = jess.get_by_role("region", name="What waits for you")
    expect(waits.get_by_role("link", name=REPLY_ROW)).to_be_visible()
    steps.shot(jess, "jess-home")

    assert counted == TAPS
    assert page_errors == []
