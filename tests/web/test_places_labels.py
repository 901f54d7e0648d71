"""Labels: a scanned code opens its place for the home's people only, and the printed
QR code really decodes (with zxing-cpp) to the place's URL."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from dear.homes import services as homes
from tests.qr import decoded
from tests.web.conftest import without_csrf


@pytest.fixture
def counter(home, jess):
    return homes.create_place(jess, home.pk, "The counter")


def test_each_label_on_the_sheet_decodes_to_its_places_url(home, jess, counter, client_of):
    book = homes.create_place(jess, home.pk, "The book he is reading", "object")

    html = client_of(jess).get(f"/homes/{home.pk}/labels").content.decode()

    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 2
    # In name order: the book, then the counter; each name printed under its code.
    assert decoded(svgs[0]) == [f"http://testserver/p/{book.label}"]
    assert decoded(svgs[1]) == [f"http://testserver/p/{counter.label}"]
    assert html.index("The book he is reading") < html.index("The counter")


def test_labels_printed_on_the_server_itself_decode_to_the_public_url_or_say_they_cannot(
    home, jess, counter, client_of, settings
):
    client = client_of(jess, HTTP_HOST="127.0.0.1:8000")
    html = client.get(f"/homes/{home.pk}/labels").content.decode()
    assert "These codes open only on this computer" in html
    assert decoded(re.search(r"<svg .*?</svg>", html, re.S).group(0)) == [
        f"http://127.0.0.1:8000/p/{counter.label}"
    ]

    settings.PUBLIC_URL = "http://192.168.1.20:8000"
    settings.LAN_URL = "http://192.168.1.20:8000/"
    html = client.get(f"/homes/{home.pk}/labels").content.decode()
    assert "These codes open only on this computer" not in html
    assert "they will find it at" not in html
    assert decoded(re.search(r"<svg .*?</svg>", html, re.S).group(0)) == [
        f"http://192.168.1.20:8000/p/{counter.label}"
    ]


def test_labels_printed_on_the_server_itself_name_the_address_phones_would_open(
    home, jess, counter, client_of, settings
):
    # What `dear serve` on 127.0.0.1 found as this computer's address on the home network.
    settings.LAN_URL = "http://192.168.1.20:8000/"
    client = client_of(jess, HTTP_HOST="127.0.0.1:8000")
    sheet = client.get(f"/homes/{home.pk}/labels").content.decode()
    manage = client.get(f"/places/{counter.pk}/manage").content.decode()
    would_be = (
        "they will find it at <code>http://192.168.1.20:8000/</code>. Open Dear at that address and"
    )
    assert "These codes open only on this computer: Dear is listening here alone" in sheet
    assert would_be + " print the labels there." in sheet
    assert "This code opens only on this computer: Dear is listening here alone" in manage
    assert would_be + " print the label there." in manage


def test_the_manage_page_shows_the_same_label(counter, jess, client_of):
    html = client_of(jess).get(f"/places/{counter.pk}/manage").content.decode()
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert decoded(svg) == [f"http://testserver/p/{counter.label}"]


def test_a_replaced_label_decodes_to_the_new_url(counter, jess, client_of):
    client = client_of(jess)
    client.post(f"/places/{counter.pk}/label")
    counter.refresh_from_db()
    html = client.get(f"/homes/{counter.home_id}/labels").content.decode()
    assert decoded(re.search(r"<svg .*?</svg>", html, re.S).group(0)) == [
        f"http://testserver/p/{counter.label}"
    ]


def test_the_sheet_offers_a4_and_us_letter(home, counter, jess, client_of):
    client = client_of(jess)
    a4 = client.get(f"/homes/{home.pk}/labels").content.decode()
    letter = client.get(f"/homes/{home.pk}/labels?paper=letter").content.decode()
    odd = client.get(f"/homes/{home.pk}/labels?paper=<script>").content.decode()

    assert 'class="label-sheet paper-a4"' in a4 and 'href="?paper=letter"' in a4
    assert 'class="label-sheet paper-letter"' in letter and 'href="?paper=a4"' in letter
    assert 'class="label-sheet paper-a4"' in odd and "<script>" not in odd


def test_archived_places_get_no_label_on_the_sheet(home, counter, jess, client_of):
    homes.archive_place(jess, counter.pk)
    html = client_of(jess).get(f"/homes/{home.pk}/labels").content.decode()
    assert "<svg" not in html and "has no places yet" in html


def test_a_member_scanning_a_label_lands_on_the_place(counter, rory, client_of):
    response = client_of(rory).get(f"/p/{counter.label}")
    assert response.status_code == 302
    assert response["Location"] == f"/places/{counter.pk}"


def test_scanning_while_logged_out_asks_to_log_in_then_comes_back(counter, client_of):
    response = client_of(None).get(f"/p/{counter.label}")
    assert response.status_code == 302
    assert response["Location"] == f"/login?next=/p/{counter.label}"
    made_up = client_of(None).get("/p/no-such-code")
    assert made_up["Location"] == "/login?next=/p/no-such-code"
    assert settings.LOGIN_URL == "web:login"


def test_a_stranger_gets_the_same_404_as_for_a_made_up_code(counter, olive, other_home, client_of):
    client = client_of(olive)
    real = client.get(f"/p/{counter.label}")
    made_up = client.get("/p/" + "A" * 32)

    assert real.status_code == made_up.status_code == 404
    assert without_csrf(real.content) == without_csrf(made_up.content)
    assert b"The counter" not in real.content


def test_a_replaced_code_answers_404(counter, jess, client_of):
    old = counter.label
    client = client_of(jess)
    client.post(f"/places/{counter.pk}/label")
    assert client.get(f"/p/{old}").status_code == 404


def test_a_strangers_404_for_a_place_page_matches_a_missing_one(counter, olive, client_of):
    import uuid

    client = client_of(olive)
    real = client.get(f"/places/{counter.pk}")
    missing = client.get(f"/places/{uuid.uuid4()}")
    assert real.status_code == missing.status_code == 404
    assert without_csrf(real.content) == without_csrf(missing.content)
