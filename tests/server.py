"""A real `dear serve` process for tests that need one (CLI, crash and browser tests).

Use it from a conftest.py or test module::

    from tests.server import dear_server, dear_server_factory  # noqa: F401

    def test_something(dear_server):
        httpx.get(dear_server.url("/api/v1/healthz"))

    def test_other(dear_server_factory):
        server = dear_server_factory(send_undo_seconds=0)

Each server gets a free loopback port, a fresh data dir and, when the suite runs on
PostgreSQL (DEAR_DATABASE_URL), a fresh database of its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
READY_PATH = "/api/v1/healthz"


def dear_executable() -> str:
    """The `dear` console script installed next to the Python running the tests."""
    beside = Path(sys.executable).parent / "dear"
    found = str(beside) if beside.exists() else shutil.which("dear")
    if not found:
        raise RuntimeError("no `dear` command installed; run `pip install -e .` first")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(data_dir: Path, database_url: str | None = None, **overrides: str) -> dict:
    """The environment for a `dear` process: ours, minus any DEAR_* setting of the suite."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEAR_")}
    env["DEAR_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DEAR_DATABASE_URL"] = database_url
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


def query_database(data_dir: Path, database_url: str | None, sql: str) -> list[tuple]:
    """The rows ``sql`` answers from a server's database, read from beside it."""
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn:
            return conn.execute(sql).fetchall()
    with sqlite3.connect(data_dir / "dear.sqlite3") as conn:
        return conn.execute(sql).fetchall()


def suite_uses_postgres() -> bool:
    return os.environ.get("DEAR_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


class ScratchDatabase:
    """A PostgreSQL database made for one server, on the server the suite uses."""

    def __init__(self, base_url: str):
        self.name = f"dear_srv_{secrets.token_hex(6)}"
        parts = urlsplit(base_url)
        self._admin_url = base_url
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def _run(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> ScratchDatabase:
        self._run(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def stop_process(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout=STOP_TIMEOUT):
    """Signal ``process`` as a service manager would; if it does not stop in time, kill its
    whole group (it runs in a session of its own, so that reaches its children and nothing
    else). Returns its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


@dataclass
class DearServer:
    process: subprocess.Popen
    port: int
    data_dir: Path
    log_path: Path
    database_url: str | None = field(repr=False)
    env: dict = field(repr=False)
    returncode: int | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def query(self, sql: str) -> list[tuple]:
        return query_database(self.data_dir, self.database_url, sql)

    def wait_for_output(self, text: str, timeout: float = READY_TIMEOUT) -> bool:
        """Whether ``text`` shows up in the server's output within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                return text in self.log()
            time.sleep(0.05)
        return True

    def wait_until_ready(self, timeout: float = READY_TIMEOUT) -> None:
        # A worker binds the port only after loading Django, so any HTTP answer at all
        # (404 included, until the API has its health check) means the server is up.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"`dear serve` exited with status {self.process.returncode}:\n{self.log()}"
                )
            try:
                httpx.get(self.url(READY_PATH), timeout=2)
            except httpx.TransportError:
                time.sleep(0.05)
            else:
                return
        self.stop()
        raise RuntimeError(f"`dear serve` did not answer within {timeout}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Stop the server as a service manager would; kill it if it does not stop."""
        if self.returncode is not None:
            return self.returncode
        self.returncode = stop_process(self.process, sig)
        return self.returncode


StartServer = Callable[..., DearServer]


@pytest.fixture
def dear_server_factory(tmp_path_factory) -> Iterator[StartServer]:
    """Start `dear serve` processes; all are stopped, their databases dropped, at teardown.

    ``start(data_dir=None, send_undo_seconds=None, env=None, args=(), port=None)``: pass
    the same ``data_dir`` to start again on the data a stopped server left behind; pass a
    ``port`` (from ``free_port()``) when the environment must name the server's own
    address before it starts, as DEAR_PUBLIC_URL does.
    """
    servers: list[DearServer] = []
    databases: dict[Path, ScratchDatabase] = {}

    def start(
        data_dir: Path | None = None,
        *,
        send_undo_seconds: int | None = None,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        port: int | None = None,
    ) -> DearServer:
        data_dir = data_dir or tmp_path_factory.mktemp("dear-data") / "data"
        database_url = None
        if suite_uses_postgres():
            if data_dir not in databases:
                databases[data_dir] = ScratchDatabase(os.environ["DEAR_DATABASE_URL"]).create()
            database_url = databases[data_dir].url
        overrides = dict(env or {})
        if send_undo_seconds is not None:
            overrides["DEAR_SEND_UNDO_SECONDS"] = str(send_undo_seconds)
        port = port or free_port()
        log_path = data_dir.parent / f"serve-{port}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [dear_executable(), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                env=server_env(data_dir, database_url, **overrides),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = DearServer(process, port, data_dir, log_path, database_url, env=overrides)
        servers.append(server)
        server.wait_until_ready()
        return server

    yield start

    for server in servers:
        server.stop()
    for database in databases.values():
        database.drop()


@pytest.fixture
def dear_server(dear_server_factory) -> DearServer:
    """One running server with default settings."""
    return dear_server_factory()
