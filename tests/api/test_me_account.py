"""What Settings does, the API does too: a name, receipts, a password, one's tokens."""

from __future__ import annotations

from dear.accounts.services import issue_token
from tests.api.conftest import ApiClient, client_for
from tests.helpers import PASSWORD


def test_patch_me_changes_the_name_and_receipts_and_leaves_the_rest(as_jess, jess):
    answer = as_jess.patch("/me", {"display_name": "Jessie", "receipts": False})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["display_name"], answer.json()["receipts"]) == ("Jessie", False)
    assert as_jess.get("/me").json() == answer.json()
    jess.refresh_from_db()
    assert (jess.display_name, jess.receipts, jess.time_zone) == ("Jessie", False, "")


def test_a_refused_part_of_patch_me_changes_nothing(as_rory, rory):
    answer = as_rory.patch(
        "/me", {"display_name": "Rory B", "receipts": False, "time_zone": "Mars/Olympus"}
    )
    assert answer.status_code == 422
    rory.refresh_from_db()
    assert (rory.display_name, rory.receipts) == ("Rory", True)

    taken = as_rory.patch("/me", {"display_name": "jess"})
    assert taken.status_code == 422
    assert "already goes by that name" in taken.json()["error"]["message"]


def test_a_new_password_ends_every_token_and_answers_a_fresh_one(as_jess, jess):
    laptop = client_for(jess)
    answer = as_jess.post(
        "/me/password", {"current_password": PASSWORD, "new_password": "a brand new secret"}
    )
    assert answer.status_code == 200, answer.text
    assert as_jess.get("/me").status_code == 401
    assert laptop.get("/me").status_code == 401
    assert ApiClient(answer.json()["token"]).get("/me").json()["username"] == "jess"


def test_a_wrong_current_password_changes_nothing(as_jess, jess):
    answer = as_jess.post(
        "/me/password", {"current_password": "not it", "new_password": "a brand new secret"}
    )
    assert answer.status_code == 422
    assert as_jess.get("/me").status_code == 200
    jess.refresh_from_db()
    assert jess.check_password(PASSWORD)


def test_tokens_are_listed_without_their_values_and_one_can_be_revoked(as_jess, jess, rory):
    other = issue_token(jess, "phone")
    listed = as_jess.get("/tokens").json()
    assert [(t["name"], t["current"]) for t in listed] == [("phone", False), ("test", True)]
    assert other not in str(listed)
    phone = listed[0]["id"]

    assert client_for(rory).delete(f"/tokens/{phone}").status_code == 404
    assert as_jess.delete(f"/tokens/{phone}").status_code == 204
    assert ApiClient(other).get("/me").status_code == 401
    assert as_jess.delete(f"/tokens/{phone}").status_code == 404
    assert as_jess.get("/me").status_code == 200
