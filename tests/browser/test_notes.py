"""A note left by the counter, in a real browser: Jess leaves a hidden note for Rory at
"the counter"; Rory's inbox is empty; Rory scans the counter's label (on a phone not yet
logged in), logs in, and the note is there, set as a letter; Jess's letter page shows it
was found and read. And the place itself: Jess sees her note waiting there, leaves a
note from the place, and manages its label one tap away."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import story
from tests.browser.test_pages import _axe_violations
from tests.helpers import PASSWORD
from tests.qr import decoded

pytestmark = pytest.mark.browser


def paper_size(pdf: bytes) -> tuple[int, int]:
    """The first page's size in points, rounded: A4 is 595 × 842, US Letter 612 × 792."""
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return round(float(box.group(1))), round(float(box.group(2)))


def test_a_hidden_note_at_the_counter_is_found_by_scanning_its_label(
    dear_server_factory, open_page, page_errors, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    jess = open_page()
    rory = open_page()

    # Jess makes her home and invites Rory, who joins.
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)

    # Jess adds the counter as a place of the home.
    story.add_place(jess, server, "the counter")
    jess.screenshot(path=str(artifacts / "home-places.png"), full_page=True)

    # She writes to Rory and leaves it at the counter, hidden.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    jess.get_by_label("Letter", exact=True).fill("I left this under yesterday's cup.")
    jess.get_by_label("Leave it at a place").check()
    jess.get_by_label("Leave it at…").select_option(label="the counter")
    expect(jess.get_by_role("radio", name=re.compile("^Hidden"))).to_be_checked()
    jess.get_by_role("button", name="Leave it there").click()
    expect(jess.get_by_text("not found yet")).to_be_visible()
    letter_url = jess.url

    # Rory's inbox is empty, and the home shows no mark on the counter.
    rory.goto(server.url("/inbox"))
    expect(rory.get_by_text("Nothing has reached you yet.")).to_be_visible()
    rory.goto(server.url("/"))
    expect(rory.get_by_role("link", name=re.compile("the counter"))).to_be_visible()
    expect(rory.get_by_text("Something waits here for you")).to_have_count(0)

    # The label Jess prints decodes to the counter's unguessable URL.
    jess.goto(server.url("/"))
    jess.get_by_role("link", name="Manage The flat").click()
    jess.get_by_role("link", name="Print labels for these places").click()
    expect(jess.locator(".label-name")).to_have_text(["the counter"])
    svg = jess.locator(".label svg").first.evaluate("node => node.outerHTML")
    [label_url] = decoded(svg)
    assert re.fullmatch(re.escape(server.base_url) + r"/p/[A-Za-z0-9_-]{32}", label_url)
    jess.screenshot(path=str(artifacts / "labels.png"), full_page=True)
    # Printed, the sheet takes the paper it was set for: A4 or US Letter, in points.
    a4 = jess.pdf(prefer_css_page_size=True)
    (artifacts / "labels-a4.pdf").write_bytes(a4)
    assert paper_size(a4) == (595, 842)
    jess.get_by_role("link", name="US Letter").click()
    letter = jess.pdf(prefer_css_page_size=True)
    (artifacts / "labels-letter.pdf").write_bytes(letter)
    assert paper_size(letter) == (612, 792)
    jess.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    jess.emulate_media(media="print")
    expect(jess.get_by_role("heading", name="Labels for The flat")).to_be_hidden()
    expect(jess.locator(".label-name")).to_be_visible()
    jess.screenshot(path=str(artifacts / "labels-print.png"), full_page=True)
    jess.emulate_media(media="screen")
    jess.set_viewport_size({"width": 390, "height": 844})

    # Rory scans it with a phone that is not logged in: the login page, then the counter.
    phone = open_page()
    phone.goto(label_url)
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    phone.get_by_label("Username").fill("rory")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    # Straight to the note, set as a letter: no tap after the scan.
    expect(phone.get_by_role("heading", name="Found by the counter")).to_be_visible()
    expect(
        phone.locator(".paper").get_by_text("I left this under yesterday's cup.")
    ).to_be_visible()
    expect(phone.get_by_text("Replace the label")).to_have_count(0)
    expect(phone.locator("svg.qr")).to_have_count(0)
    phone.screenshot(path=str(artifacts / "place-found.png"), full_page=True)

    # Shown whole, so found and read: Jess's page says both.
    jess.goto(letter_url)
    expect(jess.get_by_text(re.compile(r"^\s*Found "))).to_be_visible()
    expect(jess.get_by_text(re.compile(r"^\s*Read "))).to_be_visible()

    # Now it is in his inbox like any letter.
    rory.goto(server.url("/inbox"))
    expect(rory.get_by_role("link", name=re.compile("From Jess"))).to_be_visible()

    # Jess's page shows it was left, found, and read.
    jess.goto(letter_url)
    expect(jess.locator(".deliveries").get_by_text(re.compile(r"^\s*Left "))).to_be_visible()
    expect(jess.get_by_text(re.compile(r"^\s*Found "))).to_be_visible()
    expect(jess.get_by_text(re.compile(r"^\s*Read "))).to_be_visible()
    jess.screenshot(path=str(artifacts / "note-writer.png"), full_page=True)

    assert page_errors == []


