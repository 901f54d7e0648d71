"""A request body is a JSON object: anything else is refused with 422 on every route that
takes one, instead of being read as "nothing given" and answered 200 (issue 14)."""

from __future__ import annotations

import re
import uuid

import pytest

from dear.api.routes import api
from tests.helpers import make_letter

NOT_OBJECTS = {"array": "[]", "list": '[{"display_name": "Rory"}]', "string": '"Rory"'}
NOT_OBJECTS |= {"number": "42", "null": "null", "true": "true"}


def routes_with_a_json_body() -> list[tuple[str, str]]:
    document = api.get_openapi_schema()
    return [
        (method, path)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


ROUTES = routes_with_a_json_body()


def test_the_routes_tried_include_every_kind_of_change():
    tried = {f"{method.upper()} {path.removeprefix('/api/v1')}" for method, path in ROUTES}
    assert {"PATCH /me", "PUT /me/email", "POST /letters", "POST /signup"} <= tried
    assert "PATCH /letters/{letter_id}" in tried
    assert "POST /letters/{letter_id}/send" in tried  # a body that may be left out


@pytest.mark.parametrize("body", NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_body_that_is_not_a_json_object_is_refused(as_jess, jess, method, path, body):
    url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)

    response = as_jess.call(method, url, body)

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("The request body must be a JSON object")
    jess.refresh_from_db()
    assert jess.display_name == "Jess"


def test_patch_me_with_an_array_changes_nothing_and_says_why(as_jess, jess):
    response = as_jess.patch("/me", '[{"display_name": "Rory"}, {"receipts": false}]')

    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "The request body must be a JSON object, such as {}, not an array. Nothing was changed."
    )
    jess.refresh_from_db()
    assert (jess.display_name, jess.receipts) == ("Jess", True)


def test_sending_with_no_body_at_all_still_sends_now(home, jess, rory, as_jess):
    letter = make_letter(jess, rory, home=home)

    response = as_jess.client.generic("POST", f"/api/v1/letters/{letter.pk}/send")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "sent"


def test_sealing_with_no_body_at_all_seals_told(home, jess, rory, as_jess):
    letter = make_letter(jess, rory, home=home)

    response = as_jess.client.generic("POST", f"/api/v1/letters/{letter.pk}/seal")

    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["blind"]) == ("sealed", False)


@pytest.mark.parametrize("path", ["/letters", "/letters/{letter}/send", "/me/password"])
def test_a_form_sent_where_json_belongs_is_refused_not_a_server_error(
    home, jess, rory, as_jess, path
):
    letter = make_letter(jess, rory, home=home)
    url = "/api/v1" + path.format(letter=letter.pk)

    response = as_jess.client.post(url, {"body": "words"})  # multipart, as a form sends

    assert response.status_code == 422, response.content
    assert response.json()["error"]["message"].startswith("The request body must be a JSON")
    letter.refresh_from_db()
    assert (letter.state, letter.revision) == ("draft", 1)
