"""`/me/email`: my address, confirmed by a link that really arrives, and which emails I want."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dear.accounts.models import Person
from dear.accounts.services import WRONG_PASSWORD
from dear.notify.addresses import NO_EMAIL, PASSWORD_NEEDED
from dear.notify.models import EmailChoices
from tests.api.conftest import ApiClient, client_for
from tests.helpers import PASSWORD

DEFAULTS = {
    "available": True,
    "address": "",
    "confirmed": False,
    "words": False,
    "letters": True,
    "sealed": True,
    "moments": True,
    "link_sent": None,
}


@pytest.fixture
def api(jess):
    return client_for(jess)


def follow_link(received) -> None:
    path = re.search(r"http://dear\.test(/email/confirm/\S+)", received.text()).group(1)
    assert Client().get(path).status_code == 200


def confirmed(api, mailbox, address="jess@home.test"):
    api.call("put", "/me/email", {"address": address, "password": PASSWORD})
    follow_link(mailbox.to(address)[-1])


def test_everything_but_the_words_is_on_at_first(mailbox, api):
    assert api.get("/me/email").json() == DEFAULTS


def test_a_new_address_is_sent_its_link_and_confirmed_by_it(mailbox, api):
    changed = api.call("put", "/me/email", {"address": "jess@home.test", "password": PASSWORD})

    assert changed.status_code == 200
    assert changed.json() == {**DEFAULTS, "address": "jess@home.test", "link_sent": True}
    (sent,) = mailbox.messages
    assert sent.envelope_to == ["jess@home.test"]

    follow_link(sent)

    assert api.get("/me/email").json()["confirmed"] is True


def test_choices_left_out_stay_as_they_were(mailbox, api, jess):
    api.call("put", "/me/email", {"words": True, "moments": False})

    answer = api.call("put", "/me/email", {"letters": False}).json()

    assert (answer["words"], answer["letters"], answer["sealed"], answer["moments"]) == (
        True,
        False,
        True,
        False,
    )
    assert answer["link_sent"] is None
    assert mailbox.messages == []


def test_a_bad_address_changes_nothing_at_all(mailbox, api, jess):
    response = api.call(
        "put", "/me/email", {"address": "nope", "password": PASSWORD, "words": True}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["message"] == "address: That email address does not look right."
    assert not EmailChoices.objects.filter(person=jess).exists()
    jess.refresh_from_db()
    assert jess.email == ""


def test_an_empty_address_removes_mine_and_tells_it(mailbox, api, jess):
    api.call("put", "/me/email", {"address": "jess@home.test", "password": PASSWORD})
    follow_link(mailbox.messages[0])

    answer = api.call("put", "/me/email", {"address": "", "password": PASSWORD}).json()

    assert (answer["address"], answer["confirmed"]) == ("", False)
    jess.refresh_from_db()
    assert jess.email_confirmed_at is None
    told = mailbox.messages[-1]
    assert (told.envelope_to, told.subject) == (
        ["jess@home.test"],
        "The address Dear writes to was changed",
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [(None, PASSWORD_NEEDED), ("", PASSWORD_NEEDED), ("guess", WRONG_PASSWORD)],
)
def test_changing_the_address_without_the_right_password_changes_nothing(
    mailbox, api, jess, password, message
):
    confirmed(api, mailbox)
    body = {"address": "thief@away.test", "words": True}
    if password is not None:
        body["password"] = password

    response = api.call("put", "/me/email", body)

    assert response.status_code == 422
    assert response.json()["error"] == {"code": "invalid", "message": message}
    jess.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"
    assert not EmailChoices.objects.filter(person=jess).exists()
    assert len(mailbox.messages) == 1


def test_removing_the_address_without_the_password_changes_nothing(mailbox, api, jess):
    confirmed(api, mailbox)

    response = api.call("put", "/me/email", {"address": ""})

    assert response.status_code == 422
    jess.refresh_from_db()
    assert jess.confirmed_email == "jess@home.test"


def test_with_the_password_the_address_changes_and_the_old_one_is_told(mailbox, api, jess):
    confirmed(api, mailbox)

    answer = api.call(
        "put", "/me/email", {"address": "jess@work.test", "password": PASSWORD}
    ).json()

    assert (answer["address"], answer["confirmed"], answer["link_sent"]) == (
        "jess@work.test",
        False,
        True,
    )
    (told,) = mailbox.to("jess@home.test")[1:]
    assert told.subject == "The address Dear writes to was changed"
    assert "If it wasn't you" in told.text()
    assert [m.subject for m in mailbox.to("jess@work.test")] == [
        "Confirm your email address for Dear"
    ]


def test_choices_change_without_the_password(mailbox, api, jess):
    confirmed(api, mailbox)

    answer = api.call("put", "/me/email", {"address": "jess@home.test", "words": True})

    assert answer.status_code == 200
    assert (answer.json()["address"], answer.json()["words"]) == ("jess@home.test", True)
    assert len(mailbox.messages) == 1


def test_wrong_passwords_again_and_again_are_slowed_down(mailbox, api, jess, settings):
    settings.LOGIN_LIMIT = 2
    for _ in range(2):
        api.call("put", "/me/email", {"address": "thief@away.test", "password": "guess"})

    response = api.call("put", "/me/email", {"address": "thief@away.test", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    jess.refresh_from_db()
    assert jess.email == ""


def test_a_link_that_did_not_go_is_said_and_can_be_asked_for_again(mailbox, api):
    mailbox.refuse.append("451 4.3.0 try later")

    first = api.call("put", "/me/email", {"address": "jess@home.test", "password": PASSWORD}).json()
    again = api.post("/me/email/link").json()

    assert (first["address"], first["confirmed"], first["link_sent"]) == (
        "jess@home.test",
        False,
        False,
    )
    assert again["link_sent"] is True
    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"]]


def test_no_link_is_sent_again_without_an_unconfirmed_address(mailbox, api):
    response = api.post("/me/email/link")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert mailbox.messages == []


def test_without_email_set_up_an_address_is_refused_but_choices_are_kept(api, jess, settings):
    settings.EMAIL_URL = ""

    refused = api.call(
        "put", "/me/email", {"address": "jess@home.test", "password": PASSWORD, "words": True}
    )
    choices = api.call("put", "/me/email", {"words": True})

    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == NO_EMAIL
    assert choices.status_code == 200
    assert choices.json()["available"] is False
    assert choices.json()["words"] is True
    jess.refresh_from_db()
    assert jess.email == ""


def test_an_address_given_at_signup_is_unconfirmed_and_sent_its_link(mailbox, db):
    response = ApiClient().post(
        "/signup",
        {
            "username": "nell",
            "password": "a long enough secret",
            "display_name": "Nell",
            "email": "nell@home.test",
        },
    )

    assert response.status_code == 201
    nell = Person.objects.get(username="nell")
    assert (nell.email, nell.email_confirmed_at) == ("nell@home.test", None)
    (sent,) = mailbox.messages
    assert sent.envelope_to == ["nell@home.test"]
    follow_link(sent)
    nell.refresh_from_db()
    assert nell.confirmed_email == "nell@home.test"


def test_a_signup_is_not_refused_when_its_link_cannot_go(mailbox, db):
    mailbox.refuse.append("550 5.1.1 no such mailbox")

    response = ApiClient().post(
        "/signup",
        {
            "username": "nell",
            "password": "a long enough secret",
            "display_name": "Nell",
            "email": "nell@home.test",
        },
    )

    assert response.status_code == 201
    assert Person.objects.get(username="nell").email == "nell@home.test"
