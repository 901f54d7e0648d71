import re
from datetime import timedelta
from pathlib import Path

import time_machine
from django.contrib.staticfiles import finders
from django.utils import timezone

from dear.accounts.services import set_receipts
from dear.homes import services as homes
from dear.letters import services as letters
from dear.mutual import services as mutual
from tests.helpers import make_letter, send_now


def test_a_letter_reads_as_a_letter(delivered, rory, client_of):
    html = client_of(rory).get(f"/letters/{delivered.pk}").content.decode()
    assert '<p class="salutation">Dear Rory,</p>' in html
    assert "<p>I left the light on for you.</p>" in html
    assert '<p class="closing">Jess</p>' in html
    assert "From Jess" in html


def test_opening_a_letter_marks_it_read_and_its_writer_sees_when(delivered, jess, rory, client_of):
    writer = client_of(jess)
    assert "not read yet" in writer.get(f"/letters/{delivered.pk}").content.decode()
    assert client_of(rory).get(f"/letters/{delivered.pk}").status_code == 200
    read_at = delivered.deliveries.get(recipient=rory).read_at
    assert read_at is not None
    html = writer.get(f"/letters/{delivered.pk}").content.decode()
    assert f'Read <time datetime="{read_at.isoformat()}"' in html


def test_the_writer_opening_a_letter_does_not_mark_it_read(delivered, jess, rory, client_of):
    client_of(jess).get(f"/letters/{delivered.pk}")
    assert delivered.deliveries.get(recipient=rory).read_at is None


def test_html_and_script_in_a_letter_are_shown_escaped(home, jess, rory, client_of):
    letter = send_now(
        make_letter(
            jess,
            rory,
            salutation="<b>Hi</b>",
            body='<script>alert("x")</script> & <img src=x onerror=alert(1)>',
        )
    )
    html = client_of(rory).get(f"/letters/{letter.pk}").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html
    inbox = client_of(rory).get("/inbox").content.decode()
    assert "<script>alert" not in inbox


def test_a_letters_light_markdown_is_set_on_the_page(home, jess, rory, client_of):
    body = "I *really* mean it.\n\n> you said so\n\n**<i>still</i>**"
    letter = send_now(make_letter(jess, rory, body=body))
    html = client_of(rory).get(f"/letters/{letter.pk}").content.decode()
    assert "<em>really</em>" in html
    assert "<blockquote><p>you said so</p></blockquote>" in html
    assert "<strong>&lt;i&gt;still&lt;/i&gt;</strong>" in html


def test_a_reply_links_the_letter_it_answers_only_for_readers_of_that_letter(
    home, jess, rory, sam, client_of
):
    to_rory = send_now(make_letter(jess, rory, body="Only for Rory."))
    # Rory answers to Sam, naming the letter Jess sent him.
    reply = send_now(make_letter(rory, sam, in_reply_to=to_rory.pk, body="Look."))
    for_sam = client_of(sam).get(f"/letters/{reply.pk}").content.decode()
    assert str(to_rory.pk) not in for_sam
    for_rory = client_of(rory).get(f"/letters/{reply.pk}").content.decode()
    assert f"/letters/{to_rory.pk}" in for_rory


def test_a_recipient_sees_nothing_before_delivery(home, jess, rory, client_of, settings):
    settings.SEND_UNDO_SECONDS = 60
    letter = make_letter(jess, rory)
    client_of(jess).post(f"/letters/{letter.pk}/send")
    reader = client_of(rory)
    assert reader.get(f"/letters/{letter.pk}").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert reader.get(f"/letters/{letter.pk}").status_code == 200


def test_a_recipient_may_reply_and_the_writer_is_not_offered_to(delivered, jess, rory, client_of):
    assert b">Reply</button>" in client_of(rory).get(f"/letters/{delivered.pk}").content
    assert b">Reply</button>" not in client_of(jess).get(f"/letters/{delivered.pk}").content


def test_the_writer_of_an_unsent_letter_is_offered_to_edit_it(draft, jess, client_of):
    html = client_of(jess).get(f"/letters/{draft.pk}").content.decode()
    assert f'href="/letters/{draft.pk}/edit"' in html
    assert "Draft" in html


