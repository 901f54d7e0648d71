from datetime import timedelta
from pathlib import Path

import time_machine
from django.contrib.staticfiles import finders
from django.utils import timezone

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


def test_a_letter_shows_when_it_was_written_and_when_sent(delivered, rory, client_of):
    html = client_of(rory).get(f"/letters/{delivered.pk}").content.decode()
    assert f'Written <time datetime="{delivered.written_at.isoformat()}"' in html
    assert f'sent <time datetime="{delivered.sent_at.isoformat()}"' in html


def test_a_housemate_who_was_not_written_to_gets_404(delivered, sam, client_of):
    assert client_of(sam).get(f"/letters/{delivered.pk}").status_code == 404


def test_the_stylesheet_prints_only_the_letter():
    css = Path(finders.find("dear/dear.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    # tests/browser/test_pages.py prints one for real: one page, only the letter on it.
    assert "body.reading main > :not(.paper)" in css
    assert ".top, .skip" in css
