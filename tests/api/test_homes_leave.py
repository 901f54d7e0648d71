"""POST /homes/{id}/leave: the leaver keeps their letters and loses the home."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from dear.homes import services as homes
from dear.letters import services as letters
from dear.mutual import services as mutual
from tests.helpers import make_letter, send_now


def test_leaving_answers_what_happened_and_the_home_is_gone(home, jess, as_rory, rory):
    on_its_way = make_letter(rory, jess)
    letters.send(rory, on_its_way.pk, deliver_at=timezone.now() + timedelta(days=2))

    response = as_rory.post(f"/homes/{home.pk}/leave")

    assert response.status_code == 200
    assert response.json() == {
        "left": True,
        "home": {"id": str(home.pk), "name": "The flat"},
        "back_in_drawer": 1,
    }
    assert as_rory.get("/me").json()["homes"] == []
    assert as_rory.get(f"/homes/{home.pk}").status_code == 404
    assert as_rory.get(f"/letters/{on_its_way.pk}").json()["state"] == "kept"


def test_the_others_no_longer_see_the_leaver_among_the_members(home, as_jess, as_rory, rory):
    as_rory.post(f"/homes/{home.pk}/leave")

    members = as_jess.get(f"/homes/{home.pk}").json()["members"]

    assert [member["display_name"] for member in members] == ["Jess", "Sam"]


def test_the_leaver_still_reads_their_letters(home, jess, rory, as_rory):
    got = send_now(make_letter(jess, rory, body="The lighthouse keeper waved."))
    wrote = send_now(make_letter(rory, jess, body="I saw the lighthouse."))

    as_rory.post(f"/homes/{home.pk}/leave")

    assert as_rory.get(f"/letters/{got.pk}").status_code == 200
    assert as_rory.post(f"/letters/{got.pk}/read").status_code == 200
    inbox = as_rory.get("/letters", {"box": "inbox"}).json()["items"]
    sent = as_rory.get("/letters", {"box": "sent"}).json()["items"]
    assert [one["id"] for one in inbox] == [str(got.pk)]
    assert [one["id"] for one in sent] == [str(wrote.pk)]
    found = as_rory.get("/search", {"q": "lighthouse"}).json()["items"]
    assert {one["id"] for one in found} == {str(got.pk), str(wrote.pk)}
    assert as_rory.get("/export").status_code == 200


def test_the_answer_tells_nothing_of_letters_sealed_blind_for_the_leaver(
    home, jess, rory, sam, as_rory
):
    mutual.seal(jess, make_letter(jess, rory).pk, blind=True)
    mutual.seal(sam, make_letter(sam, rory).pk, blind=True)

    response = as_rory.post(f"/homes/{home.pk}/leave")

    assert response.json()["back_in_drawer"] == 0


def test_an_outsiders_404_is_the_same_as_for_a_home_that_does_not_exist(home, as_olive):
    theirs = as_olive.post(f"/homes/{home.pk}/leave")
    missing = as_olive.post(f"/homes/{uuid.uuid4()}/leave")
    malformed = as_olive.post("/homes/not-a-home/leave")

    assert theirs.status_code == missing.status_code == malformed.status_code == 404
    assert theirs.content == missing.content == malformed.content


def test_leaving_twice_finds_no_home_the_second_time(home, as_rory):
    assert as_rory.post(f"/homes/{home.pk}/leave").status_code == 200

    again = as_rory.post(f"/homes/{home.pk}/leave")

    assert again.status_code == 404
    assert again.json()["error"]["code"] == "not_found"


def test_leaving_needs_a_token_and_a_post(home, anon, as_rory):
    assert anon.post(f"/homes/{home.pk}/leave").status_code == 401
    answer = as_rory.get(f"/homes/{home.pk}/leave")
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "method_not_allowed"


def test_someone_who_left_can_come_back_with_a_new_invite(home, jess, as_rory):
    as_rory.post(f"/homes/{home.pk}/leave")
    code = homes.create_invite(jess, home.pk).code

    response = as_rory.post(f"/invites/{code}/accept")

    assert response.status_code == 200
    assert [one["name"] for one in as_rory.get("/me").json()["homes"]] == ["The flat"]
