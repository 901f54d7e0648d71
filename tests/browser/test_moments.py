"""The story's moments in a real browser, on a phone and on a laptop: a letter kept for
years says so above it; a glance waits on its glancer's Home alone, and when it is
returned both Homes show the moment; a sealed pair reads as a pair; the Moments page and
the revisions of a letter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser import story
from tests.server import server_env

pytestmark = pytest.mark.browser

# Run inside the server's own settings and database (SQLite or PostgreSQL alike): the
# years a letter waited in a drawer cannot pass in a test, so its clock is moved here.
SETUP = """
import json, os
from datetime import timedelta
os.environ["DJANGO_SETTINGS_MODULE"] = "dear.settings"
import django
django.setup()
import time_machine
from django.test.utils import override_settings
from django.utils import timezone
from dear.accounts.models import Person
from dear.homes.models import Home
from dear.letters import services as letters
from dear.mutual import services as mutual

jess = Person.objects.get(username="jess")
rory = Person.objects.get(username="rory")
home = Home.objects.of_member(jess).first()
now = timezone.now()

def letter(writer, to, body, **kw):
    return letters.create_letter(writer, home=home.pk, to=[to.pk], body=body, **kw)

with time_machine.travel(now - timedelta(days=3 * 365 + 20), tick=False):
    kept = letter(jess, rory, "I wrote this the winter you were away, and never sent it.")
    letters.keep(jess, kept.pk)
with override_settings(SEND_UNDO_SECONDS=0):
    letters.send(jess, kept.pk)

hers = letter(jess, rory, "I never sent the letters I wrote you. I didn't think you'd care.")
mutual.seal(jess, hers.pk)
his = letter(rory, jess, "I never sent mine either. I didn't think you would.")
mutual.seal(rory, his.pk)

# One more, told, that waits for Jess to seal one back.
waiting = letter(rory, jess, "There is one more I never sent. Seal one back and it opens.")
mutual.seal(rory, waiting.pk)

start = now - timedelta(hours=2)
with time_machine.travel(start, tick=False):
    draft = letter(jess, rory, "Where do I even begin.")
page = draft.revision
for minutes, body in (
    (0, "Where do I even begin."),
    (12, "Where do I even begin. The kitchen is so quiet."),
    (13, ""),
    (40, "The kitchen is so quiet without you talking in it."),
):
    with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
        page = letters.save_letter(jess, draft.pk, revision=page, body=body).revision

print(json.dumps({"kept": str(kept.pk), "his": str(his.pk), "hers": str(hers.pk),
                  "draft": str(draft.pk)}))
