import json
import re
import zoneinfo
from datetime import timedelta

import time_machine
from django.utils import timezone

from dear.letters import services as letters
from dear.letters.models import Letter, Revision, State
from tests.helpers import make_letter


def _save(client, letter, **fields):
    return client.post(f"/letters/{letter.pk}/save", fields)


def test_opening_write_shows_the_letter_and_makes_nothing(home, jess, rory, client_of):
    response = client_of(jess).get(f"/write?to={rory.pk}&home={home.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Dear Rory,"' in page and 'value="Jess"' in page
    assert 'class="body" aria-describedby="save-status" autofocus>' in page
    assert f'name="to" value="{rory.pk}" data-start' in page
    assert f'name="home" value="{home.pk}" data-start' in page
    assert "<legend>What happens to this letter?</legend>" in page
    assert 'id="choose-send" checked' in page
    assert not Letter.objects.exists()


def test_a_fresh_page_offers_only_the_buttons_that_make_sense_before_a_letter_exists(
    home, jess, rory, client_of
):
    page = client_of(jess).get(f"/write?to={rory.pk}&home={home.pk}").content.decode()
    # Crumple, discard and revisions wait, hidden, until the first save makes the letter.
    assert '<details class="more-actions" data-begun hidden>' in page
    # No-JS only: a plain Save; autosave does the saving otherwise.
    assert '<noscript><p class="actions quiet-save"><button type="submit">Save</button>' in page
    assert 'class="primary">Save</button>' not in page
    # No places in the home: no "Leave it at a place".
    assert 'id="choose-place"' not in page


def test_the_first_autosave_makes_the_draft_with_the_words_typed(home, jess, rory, client_of):
    response = client_of(jess).post(
        "/write",
        {
            "to": rory.pk,
            "home": home.pk,
            "salutation": "Dear Rory,",
            "body": "I\r\nwrote.",
            "closing": "J",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    letter = Letter.objects.get()
    answer = response.json()
    assert answer["id"] == str(letter.pk) and answer["revision"] == 1
    assert answer["urls"]["edit"] == f"/letters/{letter.pk}/edit"
    assert answer["urls"]["save"] == f"/letters/{letter.pk}/save"
    assert answer["urls"]["send"] == f"/letters/{letter.pk}/send"
    assert answer["urls"]["leave"] == f"/letters/{letter.pk}/leave"
    assert (letter.body, letter.closing, letter.state) == ("I\nwrote.", "J", "draft")


def test_a_first_autosave_to_someone_outside_the_home_answers_json_and_makes_nothing(
    home, jess, olive, client_of
):
    response = client_of(jess).post(
        "/write", {"to": olive.pk, "home": home.pk, "body": "x"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"]
    assert not Letter.objects.exists()


def test_without_script_the_form_makes_the_draft_and_opens_it(home, jess, rory, client_of):
    client = client_of(jess)
    response = client.post(
        "/write", {"to": rory.pk, "home": home.pk, "body": "Typed with no script."}
    )
    letter = Letter.objects.get()
    assert response["Location"] == f"/letters/{letter.pk}/edit"
    assert letter.body == "Typed with no script."
    assert b"Saved." in client.get(response["Location"]).content


def test_a_fresh_pages_send_button_makes_the_letter_then_sends_it(
    home, jess, rory, client_of, settings
):
    settings.SEND_UNDO_SECONDS = 0
    client = client_of(jess)
    form = {"to": rory.pk, "home": home.pk, "body": "Straight out.", "send": "now"}
    response = client.post("/write", form)
    letter = Letter.objects.get()
    # 307: the browser posts the same form on to the letter's own Send.
    assert response.status_code == 307
    assert response["Location"] == f"/letters/{letter.pk}/send"
    followed = client.post("/write", form, follow=True)
    sent = Letter.objects.exclude(pk=letter.pk).get()
    assert sent.state == State.SENT and sent.body == "Straight out."
    assert "Sent to Rory." in followed.content.decode()


def test_a_fresh_pages_drawer_button_keeps_it(home, jess, rory, client_of):
    response = client_of(jess).post(
        "/write",
        {"to": rory.pk, "home": home.pk, "body": "Not yet.", "then": "keep"},
        follow=True,
    )
    letter = Letter.objects.get()
    assert letter.state == State.KEPT
    assert "Kept in the drawer." in response.content.decode()


def test_sending_a_fresh_page_with_nothing_written_makes_nothing(home, jess, rory, client_of):
    response = client_of(jess).post(
        "/write", {"to": rory.pk, "home": home.pk, "body": "  ", "send": "now"}
    )
    assert response.status_code == 422
    assert b"Write something before you send it." in response.content
    assert not Letter.objects.exists()


def test_write_with_nobody_chosen_lists_the_housemates(home, jess, rory, sam, client_of):
    response = client_of(jess).get("/write")
    page = response.content.decode()
    assert "<h1>Write to…</h1>" in page
    assert f'href="/write?to={rory.pk}&amp;home={home.pk}">Rory' in page
    assert f'href="/write?to={sam.pk}&amp;home={home.pk}">Sam' in page
    assert ">Jess<" not in page


def test_write_with_one_housemate_goes_straight_to_the_writer(jess, rory, client_of):
    from tests.helpers import make_home

    pair = make_home("Two of us", jess, rory)
    response = client_of(jess).get(f"/write?home={pair.pk}&choose=seal")
    assert response.status_code == 302
    assert response["Location"] == f"/write?to={rory.pk}&home={pair.pk}&choose=seal"


def test_write_with_nobody_to_write_to_offers_an_invite(jess, client_of):
    from tests.helpers import make_home

    make_home("Alone", jess)
    page = client_of(jess).get("/write").content.decode()
    assert "Nobody else lives in Alone yet" in page
    assert "Invite someone from Home" in page


def test_write_to_someone_without_a_home_finds_the_one_you_share(home, jess, rory, client_of):
    page = client_of(jess).get(f"/write?to={rory.pk}").content.decode()
    assert f'name="home" value="{home.pk}" data-start' in page


def test_the_choice_and_the_place_can_be_chosen_by_the_link(home, jess, rory, client_of):
    from dear.homes import services as homes

    homes.create_place(jess, home.pk, "the counter")
    shelf = homes.create_place(jess, home.pk, "the shelf")
    client = client_of(jess)
    page = client.get(
        f"/write?to={rory.pk}&home={home.pk}&choose=place&place={shelf.pk}"
    ).content.decode()
    assert 'id="choose-place" checked' in page
    assert 'id="choose-send" checked' not in page
    assert f'<option value="{shelf.pk}" selected>the shelf</option>' in page
    page = client.get(f"/write?to={rory.pk}&home={home.pk}&choose=seal").content.decode()
    assert 'id="choose-seal" checked' in page
    page = client.get(f"/write?to={rory.pk}&home={home.pk}&choose=nonsense").content.decode()
    assert 'id="choose-send" checked' in page


def test_write_to_someone_outside_the_home_is_refused(home, other_home, jess, olive, client_of):
    client = client_of(jess)
    assert client.post("/write", {"to": olive.pk, "home": home.pk}).status_code == 422
    assert client.post("/write", {"to": olive.pk, "home": other_home.pk}).status_code == 404
    assert client.get(f"/write?to={olive.pk}&home={home.pk}").status_code == 404
    assert not Letter.objects.exists()


def test_autosave_saves_a_new_revision_and_answers_it(draft, jess, client_of):
    response = _save(client_of(jess), draft, revision=1, body="Second try.")
    assert response.status_code == 200
    answer = response.json()
    assert answer["revision"] == 2
    assert answer["saved_at"]
    draft.refresh_from_db()
    assert draft.body == "Second try."
    assert list(draft.revisions.values_list("body", flat=True)) == [
        "Dear me, where to begin.",
        "Second try.",
    ]


def test_autosave_stores_line_ends_as_the_api_does(draft, jess, client_of):
    _save(client_of(jess), draft, revision=1, body="one\r\ntwo")
    draft.refresh_from_db()
    assert draft.body == "one\ntwo"


def test_autosave_on_a_stale_revision_answers_409_and_keeps_the_text(draft, jess, client_of):
    client = client_of(jess)
    _save(client, draft, revision=1, body="From the phone.")
    response = _save(client, draft, revision=1, body="From the laptop.")
    assert response.status_code == 409
    answer = response.json()
    assert answer["error"]["code"] == "stale_revision"
    assert answer["current_revision"] == 2
    assert answer["kept_as"] == 3
    draft.refresh_from_db()
    assert draft.body == "From the phone."
    kept = draft.revisions.get(number=3)
    assert (kept.body, kept.conflict) == ("From the laptop.", True)


def test_a_body_over_the_limit_is_refused_with_the_limit_and_nothing_stored(draft, jess, client_of):
    client = client_of(jess)
    too_long = "x" * 100_001
    response = _save(client, draft, revision=1, body=too_long)
    assert response.status_code == 413
    assert "100,000" in response.json()["error"]["message"]
    form = client.post(f"/letters/{draft.pk}/edit", {"revision": 1, "body": too_long})
    assert form.status_code == 413
    assert b"100,000" in form.content
    assert Revision.objects.filter(letter=draft).count() == 1
    draft.refresh_from_db()
    assert draft.body == "Dear me, where to begin."


def test_autosave_without_a_revision_is_refused(draft, jess, client_of):
    response = _save(client_of(jess), draft, body="No revision.")
    assert response.status_code == 422


def test_the_form_saves_without_javascript(draft, jess, client_of):
    client = client_of(jess)
    response = client.post(
        f"/letters/{draft.pk}/edit",
        {"revision": 1, "salutation": "Dearest Rory,", "body": "Typed.", "closing": "J."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.salutation, draft.body, draft.closing, draft.revision) == (
        "Dearest Rory,",
        "Typed.",
        "J.",
        2,
    )
    assert b"Saved." in client.get(response["Location"]).content


def test_a_form_racing_its_own_autosave_is_not_taken_for_a_stale_copy(draft, jess, client_of):
    client = client_of(jess)
    _save(client, draft, revision=1, body="Same words.")
    response = client.post(f"/letters/{draft.pk}/edit", {"revision": 1, "body": "Same words."})
    assert response.status_code == 302
    assert not draft.revisions.filter(conflict=True).exists()


def test_crumple_saves_the_page_then_starts_over_keeping_the_old_one(draft, jess, client_of):
    client = client_of(jess)
    response = client.post(
        f"/letters/{draft.pk}/crumple", {"revision": 1, "body": "Not quite right."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/letters/{draft.pk}/edit"
    draft.refresh_from_db()
    assert draft.body == ""
    crumpled = draft.revisions.get(crumpled=True)
    assert crumpled.body == "Not quite right."


def test_keep_puts_the_letter_in_the_drawer(draft, jess, client_of):
    response = client_of(jess).post(f"/letters/{draft.pk}/keep")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.KEPT


def test_discard_moves_to_the_basket_and_restore_brings_it_back(draft, jess, client_of):
    client = client_of(jess)
    client.post(f"/letters/{draft.pk}/discard")
    draft.refresh_from_db()
    assert draft.state == State.DISCARDED
    assert b"Restore from the basket" in client.get(f"/letters/{draft.pk}").content
    client.post(f"/letters/{draft.pk}/restore")
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_send_without_a_date_waits_the_undo_window(draft, jess, client_of, settings):
    settings.SEND_UNDO_SECONDS = 10
    before = timezone.now()
    response = client_of(jess).post(f"/letters/{draft.pk}/send", {"revision": 1})
    assert response.status_code == 302
    assert response["Location"] == f"/letters/{draft.pk}"
    draft.refresh_from_db()
    assert draft.state == State.SENT
    assert (
        before + timedelta(seconds=10) <= draft.deliver_at <= timezone.now() + timedelta(seconds=10)
    )


def test_send_on_a_chosen_day_and_time_on_the_recipients_clock(draft, jess, rory, client_of):
    rory.time_zone = "Europe/Paris"
    rory.save()
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    when = (timezone.now() + timedelta(days=30)).astimezone(paris).replace(second=0, microsecond=0)
    response = client_of(jess).post(
        f"/letters/{draft.pk}/send",
        {"arrives": "on", "arrives_date": f"{when:%Y-%m-%d}", "arrives_time": f"{when:%H:%M}"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.deliver_at == when


def test_send_with_a_date_in_the_past_says_why_and_sends_nothing(draft, jess, client_of):
    response = client_of(jess).post(
        f"/letters/{draft.pk}/send",
        {"arrives": "on", "arrives_date": "2000-01-01", "arrives_time": "09:30"},
    )
    assert response.status_code == 422
    assert b"Choose a delivery time in the future." in response.content
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_send_saves_the_page_it_carries_first(draft, jess, client_of):
    client_of(jess).post(f"/letters/{draft.pk}/send", {"revision": 1, "body": "Final words."})
    draft.refresh_from_db()
    assert (draft.state, draft.body) == (State.SENT, "Final words.")


def test_withdraw_inside_the_undo_window_puts_the_letter_back_in_the_drawer(
    draft, jess, client_of, settings
):
    settings.SEND_UNDO_SECONDS = 10
    client = client_of(jess)
    client.post(f"/letters/{draft.pk}/send")
    page = client.get(f"/letters/{draft.pk}").content.decode()
    assert "Withdraw" in page
    assert '<strong class="arrives">Arrives <time' in page and "in a few seconds" in page
    assert client.post(f"/letters/{draft.pk}/withdraw").status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.deliver_at) == (State.KEPT, None)


def test_withdraw_after_delivery_is_refused(draft, jess, client_of, settings):
    settings.SEND_UNDO_SECONDS = 10
    client = client_of(jess)
    client.post(f"/letters/{draft.pk}/send")
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert b"Withdraw" not in client.get(f"/letters/{draft.pk}").content
        response = client.post(f"/letters/{draft.pk}/withdraw")
    assert response.status_code == 409
    assert b"already been delivered" in response.content
    draft.refresh_from_db()
    assert draft.state == State.SENT


def test_the_edit_page_of_a_sent_letter_opens_the_letter_instead(delivered, jess, client_of):
    response = client_of(jess).get(f"/letters/{delivered.pk}/edit")
    assert response.status_code == 302
    assert response["Location"] == f"/letters/{delivered.pk}"


def test_editing_a_sent_letter_is_refused_and_changes_nothing(delivered, jess, client_of):
    response = _save(client_of(jess), delivered, revision=1, body="Changed my mind.")
    assert response.status_code == 409
    delivered.refresh_from_db()
    assert delivered.body == "I left the light on for you."
    # ...but the words typed meanwhile are kept, as a revision only the writer sees.
    kept = delivered.revisions.get(number=response.json()["kept_as"])
    assert kept.body == "Changed my mind." and kept.conflict


def test_a_save_button_after_the_letter_was_sent_elsewhere_keeps_the_words_and_says_so(
    draft, jess, client_of, settings
):
    settings.SEND_UNDO_SECONDS = 0
    letters.send(jess, draft.pk)  # from the other device
    response = client_of(jess).post(
        f"/letters/{draft.pk}/edit", {"revision": 1, "body": "Typed on the laptop."}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Saved." not in page
    assert "kept as revision 2" in page
    assert draft.revisions.get(number=2).body == "Typed on the laptop."


def test_reply_opens_the_writer_beside_the_letter_and_makes_nothing(
    delivered, jess, rory, client_of
):
    client = client_of(rory)
    response = client.post(f"/letters/{delivered.pk}/reply")
    assert response["Location"] == f"/write?reply={delivered.pk}"
    assert not Letter.objects.filter(writer=rory).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'value="Dear Jess,"' in page
    assert f'name="in_reply_to" value="{delivered.pk}" data-start' in page
    # The letter it answers, folded above, in the letter's own style.
    assert '<details class="answering">' in page
    assert "Jess wrote:" in page and "I left the light on for you." in page


def test_a_reply_is_made_by_its_first_save_and_answers_the_letter(delivered, jess, rory, client_of):
    client = client_of(rory)
    client.post(
        "/write",
        {"to": jess.pk, "home": delivered.home_id, "in_reply_to": delivered.pk, "body": "Yes."},
    )
    reply = Letter.objects.get(writer=rory)
    assert reply.in_reply_to_id == delivered.pk
    assert reply.recipients == [jess]
    assert reply.salutation == "Dear Jess,"
    page = client.get(f"/letters/{reply.pk}/edit").content.decode()
    assert '<details class="answering">' in page and "I left the light on for you." in page


def test_one_cannot_reply_to_ones_own_letter(delivered, jess, client_of):
    assert client_of(jess).get(f"/write?reply={delivered.pk}").status_code == 422
    assert client_of(jess).post(f"/letters/{delivered.pk}/reply").status_code == 422


def test_revisions_list_every_page_with_marks_and_restore_one(draft, jess, client_of):
    client = client_of(jess)
    client.post(f"/letters/{draft.pk}/crumple")
    _save(client, draft, revision=1, body="stale words")  # kept as a conflict
    page = client.get(f"/letters/{draft.pk}/revisions").content.decode()
    assert "Revision 1" in page and "crumpled" in page
    assert "kept from another device" in page
    assert "Dear me, where to begin." in page
    response = client.post(f"/letters/{draft.pk}/revisions/1/restore")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Dear me, where to begin."
    assert draft.revision == 4


def test_restoring_a_revision_that_does_not_exist_says_so(draft, jess, client_of):
    response = client_of(jess).post(f"/letters/{draft.pk}/revisions/99/restore")
    assert response.status_code == 422
    assert b"no revision 99" in response.content


def test_the_writing_page_carries_what_the_script_needs(draft, jess, client_of):
    html = client_of(jess).get(f"/letters/{draft.pk}/edit").content.decode()
    assert f'data-save-url="/letters/{draft.pk}/save"' in html
    assert 'name="revision" value="1"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for label in ("Crumple this page", "Keep it in the drawer", "Discard", "Send", "Seal it"):
        assert f">{label}</button>" in html
    assert "<summary>More</summary>" in html
    assert '<details class="more-actions" data-begun>' in html
    for choice in ("Send now", "Arrive later", "Seal it", "Keep it in the drawer"):
        assert f'">{choice}</label>' in html


def test_each_choice_has_its_own_button_posting_to_its_own_action(draft, jess, client_of):
    html = client_of(jess).get(f"/letters/{draft.pk}/edit").content.decode()
    send = f'formaction="/letters/{draft.pk}/send"'
    assert f'name="send" value="now" {send} data-action="send">Send</button>' in html
    assert 'data-action="send">Send it for ' in html
    assert 'data-action="send">Arrive then</button>' in html
    assert f'formaction="/letters/{draft.pk}/seal" data-action="seal">Seal it</button>' in html
    keep = f'formaction="/letters/{draft.pk}/keep" data-action="keep">Keep it in the drawer'
    assert keep in html


def test_send_now_goes_now_whatever_was_left_in_the_later_panel(draft, jess, client_of):
    form = {"send": "now", "arrives": "morning", "arrives_date": "2030-01-01"}
    response = client_of(jess).post(f"/letters/{draft.pk}/send", form)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SENT
    assert draft.deliver_at <= timezone.now() + timedelta(seconds=60)


def test_the_morning_button_goes_in_the_morning_and_says_when(draft, jess, client_of):
    client = client_of(jess)
    form = {"send": "later", "arrives": "morning", "arrives_date": "2030-01-01"}
    response = client.post(f"/letters/{draft.pk}/send", form, follow=True)
    draft.refresh_from_db()
    assert draft.deliver_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 8
    assert "It will reach Rory " in response.content.decode()
    assert "at 08:00" in response.content.decode()


def test_sent_now_says_to_whom(draft, jess, client_of):
    response = client_of(jess).post(f"/letters/{draft.pk}/send", {"send": "now"}, follow=True)
    assert "Sent to Rory." in response.content.decode()


def test_a_letter_kept_in_the_drawer_can_be_sent_from_its_page(home, jess, rory, client_of):
    letter = make_letter(jess, rory)
    client = client_of(jess)
    client.post(f"/letters/{letter.pk}/keep")
    page = client.get(f"/letters/{letter.pk}/edit").content.decode()
    assert "Keep in the drawer" not in page
    client.post(f"/letters/{letter.pk}/send")
    letter.refresh_from_db()
    assert letter.state == State.SENT


def test_autosave_answers_json_errors_for_a_letter_not_mine(draft, rory, client_of):
    response = _save(client_of(rory), draft, revision=1, body="Hijack")
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"


def test_sending_an_empty_letter_says_why(home, jess, rory, client_of):
    letter = make_letter(jess, rory, body="")
    response = client_of(jess).post(f"/letters/{letter.pk}/send")
    assert response.status_code == 422
    assert b"Write something before you send it." in response.content


def test_a_sent_letter_cannot_be_sent_twice(delivered, jess, client_of):
    assert client_of(jess).post(f"/letters/{delivered.pk}/send").status_code == 409


def test_a_name_ending_in_s_takes_an_apostrophe_s_on_the_arrive_choice(home, jess, rory, client_of):
    jess.time_zone = "Europe/Lisbon"
    jess.save()
    letter = make_letter(rory, jess)
    page = client_of(rory).get(f"/letters/{letter.pk}/edit").content.decode()
    assert "Jess&#x27;s time (Europe/Lisbon)" in page
    assert "Jess&#x27; time" not in page


def test_without_script_a_fresh_page_can_be_left_at_a_place_or_sealed(
    home, jess, rory, client_of, settings
):
    from dear.homes import services as homes

    settings.SEND_UNDO_SECONDS = 0
    counter = homes.create_place(jess, home.pk, "the counter")
    client = client_of(jess)
    start = {"to": rory.pk, "home": home.pk}
    client.post(
        "/write",
        {**start, "body": "Under the cup.", "then": "leave", "place": counter.pk, "hint": "no"},
        follow=True,
    )
    note = Letter.objects.get(body="Under the cup.")
    assert (note.state, note.place_id) == (State.SENT, counter.pk)
    response = client.post(
        "/write", {**start, "body": "Sealed words.", "then": "seal", "blind": "no"}, follow=True
    )
    sealed = Letter.objects.get(body="Sealed words.")
    assert sealed.state == State.SEALED
    assert "Sealed. It opens when Rory seals one back." in response.content.decode()


def test_leave_a_note_here_asks_whom_and_keeps_the_place(home, jess, rory, sam, client_of):
    from dear.homes import services as homes

    shelf = homes.create_place(jess, home.pk, "the shelf")
    page = client_of(jess).get(f"/write?home={home.pk}&choose=place&place={shelf.pk}")
    html = page.content.decode()
    assert f"/write?to={rory.pk}&amp;home={home.pk}&amp;choose=place&amp;place={shelf.pk}" in html
    assert f"/write?to={sam.pk}&amp;home={home.pk}&amp;choose=place&amp;place={shelf.pk}" in html


def test_write_in_a_home_that_is_not_yours_is_a_404(home, other_home, jess, client_of):
    assert client_of(jess).get(f"/write?home={other_home.pk}").status_code == 404


def test_the_no_script_save_of_a_fresh_page_keeps_the_choice(home, jess, rory, client_of):
    response = client_of(jess).post(
        "/write", {"to": rory.pk, "home": home.pk, "body": "Soon.", "choose": "seal"}
    )
    letter = Letter.objects.get()
    assert response["Location"] == f"/letters/{letter.pk}/edit?choose=seal"


def test_one_housemate_in_two_homes_is_still_written_to_straight_away(jess, rory, client_of):
    from tests.helpers import make_home

    make_home("The flat", jess, rory)
    make_home("The cabin", jess, rory)
    response = client_of(jess).get("/write")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/write?to={rory.pk}&home=")


def test_words_kept_on_a_shared_device_are_offered_only_to_the_one_who_wrote_them(
    home, jess, sam, rory, client_of
):
    def kept_key(person):
        page = client_of(person).get(f"/write?to={rory.pk}&home={home.pk}").content.decode()
        return re.search(r'data-kept-key="([^"]+)"', page).group(1)

    assert str(jess.pk) in kept_key(jess)
    assert kept_key(jess) != kept_key(sam)
