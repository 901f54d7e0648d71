"""Sealing from the write page, the sealed box, the told stub, and a sealed letter's page."""

from __future__ import annotations

from dear.letters import services as letters
from dear.letters.models import State
from dear.mutual import services as mutual
from tests.helpers import make_letter
from tests.web.conftest import without_csrf


def test_the_write_page_offers_to_seal_a_letter_to_one_person(client_of, draft, jess):
    page = client_of(jess).get(f"/letters/{draft.pk}/edit").content.decode()

    assert f'formaction="/letters/{draft.pk}/seal"' in page
    assert "Told: Rory sees that you sealed a letter and when, never a word of it" in page
    assert "Blind: Rory is told nothing at all" in page


def test_a_letter_to_two_people_offers_no_seal(client_of, home, jess, rory, sam):
    letter = make_letter(jess, [rory, sam])
    page = client_of(jess).get(f"/letters/{letter.pk}/edit").content.decode()

    assert f"/letters/{letter.pk}/seal" not in page


def test_sealing_saves_the_page_first_then_seals_it(client_of, draft, jess):
    response = client_of(jess).post(
        f"/letters/{draft.pk}/seal",
        {"revision": draft.revision, "body": "The words I never sent.", "blind": "yes"},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.state == State.SEALED and draft.blind
    assert draft.body == "The words I never sent."
    page = response.content.decode()
    assert "Sealed. It opens when Rory seals one back." in page
    assert "Rory is told nothing until it opens." in page
    assert "Sealed blind" in page
    assert f'action="/letters/{draft.pk}/withdraw"' in page


def test_a_letter_kept_in_the_drawer_can_be_sealed(client_of, draft, jess):
    letters.keep(jess, draft.pk)

    response = client_of(jess).post(f"/letters/{draft.pk}/seal", {})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SEALED and not draft.blind


def test_the_recipient_of_a_told_letter_sees_who_and_when_never_a_word(client_of, home, jess, rory):
    letter = make_letter(jess, rory, body="Secret words.", salutation="My dearest,")
    mutual.seal(jess, letter.pk)
    rory_browser = client_of(rory)

    for path in ("/", "/sealed"):
        page = rory_browser.get(path).content.decode()
        assert "Jess sealed a letter for you. It opens when you seal one back." in page
        assert "Secret words" not in page and "My dearest" not in page
    assert rory_browser.get(f"/letters/{letter.pk}").status_code == 404


def test_sealing_one_back_opens_both_and_shows_theirs(client_of, home, jess, rory):
    hers = make_letter(jess, rory, body="I thought you didn't care.")
    mutual.seal(jess, hers.pk)
    his = make_letter(rory, jess, body="I thought the same of you.")

    response = client_of(rory).post(f"/letters/{his.pk}/seal", {}, follow=True)

    page = response.content.decode()
    assert "Jess had sealed one for you too: both letters have opened." in page
    assert "Read theirs" not in page
    assert "I thought you didn&#x27;t care." in page
    assert "You both sealed a letter, and both opened" in page
    assert f'href="/letters/{his.pk}">Read yours</a>' in page
    jess_page = client_of(jess).get(f"/letters/{his.pk}").content.decode()
    assert "I thought the same of you." in jess_page


def test_an_opened_pair_reads_as_a_pair_from_either_letter(client_of, home, jess, rory):
    hers = make_letter(jess, rory)
    mutual.seal(jess, hers.pk)
    his = make_letter(rory, jess)
    mutual.seal(rory, his.pk)
    browser = client_of(jess)

    on_his = browser.get(f"/letters/{his.pk}").content.decode()
    on_hers = browser.get(f"/letters/{hers.pk}").content.decode()

    for page in (on_his, on_hers):
        assert "You both sealed a letter, and both opened" in page
        assert "Read theirs" not in page
    # Never a link to the letter already open: only to the other of the pair.
    assert "You are reading Rory’s" in on_his
    assert f'href="/letters/{hers.pk}">Read yours</a>' in on_his
    assert f'href="/letters/{his.pk}"' not in on_his
    assert "You are reading yours" in on_hers
    assert f'href="/letters/{his.pk}">Read Rory’s</a>' in on_hers


def test_a_told_stub_offers_to_seal_one_back_with_sealing_chosen(client_of, home, jess, rory):
    mutual.seal(jess, make_letter(jess, rory).pk)

    for path in ("/", "/sealed"):
        page = client_of(rory).get(path).content.decode()
        link = f'href="/write?to={jess.pk}&amp;home={home.pk}&amp;choose=seal"'
        assert f"{link}>Seal one back" in page
        assert "Write to Jess</button>" not in page.split('class="stubs"')[1].split("</ul>")[0]


def test_withdrawing_a_sealed_letter_from_its_page(client_of, home, jess, rory):
    letter = make_letter(jess, rory)
    mutual.seal(jess, letter.pk)

    response = client_of(jess).post(f"/letters/{letter.pk}/withdraw", follow=True)

    letter.refresh_from_db()
    assert letter.state == State.KEPT
    assert "Withdrawn. It waits in the drawer, unsent." in response.content.decode()


def test_an_opened_letter_cannot_be_withdrawn(client_of, home, jess, rory):
    letter = make_letter(jess, rory)
    mutual.seal(jess, letter.pk)
    mutual.seal(rory, make_letter(rory, jess).pk)

    response = client_of(jess).post(f"/letters/{letter.pk}/withdraw")

    assert response.status_code == 409
    assert "This sealed letter has opened; it cannot be withdrawn." in response.content.decode()


def test_sealing_an_empty_page_says_what_to_do(client_of, home, jess, rory):
    letter = make_letter(jess, rory, body="")

    response = client_of(jess).post(f"/letters/{letter.pk}/seal", {})

    assert response.status_code == 422
    assert "Write something before you seal it." in response.content.decode()


def test_the_sealed_box_lists_what_i_sealed(client_of, home, jess, rory, sam):
    mutual.seal(jess, make_letter(jess, rory, body="To Rory, told.").pk)
    mutual.seal(jess, make_letter(jess, sam, body="To Sam, blind.").pk, blind=True)

    page = client_of(jess).get("/sealed").content.decode()

    assert "Waiting, told" in page and "Waiting, blind" in page
    assert "To Rory, told." in page and "To Sam, blind." in page


def test_a_blind_letter_leaves_the_recipients_pages_as_they_were(client_of, home, jess, rory):
    browser = client_of(rory)
    before = {path: without_csrf(browser.get(path).content) for path in ("/", "/sealed")}

    mutual.seal(jess, make_letter(jess, rory).pk, blind=True)

    for path, page in before.items():
        assert without_csrf(browser.get(path).content) == page