"""


def _set_the_scene(server) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SETUP],
        env=server_env(server.data_dir, server.database_url, **server.env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _shots(page, artifacts, name, *, wide=True):
    page.set_viewport_size(story.PHONE)
    page.screenshot(path=str(artifacts / f"{name}-360.png"), full_page=True)
    if wide:
        page.set_viewport_size(story.WIDE)
        page.screenshot(path=str(artifacts / f"{name}-1280.png"), full_page=True)
        page.set_viewport_size(story.PHONE)


def test_the_moments_of_the_story_are_shown_as_moments(
    dear_server_factory, open_page, page_errors, artifacts
):
    server = dear_server_factory()
    jess = open_page()
    rory = open_page()
    for page in (jess, rory):
        page.set_viewport_size(story.PHONE)
    story.sign_up_jess(jess, server)
    story.invite_rory(jess, rory, server)
    ids = _set_the_scene(server)

    # A letter kept three years: its story stands above it, for reader and writer.
    rory.goto(server.url(f"/letters/{ids['kept']}"))
    expect(
        rory.get_by_text("Jess wrote this three years ago and kept it until today.")
    ).to_be_visible()
    _shots(rory, artifacts, "moment-kept-long")
    jess.goto(server.url(f"/letters/{ids['kept']}"))
    expect(
        jess.get_by_text("You wrote this three years ago and kept it until today.")
    ).to_be_visible()

    # Jess glances from Home: her Home says it waits; Rory's says nothing of it.
    jess.goto(server.url("/"))
    jess.get_by_role("button", name="Glance at Rory").click()
    expect(jess).to_have_url(server.url("/"))
    expect(jess.get_by_text("You glanced at Rory")).to_be_visible()
    expect(jess.get_by_text("If Rory looks up within an hour, you’ll both know.")).to_be_visible()
    # In its button's place, no second glance to be refused: she has looked up.
    expect(jess.get_by_role("button", name="Glance at Rory")).to_have_count(0)
    expect(jess.get_by_text("Glanced at Rory", exact=True)).to_be_visible()
    jess.screenshot(path=str(artifacts / "moment-glance-waiting-360.png"), full_page=True)
    rory.goto(server.url("/"))
    expect(rory.get_by_text("glanced at you")).to_have_count(0)
    expect(rory.get_by_text("You glanced at")).to_have_count(0)
    expect(rory.get_by_text("You both looked up")).to_have_count(0)

    # Rory looks up too: both Homes show the moment, as a card.
    rory.get_by_role("button", name="Glance at Jess").click()
    expect(rory.locator(".glance-card")).to_contain_text("You both looked up — you and Jess,")
    _shots(rory, artifacts, "moment-glance-home-rory")
    jess.goto(server.url("/"))
    expect(jess.locator(".glance-card")).to_contain_text("You both looked up — you and Rory,")
    expect(jess.get_by_text("You glanced at Rory")).to_have_count(0)
    _shots(jess, artifacts, "moment-glance-home-jess", wide=False)

    # The sealed pair reads as a pair, from either letter, never linking the one open.
    jess.goto(server.url(f"/letters/{ids['his']}"))
    pair = jess.locator(".sealed-pair")
    expect(pair.get_by_role("heading")).to_have_text("You both sealed a letter, and both opened")
    expect(pair.get_by_role("link", name="Read yours")).to_be_visible()
    expect(jess.get_by_role("link", name="Read theirs")).to_have_count(0)
    expect(pair.get_by_role("link", name="Read Rory’s")).to_have_count(0)
    _shots(jess, artifacts, "moment-sealed-pair")
    pair.get_by_role("link", name="Read yours").click()
    expect(jess.get_by_text("I never sent the letters I wrote you.")).to_be_visible()
    expect(jess.locator(".sealed-pair").get_by_role("link", name="Read Rory’s")).to_be_visible()

    # The Moments page: both moments, each with its weight; no window form.
    jess.goto(server.url("/moments"))
    expect(jess.get_by_role("heading", name="You both looked up")).to_be_visible()
    expect(
        jess.get_by_role("heading", name="You both sealed a letter, and both opened")
    ).to_be_visible()
    expect(jess.get_by_label("Glances in The flat meet within (minutes)")).to_have_count(0)
    _shots(jess, artifacts, "moments-page")

    # Revisions: only pages that differ, each saying how long after the last.
    jess.goto(server.url(f"/letters/{ids['draft']}/revisions"))
    expect(jess.locator(".revision")).to_have_count(3)
    expect(jess.get_by_text("12 minutes later")).to_be_visible()
    expect(jess.get_by_text("28 minutes later")).to_be_visible()
    _shots(jess, artifacts, "moment-revisions", wide=False)

    # From Home, Jess sees Rory's sealed letter and seals one back (test_journeys counts
    # the taps): both open, and the page shows them as a pair.
    jess.goto(server.url("/"))
    stub = jess.locator(".stub")
    expect(stub).to_contain_text("Rory sealed a letter for you.")
    jess.screenshot(path=str(artifacts / "moment-sealed-waiting-home-360.png"), full_page=True)
    stub.get_by_role("link", name="Seal one back").click()
    body = jess.get_by_label("Letter", exact=True)
    body.press_sequentially("And here is mine.")
    expect(jess.locator("#save-status")).to_have_text("Saved")
    jess.get_by_role("button", name="Seal it").click()
    expect(jess.locator(".sealed-pair").get_by_role("heading")).to_have_text(
        "You both sealed a letter, and both opened"
    )
    expect(jess.get_by_text("There is one more I never sent.")).to_be_visible()

    assert page_errors == []
