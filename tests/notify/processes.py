"""Real `dear worker` processes for tests, on a data dir (and, when the suite runs on
PostgreSQL, a database) of their own, plus what it takes to seed and inspect that
database from outside."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.server import (
    ScratchDatabase,
    dear_executable,
    query_database,
    server_env,
    stop_process,
    suite_uses_postgres,
)

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 15.0


@dataclass
class Place:
    """Where a group of `dear` processes keep their data."""

    data_dir: Path
    database_url: str | None

    def env(self, **overrides: str) -> dict:
        return server_env(self.data_dir, self.database_url, **overrides)

    def query(self, sql: str) -> list[tuple]:
        return query_database(self.data_dir, self.database_url, sql)

    def outcomes(self) -> Counter:
        rows = self.query("SELECT outcome, COUNT(*) FROM notify_notification GROUP BY outcome")
        return Counter(dict(rows))


def seed(env: dict, *args: str) -> dict:
    """Run tests/notify/seed.py in a `dear` process's environment; what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.notify.seed", *args],
        # This tree's code, like the `dear` processes it seeds for, not an installed copy.
        env={**env, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                return text in self.log()
            time.sleep(0.05)
        return True

    def stop(self, sig: int = signal.SIGTERM) -> int:
        return stop_process(self.process, sig, timeout=STOP_TIMEOUT)


@pytest.fixture
def place(tmp_path) -> Iterator[Place]:
    database = None
    if suite_uses_postgres():
        database = ScratchDatabase(os.environ["DEAR_DATABASE_URL"]).create()
    yield Place(tmp_path / "data", database.url if database else None)
    if database is not None:
        database.drop()


@pytest.fixture
def start_worker(tmp_path) -> Iterator:
    """``start(env, *args)``: a `dear worker` in its own session; all stopped at the end."""
    started: list[Worker] = []

    def start(env: dict, *args: str) -> Worker:
        log_path = tmp_path / f"worker-{len(started)}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [dear_executable(), "worker", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
