"""Bearer tokens: the API's only way in (no session cookies, so no CSRF to defend)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from dear.accounts.models import ApiToken, Person
from dear.accounts.services import person_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        found = person_for_token(token)
        if found is None:
            return None
        person, api_token = found
        request.api_token = api_token  # type: ignore[attr-defined]
        return person


bearer = BearerToken()


def person_of(request: HttpRequest) -> Person:
    return request.auth  # type: ignore[attr-defined]


def token_of(request: HttpRequest) -> ApiToken:
    return request.api_token  # type: ignore[attr-defined]
