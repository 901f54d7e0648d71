from dear.letters.models import Letter, Revision
from tests.helpers import make_letter, send_now


def new_letter(client, home, to, **fields):
    body = {"home": str(home.pk), "to": [str(p.pk) for p in to], **fields}
    return client.post("/letters", body)


def test_new_letter_is_a_draft_at_revision_1_with_a_salutation_and_closing(
    home, jess, rory, as_jess
):
    response = new_letter(as_jess, home, [rory], body="I miss you.")

    assert response.status_code == 201
    letter = response.json()
    assert letter["state"] == "draft"
    assert letter["revision"] == 1
    assert letter["salutation"] == "Dear Rory,"
    assert letter["closing"] == "Jess"
    assert letter["from"] == {"id": str(jess.pk), "display_name": "Jess"}
    assert letter["to"] == [{"id": str(rory.pk), "display_name": "Rory"}]
    assert letter["home"] == str(home.pk)
    assert letter["deliveries"] == [
        {"to": str(rory.pk), "delivered_at": None, "found_at": None, "read_at": None}
    ]
    assert letter["sent_at"] is None
    assert letter["written_at"].endswith("Z")


def test_letter_to_someone_outside_the_home_is_refused_and_not_stored(home, olive, as_jess):
    response = new_letter(as_jess, home, [olive])

    assert response.status_code == 422
    assert not Letter.objects.exists()


def test_letter_to_myself_is_refused(home, jess, as_jess):
    assert new_letter(as_jess, home, [jess]).status_code == 422


def test_letter_in_a_home_i_am_not_in_answers_404(home, rory, as_olive):
    assert new_letter(as_olive, home, [rory]).status_code == 404


def test_body_over_the_limit_answers_413_and_stores_nothing(home, rory, as_jess, settings):
    response = new_letter(as_jess, home, [rory], body="x" * (settings.LETTER_BODY_LIMIT + 1))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "100,000" in response.json()["error"]["message"]
    assert not Letter.objects.exists()


def test_saving_a_body_over_the_limit_answers_413_and_changes_nothing(jess, rory, as_jess):
    letter = make_letter(jess, rory, body="short")

    response = as_jess.patch(f"/letters/{letter.pk}", {"revision": 1, "body": "x" * 100_001})

    assert response.status_code == 413
    letter.refresh_from_db()
    assert (letter.body, letter.revision) == ("short", 1)
    assert letter.revisions.count() == 1


def test_body_of_exactly_the_limit_is_kept(home, rory, as_jess):
    response = new_letter(as_jess, home, [rory], body="x" * 100_000)

    assert response.status_code == 201
    assert len(response.json()["body"]) == 100_000


def test_html_in_a_letter_comes_back_verbatim_as_json_data(home, rory, as_jess):
    words = '<script>alert("hi")</script> & <b>bold</b> {{ not a template }}'

    response = new_letter(as_jess, home, [rory], body=words, salutation="<i>Dear</i>")

    assert response["Content-Type"].startswith("application/json")
    assert response.json()["body"] == words
    assert response.json()["salutation"] == "<i>Dear</i>"


def test_saving_moves_the_letter_on_one_revision(jess, rory, as_jess):
    letter = make_letter(jess, rory)

    response = as_jess.patch(
        f"/letters/{letter.pk}", {"revision": 1, "body": "Second thoughts.", "closing": "J."}
    )

    assert response.status_code == 200
    assert response.json()["revision"] == 2
    assert response.json()["body"] == "Second thoughts."
    assert response.json()["closing"] == "J."


def test_saving_can_change_who_the_letter_is_to(jess, rory, sam, as_jess):
    letter = make_letter(jess, rory)

    response = as_jess.patch(f"/letters/{letter.pk}", {"revision": 1, "to": [str(sam.pk)]})

    assert [p["display_name"] for p in response.json()["to"]] == ["Sam"]


