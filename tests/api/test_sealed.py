"""POST /letters/{id}/seal, GET /letters?box=sealed, and withdrawing a sealed letter."""

from __future__ import annotations

from tests.helpers import make_letter


def _seal(client, letter, **body):
    return client.post(f"/letters/{letter.pk}/seal", body or None)


def test_sealing_answers_the_letter_as_it_now_is(as_jess, jess, rory):
    letter = make_letter(jess, rory)

    response = _seal(as_jess, letter)

    assert response.status_code == 200
    sealed = response.json()
    assert sealed["state"] == "sealed"
    assert sealed["blind"] is False
    assert sealed["opened_at"] is None
    assert sealed["sent_at"] is not None
    assert sealed["deliveries"] == [
        {"to": str(rory.pk), "delivered_at": None, "found_at": None, "read_at": None}
    ]


def test_sealing_blind(as_jess, jess, rory):
    response = _seal(as_jess, make_letter(jess, rory), blind=True)

    assert response.json()["blind"] is True


def test_the_recipient_sees_a_told_letter_as_a_stub_in_the_sealed_box(as_jess, as_rory, jess, rory):
    sealed = _seal(as_jess, make_letter(jess, rory, body="Every word of this.")).json()

    items = as_rory.get("/letters", {"box": "sealed"}).json()["items"]

    assert len(items) == 1
    stub = items[0]
    assert stub["id"] == sealed["id"]
    assert stub["from"] == {"id": str(jess.pk), "display_name": "Jess"}
    assert stub["salutation"] is stub["body"] is stub["closing"] is stub["revision"] is None
    assert stub["deliveries"] is None
    assert stub["sent_at"] == sealed["sent_at"]
    assert "Every word" not in str(items)
    # ... and it is not readable on its own, nor in the inbox.
    assert as_rory.get(f"/letters/{sealed['id']}").status_code == 404
    assert as_rory.get("/letters", {"box": "inbox"}).json()["items"] == []


def test_the_writer_sees_their_sealed_letters_whole_in_the_sealed_box(as_jess, jess, rory, sam):
    _seal(as_jess, make_letter(jess, rory, body="To Rory."))
    _seal(as_jess, make_letter(jess, sam, body="To Sam."), blind=True)

    items = as_jess.get("/letters", {"box": "sealed"}).json()["items"]

    assert sorted(one["body"] for one in items) == ["To Rory.", "To Sam."]
    only_sam = as_jess.get("/letters", {"box": "sealed", "with": str(sam.pk)}).json()["items"]
    assert [one["body"] for one in only_sam] == ["To Sam."]


def test_a_blind_letter_is_not_in_the_recipients_sealed_box(as_jess, as_rory, jess, rory):
    _seal(as_jess, make_letter(jess, rory), blind=True)

    assert as_rory.get("/letters", {"box": "sealed"}).json()["items"] == []


def test_sealing_one_back_opens_both_and_each_reads_the_other(as_jess, as_rory, jess, rory):
    hers = _seal(as_jess, make_letter(jess, rory, body="Hers.")).json()

    his = _seal(as_rory, make_letter(rory, jess, body="His.")).json()

    assert his["opened_at"] is not None
    read_by_rory = as_rory.get(f"/letters/{hers['id']}").json()
    assert read_by_rory["body"] == "Hers."
    assert read_by_rory["opened_at"] == his["opened_at"]
    assert as_jess.get(f"/letters/{his['id']}").json()["body"] == "His."
    inbox = as_jess.get("/letters", {"box": "inbox"}).json()["items"]
    assert [one["id"] for one in inbox] == [his["id"]]
    assert as_rory.post(f"/letters/{hers['id']}/read").status_code == 200
    receipts = as_jess.get(f"/letters/{hers['id']}").json()["deliveries"]
    assert receipts[0]["delivered_at"] == his["opened_at"]


def test_withdrawing_a_sealed_letter_puts_it_back_in_the_drawer(as_jess, as_rory, jess, rory):
    sealed = _seal(as_jess, make_letter(jess, rory)).json()

    response = as_jess.post(f"/letters/{sealed['id']}/withdraw")

    assert response.status_code == 200
    assert response.json()["state"] == "kept"
    assert response.json()["sent_at"] is None
    assert as_rory.get("/letters", {"box": "sealed"}).json()["items"] == []


def test_an_opened_letter_cannot_be_withdrawn_or_changed(as_jess, as_rory, jess, rory):
    hers = _seal(as_jess, make_letter(jess, rory)).json()
    _seal(as_rory, make_letter(rory, jess))

    withdraw = as_jess.post(f"/letters/{hers['id']}/withdraw")
    edit = as_jess.patch(f"/letters/{hers['id']}", {"revision": 1, "body": "no"})

    assert withdraw.status_code == 409
    assert withdraw.json()["error"]["message"] == (
        "This sealed letter has opened; it cannot be withdrawn."
    )
    assert edit.status_code == 409
    assert as_jess.get(f"/letters/{hers['id']}").json()["state"] == "sealed"


def test_sealing_a_letter_to_two_people_is_refused_clearly(as_jess, jess, rory, sam):
    response = _seal(as_jess, make_letter(jess, [rory, sam]))

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "A sealed letter is to one person; this one is to several.",
    }


def test_sealing_a_sent_letter_is_a_conflict(as_jess, jess, rory):
    from tests.helpers import send_now

    letter = send_now(make_letter(jess, rory))

    response = _seal(as_jess, letter)

    assert response.status_code == 409
    assert response.json()["error"]["message"] == "A sent letter cannot be sealed."


def test_blind_must_be_a_boolean(as_jess, jess, rory):
    response = as_jess.post(f"/letters/{make_letter(jess, rory).pk}/seal", {"blind": "maybe"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_a_malformed_body_is_a_clear_400(as_jess, jess, rory):
    response = as_jess.post(f"/letters/{make_letter(jess, rory).pk}/seal", "{not json")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The request body is not valid JSON."
