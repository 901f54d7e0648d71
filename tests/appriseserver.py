"""A real HTTP server on loopback that keeps what push apps would receive, for the Apprise
tests: Apprise's ``json://`` and ``ntfy://`` kinds both POST JSON to it.

``answer`` makes it reply to the next requests with those statuses instead of 200 (a push
app's server having a bad minute); ``on_arrival`` runs as each request has arrived in
full, before the reply goes back (a test kills the worker that sent it there).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Arrived:
    method: str
    path: str
    headers: dict
    body: dict

    @property
    def title(self) -> str:
        return self.body.get("title", "")

    @property
    def message(self) -> str:
        return self.body.get("message", "")

    @property
    def topic(self) -> str:
        return self.body.get("topic", "")


@dataclass
class PushApp:
    host: str = "127.0.0.1"
    port: int = 0
    arrived: list[Arrived] = field(default_factory=list)
    answer: list[int] = field(default_factory=list)  # statuses for the next requests
    on_arrival: Callable[[Arrived, int], None] | None = None
    late: float = 0  # seconds to wait, a request taken, before answering it
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _changed: threading.Condition = field(init=False)
    _server: ThreadingHTTPServer | None = None

    def __post_init__(self):
        self._changed = threading.Condition(self._lock)

    def json_url(self, path: str = "") -> str:
        return f"json://{self.host}:{self.port}/{path}"

    def ntfy_url(self, topic: str) -> str:
        # ntfy:// is plain HTTP, ntfys:// HTTPS (Apprise's ntfy plugin).
        return f"ntfy://{self.host}:{self.port}/{topic}"

    def wait_for(self, count: int, timeout: float = 30) -> list[Arrived]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.arrived) >= count, timeout=timeout)
            return list(self.arrived)

    def titles(self) -> list[str]:
        with self._lock:
            return [each.title for each in self.arrived]

    def _take(self, arrived: Arrived) -> int:
        with self._changed:
            status = self.answer.pop(0) if self.answer else 200
            if status == 200:
                self.arrived.append(arrived)
                count = len(self.arrived)
                self._changed.notify_all()
            else:
                count = 0
        if count and self.on_arrival is not None:
            self.on_arrival(arrived, count)
        return status

    def start(self) -> PushApp:
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"raw": raw.decode("utf-8", "replace")}
                status = app._take(Arrived("POST", self.path, dict(self.headers), body))
                if app.late:
                    time.sleep(app.late)
                reply = b'{"ok": true}' if status == 200 else b'{"error": "not now"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_PUT = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def start() -> PushApp:
    return PushApp().start()
