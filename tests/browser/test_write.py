"""Writing on a phone, in a real browser: the page is the letter (the cursor in it, growing
with its words, "Saved" in sight), a Write that is never typed on leaves nothing behind,
and one choice says what happens to the letter — each in three taps or fewer from Home,
beyond typing. A reply opens beside the letter it answers, folded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import story

pytestmark = pytest.mark.browser


# Where the keyboard starts on a page no field has taken: before its first element. (A blur
# alone would leave Tab going on from the letter.)
TO_THE_TOP = """() => {
    const top = document.documentElement;
    top.tabIndex = -1;
    top.focus();
    top.removeAttribute("tabindex");
    window.scrollTo(0, 0);
}"""


def _in_view(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
        }""",
        selector,
    )


def _write(page: Page, server, tap: story.Taps, words: str) -> None:
    page.goto(server.url("/"))
    tap(page.get_by_role("button", name="Write to Rory"))
    body = page.get_by_label("Letter", exact=True)
    expect(body).to_be_focused()
    body.fill(words)


@pytest.fixture
def flat(dear_server_factory, chromium, page_errors):
    """Jess and Rory on their phones, their flat with a place: the server and both pages."""
    server = dear_server_factory(send_undo_seconds=0)
    jess = chromium.new_context(viewport=story.PHONE, has_touch=True).new_page()
    rory = chromium.new_context(viewport=story.PHONE, has_touch=True).new_page()
    jess.on("pageerror", lambda exc: page_errors.append(str(exc)))
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)
    story.add_place(jess, server, "the counter")
    return server, jess, rory


