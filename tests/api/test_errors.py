import json

import pytest
from django.test import RequestFactory

from dear.api.health import healthz
from dear.letters.models import Letter
from tests.api.conftest import ApiClient

ERROR_KEYS = {"code", "message"}


def assert_error(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= ERROR_KEYS
    assert error["code"] == code
    assert error["message"]


def test_api_health_needs_no_token(anon):
    response = anon.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_root_health_view_answers_ok(db):
    response = healthz(RequestFactory().get("/healthz"))

    assert response.status_code == 200
    assert json.loads(response.content) == {"ok": True}


def test_root_health_view_takes_only_get(db):
    assert healthz(RequestFactory().post("/healthz")).status_code == 405


@pytest.mark.parametrize("body", ["{not json", '{"home": ', b"\xff\xfe\x00"])
def test_malformed_json_answers_400_in_the_error_format(home, as_jess, body):
    response = as_jess.post("/letters", body)

    assert_error(response, 400, "bad_request")
    assert not Letter.objects.exists()


@pytest.mark.parametrize("body", ["[]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_answers_422(home, as_jess, body):
    assert_error(as_jess.post("/letters", body), 422, "invalid")


def test_request_over_the_upload_limit_answers_413_and_stores_nothing(
    home, rory, as_jess, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    body = {"home": str(home.pk), "to": [str(rory.pk)], "body": "x" * 3_000}

    response = as_jess.post("/letters", body)

    assert_error(response, 413, "too_large")
    assert "2,000" in response.json()["error"]["message"]
    assert not Letter.objects.exists()


@pytest.mark.parametrize("field", ["body", "salutation", "closing"])
def test_nul_characters_are_refused_as_invalid_text(home, rory, as_jess, field):
    body = {"home": str(home.pk), "to": [str(rory.pk)], field: "before\u0000after"}

    response = as_jess.post("/letters", body)

    assert_error(response, 422, "invalid")
    assert response.json()["error"]["message"].startswith(f"{field}:")


def test_lone_surrogates_are_refused_as_invalid_text(home, rory, as_jess):
    raw = f'{{"home": "{home.pk}", "to": ["{rory.pk}"], "body": "\\ud800"}}'

    assert_error(as_jess.post("/letters", raw), 422, "invalid")


def test_wrong_type_names_the_field(home, as_jess):
    response = as_jess.post("/letters", {"home": str(home.pk), "to": "rory"})

    assert_error(response, 422, "invalid")
    assert response.json()["error"]["message"].startswith("to:")


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_path_under_the_api_answers_404_in_the_error_format(as_jess, method):
    assert_error(as_jess.call(method, "/no/such/thing"), 404, "not_found")


def test_wrong_method_answers_405_in_the_error_format(as_jess):
    response = as_jess.get("/basket/empty")

    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_malformed_letter_id_answers_the_same_404_as_a_missing_one(as_jess):
    malformed = as_jess.get("/letters/not-a-uuid")
    missing = as_jess.get("/letters/01900000-0000-7000-8000-000000000000")

    assert_error(malformed, 404, "not_found")
    assert malformed.json() == missing.json()


def test_openapi_schema_declares_every_route_and_its_errors(db):
    response = ApiClient().get("/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert "ErrorOut" in schema["components"]["schemas"]
    assert "bearer" in json.dumps(schema["components"]["securitySchemes"]).lower()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), (method, path)
            if path not in ("/api/v1/healthz",):
                assert statuses - {"200", "201", "204"}, (method, path)


def test_openapi_letter_uses_the_contracts_field_names(db):
    schema = ApiClient().get("/openapi.json").json()
    letter = schema["components"]["schemas"]["LetterOut"]["properties"]

    assert set(letter) == {
        "id",
        "home",
        "from",
        "to",
        "salutation",
        "body",
        "closing",
        "state",
        "revision",
        "written_at",
        "sent_at",
        "deliver_at",
        "opened_at",
        "place",
        "hint",
        "in_reply_to",
        "deliveries",
        "blind",  # added by the sealed-letters issue: told or blind
    }


def test_docs_page_is_served(db):
    response = ApiClient().get("/docs")

    assert response.status_code == 200
    assert b"<html" in response.content.lower()


def test_a_bug_answers_500_in_the_error_format_and_logs_no_words(
    jess, rory, as_jess, monkeypatch, caplog
):
    words = "Dear Rory, the secret words"

    def broken(*args, **kwargs):
        raise RuntimeError(words)  # as a database error may quote the row it failed on

    monkeypatch.setattr("dear.letters.services.create_letter", broken)

    response = as_jess.post("/letters", {"home": str(jess.pk), "to": [str(rory.pk)]})

    assert_error(response, 500, "server_error")
    assert "secret words" not in response.content.decode()
    assert "RuntimeError" in caplog.text
    assert "secret words" not in caplog.text