def test_the_place_shows_the_writers_note_and_keeps_its_label_a_tap_away(
    dear_server_factory, chromium, artifacts
):
    server = dear_server_factory(send_undo_seconds=0)
    flat = story.set_up(server, chromium)
    jess, rory = flat.jess, flat.rory

    # Empty, the counter says so and offers the next step.
    jess.goto(server.url(flat.pages["place"]))
    expect(jess.get_by_text("Nothing new waits here for you.")).to_be_visible()
    jess.screenshot(path=str(artifacts / "place-empty-360.png"), full_page=True)

    # From Home, the counter, then the link in sight (test_journeys counts the taps).
    jess.goto(server.url("/"))
    jess.get_by_role("link", name=re.compile("the counter")).click()
    leave = jess.get_by_role("link", name="Leave a note here")
    expect(leave).to_be_in_viewport()
    href = leave.get_attribute("href")
    assert "choose=place" in href and "place=" + flat.pages["place"].rsplit("/", 1)[1] in href

    # Jess follows it: the writer opens with the counter already chosen.
    leave.click()
    jess.get_by_label("Letter", exact=True).fill("Look in the book. Then look at me.")
    expect(jess.get_by_label("Leave it at…")).to_have_value(href.rsplit("place=", 1)[1][:36])
    jess.get_by_role("radio", name=re.compile("^Hint")).check()
    jess.get_by_role("button", name="Leave it there").click()
    expect(jess.get_by_text("Left by the counter for Rory.")).to_be_visible()

    # Her own place page shows her note waiting, never "nothing waits".
    jess.goto(server.url(flat.pages["place"]))
    expect(jess.get_by_role("link", name="Your note for Rory")).to_be_visible()
    expect(jess.get_by_text("hinted, not found yet")).to_be_visible()
    expect(jess.get_by_text("Nothing new waits here for you.")).to_have_count(0)
    jess.screenshot(path=str(artifacts / "place-writer-360.png"), full_page=True)

    # Managing the place is one tap away: its label, its name, archiving.
    jess.get_by_role("link", name="Manage this place").click()
    expect(jess.get_by_role("heading", name="Manage the counter")).to_be_visible()
    expect(jess.locator("svg.qr")).to_be_visible()
    expect(jess.get_by_role("button", name="Replace the label")).to_be_visible()
    [label_url] = decoded(jess.locator("svg.qr").evaluate("node => node.outerHTML"))
    jess.screenshot(path=str(artifacts / "place-manage-360.png"), full_page=True)
    jess.set_viewport_size(story.WIDE)
    jess.screenshot(path=str(artifacts / "place-manage-1280.png"), full_page=True)
    jess.goto(server.url(flat.pages["place"]))
    jess.screenshot(path=str(artifacts / "place-writer-1280.png"), full_page=True)

    # Rory scans the counter's label: the note, as a letter, with no tap after the scan.
    # (In a context that lets axe in: the page's CSP rightly refuses injected scripts.)
    phone = chromium.new_context(viewport=story.PHONE, bypass_csp=True)
    phone.add_cookies(rory.context.cookies())
    rory = phone.new_page()
    rory.goto(label_url)
    expect(rory.get_by_role("heading", name="Found by the counter")).to_be_visible()
    expect(rory.locator(".paper")).to_contain_text("Look in the book.")
    rory.screenshot(path=str(artifacts / "place-found-360.png"), full_page=True)
    assert _axe_violations(rory, inject=True) == []
    rory.emulate_media(color_scheme="dark")
    rory.screenshot(path=str(artifacts / "place-found-360-dark.png"), full_page=True)
    assert _axe_violations(rory, inject=False) == []
    rory.emulate_media(color_scheme="light")

    # Once found, it no longer waits on Jess's page.
    jess.reload()
    expect(jess.get_by_role("link", name="Your note for Rory")).to_have_count(0)

    # A second note, found on a wide screen; the first is then among those found before.
    story.leave_note(jess, server, "And this one, for Sunday.")
    expect(jess.get_by_text("nothing tells Rory it is there")).to_be_visible()
    rory.set_viewport_size(story.WIDE)
    rory.goto(label_url)
    expect(rory.get_by_role("heading", name="Found by the counter")).to_be_visible()
    expect(rory.locator(".paper")).to_contain_text("And this one, for Sunday.")
    expect(rory.get_by_role("heading", name="Found here before")).to_be_visible()
    rory.screenshot(path=str(artifacts / "place-found-1280.png"), full_page=True)