def test_writing_a_letter_and_choosing_what_happens_to_it(flat, chromium, page_errors, artifacts):
    server, jess, rory = flat

    # Write opens the letter itself: the salutation written, the cursor in the letter.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    expect(jess.get_by_label("Salutation")).to_have_value("Dear Rory,")
    expect(jess.get_by_label("Letter", exact=True)).to_be_focused()
    expect(jess.get_by_label("Send now", exact=True)).to_be_checked()
    # The other choices' options are out of sight and out of the tab order.
    for hidden in ("Day", "Leave it at…"):
        expect(jess.get_by_label(hidden, exact=True)).to_be_hidden()
    expect(jess.get_by_role("button", name="Crumple this page")).to_be_hidden()
    jess.screenshot(path=str(artifacts / "write-empty-360.png"), full_page=True)

    # Never typed on, the page leaves nothing behind.
    jess.goto(server.url("/drafts"))
    expect(jess.get_by_role("link", name=re.compile("To Rory"))).to_have_count(0)

    # Each choice shows its own options and its own words on the button.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    buttons = {
        "Arrive later": re.compile("^Send it for "),
        "Leave it at a place": "Leave it there",
        "Seal it": "Seal it",
        "Keep it in the drawer": "Keep it in the drawer",
        "Send now": "Send",
    }
    for choice, button in buttons.items():
        jess.get_by_label(choice, exact=True).check()
        expect(jess.get_by_role("button", name=button, exact=True)).to_be_visible()
        shown = jess.locator(".what button:visible")
        expect(shown).to_have_count(1)
        slug = choice.lower().replace(" ", "-")
        jess.locator(".what").screenshot(path=str(artifacts / f"write-choice-{slug}-360.png"))
    jess.get_by_label("Arrive later").check()
    jess.get_by_label("On a day and time").check()
    expect(jess.get_by_label("Day", exact=True)).to_be_visible()
    expect(jess.get_by_role("button", name="Arrive then")).to_be_visible()
    jess.locator(".what").screenshot(path=str(artifacts / "write-choice-arrive-on-360.png"))

    # The letter grows with its words, and "Saved" stays in sight at its end.
    body = jess.get_by_label("Letter", exact=True)
    body.fill("\n".join(f"Line {n} of a long letter." for n in range(60)))
    expect(jess.locator("#save-status")).to_have_text("Saved")
    assert re.search(r"/letters/[0-9a-f-]+/edit$", jess.url)
    scroll = body.evaluate("el => el.scrollHeight - el.clientHeight")
    assert scroll <= 2, "the letter scrolls inside itself"
    body.press("Control+End")
    body.press_sequentially(" The end.")
    assert _in_view(jess, "#save-status")
    expect(jess.locator("#save-status")).to_have_text("Saved")

    # Home → sent, arriving tomorrow morning, sealed, in the drawer: taps beyond typing.
    taps = {}
    tap = story.Taps(jess)
    _write(jess, server, tap, "Dinner on Sunday?")
    # A few lines written on a phone leave Send in sight, above where the bar comes back.
    send = jess.get_by_role("button", name="Send", exact=True).bounding_box()
    bar = jess.locator("nav.main-nav").bounding_box()  # hidden while she types
    assert send["y"] + send["height"] <= bar["y"], "Send is below the fold"
    tap(jess.get_by_role("button", name="Send", exact=True))
    expect(jess.get_by_text("Sent to Rory.")).to_be_visible()
    taps["sent now"] = tap.count

    tap = story.Taps(jess)
    _write(jess, server, tap, "For your breakfast.")
    tap(jess.get_by_label("Arrive later"))
    tap(jess.get_by_role("button", name=re.compile("^Send it for ")))
    expect(jess.get_by_text(re.compile(r"^It will reach Rory .*08:00"))).to_be_visible()
    taps["arriving in the morning"] = tap.count

    tap = story.Taps(jess)
    _write(jess, server, tap, "I never sent the others.")
    tap(jess.get_by_label("Seal it", exact=True))
    tap(jess.get_by_role("button", name="Seal it"))
    sealed = jess.get_by_text(re.compile("^Sealed. It opens when Rory seals one back."))
    expect(sealed).to_be_visible()
    taps["sealed"] = tap.count

    tap = story.Taps(jess)
    _write(jess, server, tap, "Not yet.")
    tap(jess.get_by_label("Keep it in the drawer", exact=True))
    tap(jess.get_by_role("button", name="Keep it in the drawer"))
    expect(jess.get_by_text("Kept in the drawer.")).to_be_visible()
    taps["kept in the drawer"] = tap.count

    (artifacts / "write-taps.txt").write_text(
        "".join(f"{name}: {count} taps + typing\n" for name, count in taps.items())
    )
    assert taps == {
        "sent now": 2,
        "arriving in the morning": 3,
        "sealed": 3,
        "kept in the drawer": 3,
    }

    # Rory answers: the letter he answers is shown folded above his reply.
    rory.goto(server.url("/inbox"))
    rory.get_by_role("link", name=re.compile("From Jess")).first.click()
    expect(rory.get_by_text("Dinner on Sunday?")).to_be_visible()
    rory.get_by_role("button", name="Reply").click()
    folded = rory.locator("details.answering")
    expect(folded.locator("summary")).to_contain_text("Dear Rory, Dinner on Sunday?")
    expect(folded.locator(".paper")).to_be_hidden()
    expect(rory.get_by_label("Salutation")).to_have_value("Dear Jess,")
    expect(rory.get_by_label("Letter", exact=True)).to_be_focused()
    folded.locator("summary").click()
    expect(folded.locator(".paper")).to_contain_text("Dinner on Sunday?")
    rory.get_by_label("Letter", exact=True).fill("Yes. I will cook.")
    rory.screenshot(path=str(artifacts / "write-reply-360.png"), full_page=True)
    rory.get_by_role("button", name="Send", exact=True).click()
    expect(rory.get_by_text("Sent to Jess.")).to_be_visible()

    # Once wide: the same page on a laptop.
    wide = chromium.new_context(viewport=story.WIDE).new_page()
    story.log_in(wide, server, "jess")
    wide.goto(server.url("/"))
    wide.get_by_role("button", name="Write to Rory").click()
    wide.get_by_label("Letter", exact=True).fill("From the laptop.")
    expect(wide.locator("#save-status")).to_have_text("Saved")
    # And there too, Send in sight without scrolling.
    send = wide.get_by_role("button", name="Send", exact=True).bounding_box()
    assert send["y"] + send["height"] <= story.WIDE["height"], "Send is below the fold"
    wide.screenshot(path=str(artifacts / "write-1280.png"), full_page=True)
    assert page_errors == []


