"""No body is read past what its place takes, and nothing anyone sends is written to disk:
against a real `dear serve`, with raw sockets where a client library would refuse to lie."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.cli.household import household
from tests.helpers import PASSWORD
from tests.server import dear_server_factory  # noqa: F401

MB = 1024 * 1024


@pytest.fixture
def served(dear_server_factory, tmp_path):  # noqa: F811 (the fixture imported above)
    """A server whose temporary files, if it made any, would land in ``scratch``."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    server = dear_server_factory(env={"TMPDIR": str(scratch)})
    return server, scratch


def raw_post(server, path: str, headers: dict[str, str], body: bytes) -> str:
    """Send a POST as written, then read the status line of the answer."""
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as connection:
        connection.sendall(head.encode() + b"\r\n" + body)
        return connection.recv(4096).decode("latin-1").split("\r\n", 1)[0]


@pytest.mark.parametrize("path", ["/login", "/api/v1/import", "/api/v1/healthz"])
def test_a_body_claiming_two_gigabytes_is_refused_before_any_of_it_is_sent(served, path):
    server, scratch = served
    status = raw_post(
        server,
        path,
        {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(2048 * MB)},
        b"--x\r\n",
    )
    assert status.split(" ")[1] in {"413", "405"}  # healthz takes no POST at all
    assert list(scratch.iterdir()) == []


def test_a_chunked_json_body_arrives_whole(served):
    server, _ = served

    def pieces():
        yield b'{"username": "jess", "password": "' + PASSWORD.encode() + b'", '
        yield b'"display_name": "Jess"}'

    answer = httpx.post(
        server.url("/api/v1/signup"), content=pieces(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 201, answer.text


def test_a_chunked_body_is_read_no_further_than_the_limit(served):
    server, _ = served

    def endless():
        for _ in range(8 * 1024):
            yield b"x" * 1024

    answer = httpx.post(
        server.url("/api/v1/signup"),
        content=endless(),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"


def test_an_archive_upload_waits_for_someone_signed_in_and_never_touches_the_disk(served):
    server, scratch = served
    junk = {"archive": ("letters.zip", b"not a zip" * (400 * 1024), "application/zip")}  # 3.5 MB
    anonymous = httpx.post(server.url("/api/v1/import"), files=junk, timeout=60)
    assert anonymous.status_code == 413  # over a plain request's limit: not even read

    house = household(server)
    signed_in = house.jess.client.post("/import", files=junk, timeout=60)
    assert signed_in.status_code == 422, signed_in.text
    assert "not a zip" in signed_in.json()["error"]["message"]
    assert list(scratch.iterdir()) == []


def test_the_refusal_says_how_much_is_taken(served):
    server, _ = served
    answer = httpx.post(server.url("/api/v1/signup"), content=b"x" * 2_600_000)
    assert answer.status_code == 413
    assert "more than 2.5 MB" in answer.json()["error"]["message"]
