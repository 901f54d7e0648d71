"""Talking to a Dear server's API with a token, for the commands that act as a person.

Until `dear login` keeps a server and token for you, commands take them from --url and
--token, or from DEAR_URL and DEAR_TOKEN. Only the standard library is used.
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

from dear.cli.app import CommandFailed

DEFAULT_URL = "http://127.0.0.1:8000"
TIMEOUT = 600

UrlOption = Annotated[
    str,
    typer.Option(
        "--url", envvar="DEAR_URL", help="The Dear server, e.g. http://192.168.1.20:8000."
    ),
]
TokenOption = Annotated[
    str,
    typer.Option(
        "--token",
        envvar="DEAR_TOKEN",
        help="An API token (make one in Settings > API tokens).",
        show_default=False,
    ),
]


@dataclass
class Server:
    url: str
    token: str

    @classmethod
    def of(cls, url: str, token: str) -> Server:
        url = (url or DEFAULT_URL).strip().rstrip("/")
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandFailed(f"--url must be an http:// or https:// address; got {url!r}", 2)
        token = (token or "").strip()
        if not token:
            raise CommandFailed(
                "this needs an API token: pass --token or set DEAR_TOKEN "
                "(make one in Settings > API tokens)",
                2,
            )
        return cls(url, token)

    def _request(self, method: str, path: str, *, body=None, headers=None):
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", **(headers or {})},
        )
        try:
            return urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310 - http(s) only
        except urllib.error.HTTPError as exc:
            raise CommandFailed(_error_message(exc)) from None
        except urllib.error.URLError as exc:
            raise CommandFailed(f"cannot reach Dear at {self.url}: {exc.reason}") from None
        except TimeoutError:
            raise CommandFailed(f"Dear at {self.url} did not answer in time") from None

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


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        error = json.load(exc)["error"]
        return str(error["message"])
    except (ValueError, KeyError, TypeError):
        return f"the server answered {exc.code} {exc.reason}"