def test_from_the_top_of_the_write_page_the_skip_link_then_the_letter(
    dear_server_factory, chromium
):
    server = dear_server_factory()
    jess = chromium.new_context(viewport=story.PHONE).new_page()
    rory = chromium.new_context(viewport=story.PHONE).new_page()
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    expect(jess.get_by_label("Letter", exact=True)).to_be_focused()

    # From the top of the page, the first stop is the skip link; followed, the next stop
    # is inside the letter's paper: its first line, then its words.
    jess.evaluate(TO_THE_TOP)
    jess.keyboard.press("Tab")
    expect(jess.get_by_role("link", name="Skip to the page")).to_be_focused()
    jess.keyboard.press("Enter")
    jess.keyboard.press("Tab")
    expect(jess.get_by_label("Salutation")).to_be_focused()
    expect(jess.locator(".paper :focus")).to_have_count(1)
    jess.keyboard.press("Tab")
    expect(jess.get_by_label("Letter", exact=True)).to_be_focused()


def test_words_typed_on_a_fresh_page_with_no_signal_are_offered_back_and_saved(
    dear_server_factory, open_page, page_errors
):
    from tests.browser.test_offline import CONTROLLED

    server = dear_server_factory()
    jess, rory = open_page(), open_page()
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)
    jess.goto(server.url("/"))
    assert jess.evaluate(CONTROLLED) is True

    # A fresh page, kept by the service worker as it loads; then the signal goes.
    jess.get_by_role("button", name="Write to Rory").click()
    jess.context.set_offline(True)
    jess.get_by_label("Letter", exact=True).press_sequentially("Written on the train.")
    expect(jess.locator("#save-status")).to_have_text("Not saved — retrying")

    # Reloaded with no network, the page offers the words back.
    jess.reload()
    offer = jess.locator("#kept-offer")
    expect(offer).to_contain_text("Written on the train.")
    offer.get_by_role("button", name="Put them back").click()

    # Back online, the first save makes the letter, and the page becomes it.
    jess.context.set_offline(False)
    expect(jess.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    assert re.search(r"/letters/[0-9a-f-]+/edit$", jess.url)
    jess.reload()
    expect(jess.get_by_label("Letter", exact=True)).to_have_value("Written on the train.")
    expect(jess.locator("#kept-offer")).to_be_hidden()
    assert [e for e in page_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_the_choices_inside_a_choice_are_as_big_to_tap_as_the_choices(flat, page_errors, artifacts):
    server, jess, _ = flat
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Write to Rory").click()
    main = jess.get_by_label("Send now", exact=True).bounding_box()

    inner = {"Leave it at a place": ("Hint", "Hidden"), "Seal it": ("Blind", "Told")}
    for choice, options in inner.items():
        jess.get_by_label(choice, exact=True).check()
        for option in options:
            radio = jess.get_by_role("radio", name=re.compile(f"^{option}:"))
            radio.scroll_into_view_if_needed()
            box = radio.bounding_box()
            assert (round(box["width"]), round(box["height"])) == (
                round(main["width"]),
                round(main["height"]),
            ), f"{option} is not the size of the main choices"
            line = jess.locator("label", has=radio).bounding_box()
            assert line["height"] >= 44, f"{option}'s line is too small a target"
            # Anywhere on its line chooses it: the far end, and between the radio and words.
            jess.touchscreen.tap(line["x"] + line["width"] - 4, line["y"] + line["height"] / 2)
            expect(radio).to_be_checked()
        radio = jess.get_by_role("radio", name=re.compile(f"^{options[0]}:"))
        radio.scroll_into_view_if_needed()
        gap = radio.bounding_box()
        jess.touchscreen.tap(gap["x"] + gap["width"] + 4, gap["y"] + gap["height"] / 2)
        expect(radio).to_be_checked()
        slug = choice.lower().replace(" ", "-")
        jess.locator(".what").screenshot(path=str(artifacts / f"write-inner-{slug}-360.png"))
    assert page_errors == []
