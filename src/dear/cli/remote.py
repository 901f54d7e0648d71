"""Talking to a Dear server's API with a token, for the commands that act as a person.

The server and token come from --url and --token (or DEAR_URL and DEAR_TOKEN) when given,
otherwise from what `dear login` kept. Only the standard library is used.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO, Annotated

import typer

from dear.cli import login_store
from dear.cli.app import CommandFailed

DEFAULT_URL = "http://127.0.0.1:8000"
TIMEOUT = 600

UrlOption = Annotated[
    str,
    typer.Option(
        "--url",
        envvar="DEAR_URL",
        help="The Dear server, e.g. http://192.168.1.20:8000 (default: the one you logged in to).",
        show_default=False,
    ),
]
TokenOption = Annotated[
    str,
    typer.Option(
        "--token",
        envvar="DEAR_TOKEN",
        help="An API token (default: the one `dear login` kept).",
        show_default=False,
    ),
]


@dataclass
class Server:
    url: str
    token: str

    @classmethod
    def of(cls, url: str, token: str) -> Server:
        """The server to talk to: the one given, else the one `dear login` kept."""
        url = (url or "").strip().rstrip("/")
        token = (token or "").strip()
        if url:
            check_url(url)
        kept = login_store.load()
        if token:
            return cls(url or (kept.url if kept else DEFAULT_URL), token)
        # A kept token goes only to the server it was made by, never to another --url.
        if kept is not None and (not url or url == kept.url):
            return cls(kept.url, kept.token)
        raise CommandFailed(
            "this needs an API token: run `dear login URL` first, "
            "or pass --token or set DEAR_TOKEN",
            2,
        )

    def _request(self, method: str, path: str, *, body=None, headers=None):
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", **(headers or {})},
        )
        return send(request, self.url)

    def call(self, method: str, path: str, payload: dict | None = None) -> dict | None:
        """One JSON request; the answer's JSON, or None for an empty answer."""
        body = json.dumps(payload).encode() if payload is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        with self._request(method, path, body=body, headers=headers) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def post_json(self, path: str, payload: dict | None = None) -> dict:
        return self.call("POST", path, payload) or {}

    def get_json(self, path: str, params: dict | None = None) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with self._request("GET", path + query) as response:
            return json.load(response)

    def download(self, path: str, into: IO[bytes]) -> int:
        written = 0
        with self._request("GET", path) as response:
            while chunk := response.read(1024 * 1024):
                into.write(chunk)
                written += len(chunk)
        return written

    def upload(self, path: str, field: str, filename: str, content: bytes) -> dict:
        boundary = f"dear-{secrets.token_hex(16)}"
        safe_name = filename.replace('"', "").replace("\r", "").replace("\n", "")
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{safe_name}"\r\n'
            "Content-Type: application/zip\r\n\r\n"
        ).encode()
        body = head + content + f"\r\n--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        with self._request("POST", path, body=body, headers={"Content-Type": content_type}) as r:
            return json.load(r)


def check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommandFailed(f"the server must be an http:// or https:// address; got {url!r}", 2)
    return url


def send(request: urllib.request.Request, server_url: str):
    """Open the request; any failure becomes one line naming what went wrong."""
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310 - http(s) only
    except urllib.error.HTTPError as exc:
        raise CommandFailed(_error_message(exc)) from None
    except urllib.error.URLError as exc:
        raise CommandFailed(f"cannot reach Dear at {server_url}: {exc.reason}") from None
    except (TimeoutError, ConnectionError) as exc:
        raise CommandFailed(f"Dear at {server_url} did not answer: {exc}") from None


def post_anonymous(url: str, path: str, payload: dict) -> dict:
    """A JSON request without a token (logging in)."""
    request = urllib.request.Request(
        f"{url}/api/v1{path}",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with send(request, url) as response:
        return json.load(response)


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        error = json.load(exc)["error"]
        return str(error["message"])
    except (ValueError, KeyError, TypeError):
        return f"the server answered {exc.code} {exc.reason}"
