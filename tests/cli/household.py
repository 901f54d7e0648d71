"""Two people and a home on a real `dear serve`, made through its API as a person would;
and a page's form sent as a browser sends it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from tests.helpers import PASSWORD


@dataclass
class Person:
    id: str
    token: str
    client: httpx.Client


@dataclass
class Household:
    home: str
    jess: Person
    rory: Person

    def write(self, writer: Person, to: Person, body: str, *, send: bool = True) -> str:
        made = writer.client.post("/letters", json={"home": self.home, "to": [to.id], "body": body})
        assert made.status_code == 201, made.text
        letter_id = made.json()["id"]
        if send:
            sent = writer.client.post(f"/letters/{letter_id}/send")
            assert sent.status_code == 200, sent.text
        return letter_id


def _person(server, payload: dict) -> Person:
    answer = httpx.post(server.url("/api/v1/signup"), json=payload, timeout=30)
    assert answer.status_code == 201, answer.text
    token = answer.json()["token"]
    client = httpx.Client(
        base_url=server.url("/api/v1"), headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return Person(answer.json()["person"]["id"], token, client)


def household(server) -> Household:
    jess = _person(server, {"username": "jess", "password": PASSWORD, "display_name": "Jess"})
    home = jess.client.post("/homes", json={"name": "The flat"}).json()["id"]
    code = jess.client.post(f"/homes/{home}/invites").json()["code"]
    rory = _person(
        server,
        {"username": "rory", "password": PASSWORD, "display_name": "Rory", "invite": code},
    )
    return Household(home, jess, rory)


def post_form(client: httpx.Client, server, path: str, fields: dict) -> httpx.Response:
    """Fill in and send the form of the page at ``path`` as a browser does: its CSRF
    token, its cookie, and the page's own origin."""
    page = client.get(server.url(path))
    form = re.search(r'<form method="post" action="([^"]+)"', page.text)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert form and token, page.text
    return client.post(
        server.url(form.group(1)),
        data={"csrfmiddlewaretoken": token.group(1), **fields},
        headers={"Origin": server.base_url, "Referer": server.url(path)},
    )
