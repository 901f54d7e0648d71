from datetime import timedelta

import pytest
from django.utils import timezone

from dear.letters import boxes
from dear.letters import services as letters
from dear.letters.models import Letter
from tests.helpers import make_letter, send_now


def test_inbox_lists_delivered_letters_with_unread_marks(delivered, rory, client_of):
    html = client_of(rory).get("/inbox").content.decode()
    assert f'href="/letters/{delivered.pk}"' in html
    assert "Unread" in html
    assert "From Jess" in html


def test_inbox_leaves_out_letters_still_on_their_way(home, jess, rory, client_of):
    letter = make_letter(jess, rory)
    letters.send(jess, letter.pk, deliver_at=timezone.now() + timedelta(days=1))
    assert str(letter.pk) not in client_of(rory).get("/inbox").content.decode()


def test_each_box_holds_its_own_letters(home, jess, rory, client_of):
    sent = send_now(make_letter(jess, rory, body="sent"))
    draft = make_letter(jess, rory, body="draft")
    kept = letters.keep(jess, make_letter(jess, rory, body="kept").pk)
    binned = letters.discard(jess, make_letter(jess, rory, body="binned").pk)
    client = client_of(jess)
    expected = {"/sent": sent, "/drafts": draft, "/drawer": kept, "/basket": binned}
    everything = {str(x.pk) for x in expected.values()}
    for path, letter in expected.items():
        html = client.get(path).content.decode()
        assert str(letter.pk) in html, path
        assert not (everything - {str(letter.pk)}) & {p for p in everything if p in html}, path


def test_a_draft_in_a_list_opens_for_editing(draft, jess, client_of):
    assert f'href="/letters/{draft.pk}/edit"' in client_of(jess).get("/drafts").content.decode()


def test_a_long_box_pages_with_an_older_link(home, jess, rory, client_of, monkeypatch):
    monkeypatch.setattr(boxes, "PAGE_SIZE", 2)
    made = [send_now(make_letter(jess, rory, body=f"letter {n}")) for n in range(3)]
    client = client_of(rory)
    first = client.get("/inbox")
    older = first.context["next_cursor"]
    assert older and 'rel="next"' in first.content.decode()
    second = client.get("/inbox", {"cursor": older}).content.decode()
    assert str(made[0].pk) in second
    assert str(made[2].pk) not in second


def test_a_cursor_we_never_gave_out_is_refused(jess, home, client_of):
    response = client_of(jess).get("/inbox", {"cursor": "not-a-cursor"})
    assert response.status_code == 422


def test_emptying_the_basket_asks_first_and_then_deletes_for_good(home, jess, rory, client_of):
    binned = letters.discard(jess, make_letter(jess, rory).pk)
    client = client_of(jess)
    assert b"Empty the basket" in client.get("/basket").content
    asked = client.post("/basket/empty")
    assert asked.status_code == 200
    assert b"Yes, delete them for good" in asked.content
    assert Letter.objects.filter(pk=binned.pk).exists()
    done = client.post("/basket/empty", {"confirm": "yes"})
    assert done.status_code == 302
    assert not Letter.objects.filter(pk=binned.pk).exists()


def test_emptying_the_basket_leaves_other_letters_alone(home, jess, rory, client_of):
    draft = make_letter(jess, rory)
    client_of(jess).post("/basket/empty", {"confirm": "yes"})
    assert Letter.objects.filter(pk=draft.pk).exists()


def test_correspondence_shows_both_directions_oldest_first(home, jess, rory, sam, client_of):
    first = send_now(make_letter(jess, rory, body="first"))
    second = send_now(make_letter(rory, jess, body="second"))
    send_now(make_letter(jess, sam, body="not between us"))
    html = client_of(jess).get(f"/with/{rory.pk}").content.decode()
    assert html.index(str(first.pk)) < html.index(str(second.pk))
    assert "not between us" not in html
    assert "Write to Rory" in html


def test_correspondence_with_someone_not_a_housemate_is_404(
    home, other_home, jess, olive, client_of
):
    client = client_of(jess)
    assert client.get(f"/with/{olive.pk}").status_code == 404
    assert client.get(f"/with/{jess.pk}").status_code == 404


@pytest.mark.parametrize(
    ("path", "words", "action"),
    [
        ("/inbox", "Nothing has reached you yet.", 'href="/write">Write a letter'),
        ("/sent", "You have not sent a letter yet.", 'href="/write">Write a letter'),
        ("/drafts", "No drafts. A blank page waits.", 'href="/write">Write a letter'),
        ("/drawer", "The drawer is empty.", 'href="/write">Write a letter'),
        ("/basket", "The basket is empty.", 'href="/letters">Back to your letters'),
        ("/scheduled", "Nothing on its way.", 'href="/write">Write a letter'),
    ],
)
def test_an_empty_box_offers_the_next_step(home, jess, client_of, path, words, action):
    html = client_of(jess).get(path).content.decode()
    assert words in html
    assert action in html


def test_a_box_with_letters_offers_no_empty_words(draft, jess, client_of):
    html = client_of(jess).get("/drafts").content.decode()
    assert "A blank page waits." not in html
    assert 'class="empty-state"' not in html


def test_an_empty_correspondence_offers_to_write_to_them(home, jess, rory, client_of):
    html = client_of(jess).get(f"/with/{rory.pk}").content.decode()
    assert "No letters between you yet." in html
    assert "Write to Rory" in html
