"""The Letters page: every box on one page, with how many letters each holds, and a way
to search; the main navigation that leads there; and the way back from each box."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dear.letters import boxes
from dear.letters import services as letters
from dear.mutual import services as mutual
from tests.helpers import make_letter, send_now

BOX_LINKS = ("/inbox", "/sent", "/scheduled", "/drafts", "/drawer", "/sealed", "/basket")


def _count(html: str, path: str) -> str:
    row = re.search(rf'<a href="{path}">.*?<span class="count">(.*?)</span></a>', html, re.S)
    assert row, path
    return re.sub(r"<[^>]+>", "", row.group(1))


def test_the_letters_page_links_every_box_and_searches(home, jess, client_of):
    html = client_of(jess).get("/letters").content.decode()

    for path in BOX_LINKS:
        assert f'href="{path}"' in html, path
    assert 'action="/search"' in html and 'name="q"' in html
    for name in ("Inbox", "Sent", "On their way", "Drafts", "The drawer", "Sealed", "The basket"):
        assert f'<span class="box-name">{name}</span>' in html


def test_the_letters_page_counts_each_box_and_the_unread(home, jess, rory, sam, client_of):
    read = send_now(make_letter(rory, jess))
    send_now(make_letter(rory, jess))
    send_now(make_letter(jess, rory))
    letters.send(jess, make_letter(jess, rory).pk, deliver_at=timezone.now() + timedelta(days=2))
    make_letter(jess, rory)
    letters.keep(jess, make_letter(jess, sam).pk)
    letters.discard(jess, make_letter(jess, sam).pk)
    mutual.seal(jess, make_letter(jess, sam).pk)
    mutual.seal(rory, make_letter(rory, jess).pk)  # told: a stub for Jess

    client = client_of(jess)
    client.get(f"/letters/{read.pk}")  # opening it reads it
    html = client.get("/letters").content.decode()

    assert _count(html, "/inbox") == "1 unread"
    assert _count(html, "/sent") == "2"
    assert _count(html, "/scheduled") == "1"
    assert _count(html, "/drafts") == "1"
    assert _count(html, "/drawer") == "1"
    assert _count(html, "/sealed") == "2"
    assert _count(html, "/basket") == "1"


def test_an_inbox_all_read_shows_how_many_letters_it_holds(delivered, rory, client_of):
    client = client_of(rory)
    client.get(f"/letters/{delivered.pk}")
    assert _count(client.get("/letters").content.decode(), "/inbox") == "1"


def test_the_counts_agree_with_the_boxes_they_count(home, jess, rory, sam):
    send_now(make_letter(rory, jess))
    send_now(make_letter(jess, rory))
    make_letter(jess, sam)
    letters.keep(jess, make_letter(jess, rory).pk)
    mutual.seal(rory, make_letter(rory, jess).pk)
    counted = boxes.counts(jess)
    for box in boxes.BOXES:
        found, _ = boxes.page(jess, box=box)
        assert getattr(counted, box) == len(found), box


def test_a_blind_sealed_letter_is_never_counted_for_its_recipient(home, jess, rory):
    mutual.seal(rory, make_letter(rory, jess).pk, blind=True)
    assert boxes.counts(jess).sealed == 0
    assert boxes.counts(rory).sealed == 1


def test_a_note_not_found_yet_is_not_counted_in_the_inbox(home, jess, rory):
    from dear.homes import services as homes

    counter = homes.create_place(jess, home.pk, "The counter")
    send_now(make_letter(jess, rory), place=counter.pk, hint=True)
    assert boxes.counts(rory).inbox == 0


def test_the_letters_page_costs_the_same_queries_however_many_letters(
    home, jess, rory, client_of, django_assert_max_num_queries
):
    client = client_of(jess)
    for n in range(3):
        send_now(make_letter(rory, jess, body=f"letter {n}"))
    # session, person, then three counts: the writer's own, the inbox, sealed for them.
    with django_assert_max_num_queries(5):
        assert client.get("/letters").status_code == 200


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/letters", "Letters"),
        ("/moments", "Moments"),
        ("/more", "More"),
    ],
)
def test_the_main_navigation_marks_the_page_it_is_on(home, jess, client_of, path, current):
    html = client_of(jess).get(path).content.decode()
    nav = re.search(r'<nav aria-label="Main".*?</nav>', html, re.S).group(0)
    marked = re.findall(r'aria-current="page">.*?<span>(\w+)</span>', nav, re.S)
    assert marked == [current]


def test_a_box_marks_letters_as_the_part_of_dear_it_is_in(home, jess, client_of):
    nav = re.search(
        r'<nav aria-label="Main".*?</nav>', client_of(jess).get("/drawer").content.decode(), re.S
    ).group(0)
    assert 'aria-current="page"' not in nav
    assert re.findall(r'aria-current="true">.*?<span>(\w+)</span>', nav, re.S) == ["Letters"]


def test_the_main_navigation_has_five_destinations_and_write_is_one(home, jess, client_of):
    html = client_of(jess).get("/").content.decode()
    nav = re.search(r'<nav aria-label="Main".*?</nav>', html, re.S).group(0)
    assert re.findall(r"<span>(\w+)</span>", nav) == ["Home", "Write", "Letters", "Moments", "More"]
    assert 'href="/write"' in nav
    assert "Log out" not in nav


def test_log_out_is_on_the_more_page(home, jess, client_of):
    html = client_of(jess).get("/more").content.decode()
    assert 'action="/logout"' in html and "Log out" in html
    assert 'href="/settings"' in html and 'href="/search"' in html


BACK_LINKED = [path for path in BOX_LINKS if path != "/sealed"]  # drawn with the moments


@pytest.mark.parametrize("path", [*BACK_LINKED, "/with/{rory}"])
def test_each_box_has_a_way_back_to_the_letters_page(home, jess, rory, client_of, path):
    html = client_of(jess).get(path.format(rory=rory.pk)).content.decode()
    assert '<nav class="back" aria-label="Back"><a href="/letters">' in html