def test_save_against_a_stale_revision_is_refused_and_its_text_kept(jess, rory, as_jess):
    letter = make_letter(jess, rory, body="First.")
    phone = as_jess.patch(f"/letters/{letter.pk}", {"revision": 1, "body": "From the phone."})
    assert phone.status_code == 200

    laptop = as_jess.patch(f"/letters/{letter.pk}", {"revision": 1, "body": "From the laptop."})

    assert laptop.status_code == 409
    error = laptop.json()["error"]
    assert error["code"] == "stale_revision"
    assert error["current_revision"] == 2
    assert error["kept_as"] == 3
    kept = Revision.objects.get(letter=letter, number=3)
    assert (kept.body, kept.conflict) == ("From the laptop.", True)
    now = as_jess.get(f"/letters/{letter.pk}").json()
    assert (now["body"], now["revision"]) == ("From the phone.", 2)


def test_revisions_list_every_page_with_crumpled_and_conflict_flags(jess, rory, as_jess):
    letter = make_letter(jess, rory, body="Dear, I")
    as_jess.post(f"/letters/{letter.pk}/crumple")
    as_jess.patch(f"/letters/{letter.pk}", {"revision": 1, "body": "stale"})

    response = as_jess.get(f"/letters/{letter.pk}/revisions")

    assert response.status_code == 200
    pages = response.json()
    assert [(p["number"], p["body"], p["crumpled"], p["conflict"]) for p in pages] == [
        (1, "Dear, I", True, False),
        (2, "", False, False),
        (3, "stale", False, True),
    ]
    assert set(pages[0]) == {
        "number",
        "salutation",
        "body",
        "closing",
        "saved_at",
        "crumpled",
        "conflict",
    }


def test_revisions_are_404_for_everyone_but_the_writer(jess, rory, as_rory, as_sam, as_olive):
    letter = send_now(make_letter(jess, rory))

    for client in (as_rory, as_sam, as_olive):
        assert client.get(f"/letters/{letter.pk}/revisions").status_code == 404


def test_crumpling_empties_the_page_and_keeps_the_old_one(jess, rory, as_jess):
    letter = make_letter(jess, rory, body="Never mind.")

    response = as_jess.post(f"/letters/{letter.pk}/crumple")

    assert response.status_code == 200
    assert response.json()["body"] == ""
    assert response.json()["revision"] == 2
    assert Revision.objects.get(letter=letter, number=1).body == "Never mind."


def test_restoring_a_revision_brings_its_text_back_as_a_new_revision(jess, rory, as_jess):
    letter = make_letter(jess, rory, body="The first try.")
    as_jess.post(f"/letters/{letter.pk}/crumple")

    response = as_jess.post(f"/letters/{letter.pk}/revisions/1/restore")

    assert response.status_code == 200
    assert (response.json()["body"], response.json()["revision"]) == ("The first try.", 3)


def test_restoring_a_revision_that_does_not_exist_is_refused(jess, rory, as_jess):
    letter = make_letter(jess, rory)

    assert as_jess.post(f"/letters/{letter.pk}/revisions/9/restore").status_code == 422


def test_reply_names_the_letter_it_answers(jess, rory, as_rory):
    original = send_now(make_letter(jess, rory))

    response = as_rory.post(
        "/letters",
        {"home": str(original.home_id), "to": [str(jess.pk)], "in_reply_to": str(original.pk)},
    )

    assert response.status_code == 201
    assert response.json()["in_reply_to"] == str(original.pk)


def test_reply_does_not_name_a_letter_its_reader_may_not_see(jess, rory, sam, as_sam):
    original = send_now(make_letter(jess, rory))
    reply = send_now(make_letter(rory, sam, in_reply_to=original.pk))

    seen_by_sam = as_sam.get(f"/letters/{reply.pk}").json()

    assert seen_by_sam["in_reply_to"] is None


def test_reply_to_a_letter_i_cannot_see_answers_404(jess, rory, home, as_sam):
    hidden = make_letter(jess, rory)

    response = as_sam.post(
        "/letters", {"home": str(home.pk), "to": [str(jess.pk)], "in_reply_to": str(hidden.pk)}
    )

    assert response.status_code == 404
