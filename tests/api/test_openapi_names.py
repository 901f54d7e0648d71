"""A client generated from the OpenAPI document gets plain method names."""

from __future__ import annotations

import re

from dear.api.routes import api


def operation_ids() -> dict[str, str]:
    document = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation["operationId"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def test_every_operation_has_its_own_plain_camel_case_name():
    named = operation_ids()
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", name) for name in named.values()), named
    assert len(set(named.values())) == len(named)


def test_the_letter_actions_are_named_for_what_they_do():
    named = operation_ids()
    assert named["POST /api/v1/letters"] == "createLetter"
    assert named["POST /api/v1/letters/{letter_id}/send"] == "sendLetter"
    assert named["POST /api/v1/letters/{letter_id}/read"] == "markLetterRead"
    assert named["GET /api/v1/letters"] == "listLetters"
    assert named["PATCH /api/v1/me"] == "updateMe"
