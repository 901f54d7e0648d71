"""Property-based checks over the OpenAPI document with schemathesis, in process.

Every operation gets bounded, generated requests as Jess (a member with letters, a place
and a housemate); none may answer 5xx or break the schema it declares."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from dear.accounts.services import issue_token
from tests.helpers import make_letter, send_now

EXAMPLES = 15
# What the API promises: no server error, and every answer in a status, content type and
# shape its operation declares. Not "every schema-valid request is accepted": the API
# refuses text it cannot store (NUL, lone surrogates) and what the rules forbid with 422.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


def _load_schema():
    from dear.wsgi import application

    # Reading the document needs no database: it is built from the routes alone.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _connection_kept_across_requests():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the test's connection,
    # which holds the transaction every example runs (and is rolled back) in.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def as_jess(home, jess, rory):
    make_letter(jess, rory, home=home, body="A draft.")
    send_now(make_letter(rory, jess, home=home, body="I found your note."))
    return {"Authorization": f"Bearer {issue_token(jess)}"}


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx_or_breaks_its_schema(case, as_jess):
    case.call_and_validate(headers=as_jess, checks=CHECKS)
