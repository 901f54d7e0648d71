"""An API client that speaks JSON and carries a bearer token, one per persona."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dear.accounts.services import issue_token

PREFIX = "/api/v1"


class ApiClient:
    def __init__(self, token: str | None = None, address: str = "127.0.0.1"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.token = token
        self.client = Client(headers=headers, REMOTE_ADDR=address)

    def _url(self, path: str) -> str:
        return path if path.startswith(PREFIX) else PREFIX + path

    def get(self, path: str, params: dict | None = None):
        return self.client.get(self._url(path), params or {})

    def _send(self, method: str, path: str, body):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        call = getattr(self.client, method)
        return call(self._url(path), data=data, content_type="application/json")

    def post(self, path: str, body=None):
        return self._send("post", path, body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self.client.delete(self._url(path))

    def call(self, method: str, path: str, body=None):
        if method == "get":
            return self.get(path)
        if method == "delete":
            return self.delete(path)
        return self._send(method, path, body)


def client_for(person=None) -> ApiClient:
    return ApiClient(issue_token(person, "test") if person is not None else None)


@pytest.fixture
def anon(db):
    return ApiClient()


@pytest.fixture
def as_jess(jess, home):
    return client_for(jess)


@pytest.fixture
def as_rory(rory, home):
    return client_for(rory)


@pytest.fixture
def as_sam(sam, home):
    return client_for(sam)


@pytest.fixture
def as_olive(olive, other_home):
    return client_for(olive)