def _dates(page: str) -> str:
    """The line under a letter, its tags and spacing read away: "Written …; sent …." """
    (line,) = re.findall(r'<p class="dates">(.*?)</p>', page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", line).split())


def test_a_letter_shows_when_it_was_written_and_when_sent(home, jess, rory, client_of):
    with time_machine.travel("2030-03-01 08:30Z", tick=False):
        letter = make_letter(jess, rory)
    with time_machine.travel("2030-03-01 08:38Z", tick=False):
        send_now(letter)
        html = client_of(rory).get(f"/letters/{letter.pk}").content.decode()

    letter.refresh_from_db()
    assert f'Written <time datetime="{letter.written_at.isoformat()}"' in html
    assert f'sent <time datetime="{letter.sent_at.isoformat()}"' in html
    assert _dates(html) == "Written today 08:30 UTC; sent today 08:38 UTC."


def test_a_letter_written_and_sent_in_one_minute_says_when_only_once(home, jess, rory, client_of):
    counter = homes.create_place(jess, home.pk, "The counter")
    with time_machine.travel("2030-03-01 08:38:05Z", tick=False):
        letter = send_now(make_letter(jess, rory))
        note = send_now(make_letter(jess, rory), place=counter.pk)
    with time_machine.travel("2030-03-01 08:38:50Z", tick=False):
        pages = {
            "letter": client_of(rory).get(f"/letters/{letter.pk}").content.decode(),
            "note, for its writer": client_of(jess).get(f"/letters/{note.pk}").content.decode(),
        }
        client_of(rory).get(f"/places/{counter.pk}")  # he finds the note
        pages["note, found"] = client_of(rory).get(f"/letters/{note.pk}").content.decode()

    assert _dates(pages["letter"]) == "Sent today 08:38 UTC."
    assert _dates(pages["note, for its writer"]) == "Left by the counter today 08:38 UTC."
    assert _dates(pages["note, found"]) == "Left by the counter today 08:38 UTC."


def test_a_note_left_later_than_written_says_both(home, jess, rory, client_of):
    counter = homes.create_place(jess, home.pk, "The counter")
    with time_machine.travel("2030-03-01 08:30Z", tick=False):
        letter = make_letter(jess, rory)
    with time_machine.travel("2030-03-01 08:38Z", tick=False):
        note = send_now(letter, place=counter.pk)
        page = client_of(jess).get(f"/letters/{note.pk}").content.decode()

    assert _dates(page) == "Written today 08:30 UTC; left by the counter today 08:38 UTC."


def _heading(page: str) -> str:
    return re.search(r'<h2 id="state-heading">([^<]*)</h2>', page).group(1)


def test_each_kind_of_letter_heads_its_card_with_its_own_word(home, jess, rory, client_of):
    counter = homes.create_place(jess, home.pk, "The counter")
    with time_machine.travel("2030-03-01 20:00Z", tick=False):
        kinds = {
            "Sent": send_now(make_letter(jess, rory)),
            "Left": send_now(make_letter(jess, rory), place=counter.pk),
            "Arrived": letters.send(jess, make_letter(jess, rory).pk, morning=True),
        }
        sealed = mutual.seal(jess, make_letter(jess, rory).pk).letter
    with time_machine.travel("2030-03-02 09:00Z", tick=False):
        writer = client_of(jess)
        headings = {
            word: _heading(writer.get(f"/letters/{letter.pk}").content.decode())
            for word, letter in kinds.items()
        }
        sealed_page = writer.get(f"/letters/{sealed.pk}").content.decode()

    assert headings == {word: word for word in kinds}
    # A sealed letter's own card says so, once: no second card headed "Sealed".
    assert '<h2 id="sealed-heading">Sealed and told</h2>' in sealed_page
    assert 'id="state-heading"' not in sealed_page
    assert f'href="/letters/{sealed.pk}/revisions"' in sealed_page


def test_a_note_left_for_later_waits_at_its_place_until_then(home, jess, rory, client_of):
    counter = homes.create_place(jess, home.pk, "The counter")
    with time_machine.travel("2030-03-01 20:00Z", tick=False):
        note = letters.send(jess, make_letter(jess, rory).pk, place=counter.pk, morning=True)
        page = client_of(jess).get(f"/letters/{note.pk}").content.decode()

    assert _heading(page) == "On its way"
    assert '<strong class="arrives">Waits by the counter from <time' in page


def test_a_housemate_who_was_not_written_to_gets_404(delivered, sam, client_of):
    assert client_of(sam).get(f"/letters/{delivered.pk}").status_code == 404


def test_the_stylesheet_prints_only_the_letter():
    css = Path(finders.find("dear/dear.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    # tests/browser/test_pages.py prints one for real: one page, only the letter on it.
    assert "body.reading main > :not(.paper)" in css
    assert ".top, .skip" in css


def _kept(jess, rory, *, written, sent):
    with time_machine.travel(written, tick=False):
        letter = make_letter(jess, rory, body="All the words I kept.")
    with time_machine.travel(sent, tick=False):
        return send_now(letter)


def test_a_letter_kept_for_years_says_so_above_the_letter(home, jess, rory, client_of):
    now = timezone.now()
    letter = _kept(jess, rory, written=now - timedelta(days=3 * 365 + 5), sent=now)

    for_rory = client_of(rory).get(f"/letters/{letter.pk}").content.decode()
    for_jess = client_of(jess).get(f"/letters/{letter.pk}").content.decode()

    line = '<p class="kept-long">{} wrote this three years ago and kept it until today.</p>'
    assert line.format("Jess") in for_rory
    assert line.format("You") in for_jess
    # Above the letter: part of its story, not a footnote under it.
    assert for_rory.index('class="kept-long"') < for_rory.index('class="paper"')


def test_a_letter_kept_weeks_and_sent_earlier_says_for_how_long(home, jess, rory, client_of):
    now = timezone.now()
    written = now - timedelta(days=40)
    letter = _kept(jess, rory, written=written, sent=now - timedelta(days=25))

    page = client_of(rory).get(f"/letters/{letter.pk}").content.decode()

    day = timezone.localtime(written)
    on = f"{day.day} {day:%B}" + (f" {day.year}" if day.year != now.year else "")
    assert f"Jess wrote this on {on} and kept it for two weeks before sending it." in page


def test_a_letter_sent_the_day_it_was_written_tells_no_such_story(delivered, rory, client_of):
    assert (
        'class="kept-long"' not in client_of(rory).get(f"/letters/{delivered.pk}").content.decode()
    )


def test_a_letter_for_tomorrow_morning_says_when_it_arrives_not_when_sent(
    home, jess, rory, client_of
):
    with time_machine.travel("2030-03-01 20:00Z", tick=False):
        letter = letters.send(jess, make_letter(jess, rory).pk, morning=True)
        page = client_of(jess).get(f"/letters/{letter.pk}").content.decode()
        sent_box = client_of(jess).get("/sent").content.decode()

    assert (
        '<strong class="arrives">Arrives <time' in page
        and ">tomorrow at 08:00 (your time)</time>" in page
    )
    assert "; sent <time" not in page
    assert "Arrives <time" in sent_box and "tomorrow 08:00 UTC</time>" in sent_box


def test_a_letter_that_arrived_later_says_when_it_arrived(home, jess, rory, client_of):
    with time_machine.travel("2030-03-01 20:00Z", tick=False):
        letter = letters.send(jess, make_letter(jess, rory).pk, morning=True)
    with time_machine.travel("2030-03-02 09:00Z", tick=False):
        page = client_of(rory).get(f"/letters/{letter.pk}").content.decode()

    assert 'arrived <time datetime="2030-03-02T08:00:00+00:00" data-local>today 08:00 UTC' in page


def test_a_note_offers_only_to_take_it_back_to_the_drawer(home, jess, rory, client_of):
    counter = homes.create_place(jess, home.pk, "The counter")
    with time_machine.travel("2030-03-01 20:00Z", tick=False):
        note = letters.send(jess, make_letter(jess, rory).pk, place=counter.pk, morning=True)
        page = client_of(jess).get(f"/letters/{note.pk}").content.decode()

    assert "Take it back to the drawer</button>" in page
    assert ">Withdraw</button>" not in page


def test_a_note_says_where_it_was_left(home, jess, rory, client_of):
    counter = homes.create_place(jess, home.pk, "The counter")
    note = send_now(make_letter(jess, rory), place=counter.pk)

    page = client_of(jess).get(f"/letters/{note.pk}").content.decode()
    inbox = client_of(jess).get("/sent").content.decode()

    assert _dates(page).startswith("Left by the counter ")
    assert '<span class="mark">Left by the counter</span>' in inbox


def test_receipts_say_whose_switch_is_off(delivered, jess, rory, client_of):
    set_receipts(rory, False)
    page = client_of(jess).get(f"/letters/{delivered.pk}").content.decode()
    assert "Rory keeps read receipts off, so you will not see when it is read" in page

    set_receipts(rory, True)
    set_receipts(jess, False)
    page = client_of(jess).get(f"/letters/{delivered.pk}").content.decode()
    assert "You keep read receipts off, so you will not see when it is read" in page
    assert "receipts are off" not in page


def test_revisions_show_only_pages_that_differ_with_how_long_after(draft, jess, client_of):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        letters.crumple(jess, draft.pk)  # the page is kept, crumpled; a blank one follows
    with time_machine.travel(start + timedelta(minutes=12), tick=False):
        # The same words again, right after the one they repeat once the blank is left out.
        restored = letters.restore_revision(jess, draft.pk, 1)
    revision = restored.revision
    for minutes, body in ((20, "I kept starting over."), (32, "I kept starting over, and over.")):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            revision = letters.save_letter(jess, draft.pk, revision=revision, body=body).revision

    page = client_of(jess).get(f"/letters/{draft.pk}/revisions").content.decode()

    # The blank page is left out; the crumpled page and its restored copy both stay.
    assert page.count('class="card revision"') == 4
    assert page.count("Dear me, where to begin.") == 2
    newest, middle, restored_page, crumpled = page.split('class="card revision"')[1:]
    assert "<strong>12 minutes later</strong>" in newest and "the page now" in newest
    assert "<strong>eight minutes later</strong>" in middle
    assert "<strong>12 minutes later</strong>" in restored_page
    assert "later</strong>" not in crumpled and "crumpled" in crumpled
