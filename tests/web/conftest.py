"""Clients logged in as each persona, and the letters most web tests start from."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.helpers import make_letter, send_now


@pytest.fixture
def client_of():
    """``client_of(person)``: a browser logged in as ``person`` (None: logged out)."""

    def make(person=None, **kw) -> Client:
        client = Client(**kw)
        if person is not None:
            client.force_login(person)
        return client

    return make


@pytest.fixture
def delivered(home, jess, rory):
    """A letter from Jess to Rory, already delivered."""
    return send_now(make_letter(jess, rory, body="I left the light on for you."))


@pytest.fixture
def draft(home, jess, rory):
    return make_letter(jess, rory, body="Dear me, where to begin.")


def without_csrf(html: bytes | str) -> str:
    """A page's HTML with its per-response CSRF tokens blanked, for comparing pages."""
    text = html.decode() if isinstance(html, bytes) else html
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', text)
