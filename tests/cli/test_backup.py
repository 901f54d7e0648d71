"""`dear backup` and `dear restore` on a real data dir, while `dear serve` is writing."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import uuid

import httpx
import pytest

from tests.cli.household import household
from tests.server import dear_executable, server_env, suite_uses_postgres

sqlite_only = pytest.mark.skipif(
    suite_uses_postgres(), reason="SQLite's online backup; with PostgreSQL, pg_dump does this"
)


def run_dear(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [dear_executable(), *args], env=env, capture_output=True, text=True, timeout=120
    )


class Writers:
    """Threads writing letters through the API; each id is kept once its 201 came back."""

    def __init__(self, server, people, threads: int = 2):
        self.acknowledged: list[str] = []
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.started = threading.Event()
        self._args = (server, people)
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(threads)]

    def _write(self, n: int) -> None:
        server, people = self._args
        headers = {"Authorization": f"Bearer {people.jess.token}"}
        with httpx.Client(base_url=server.url("/api/v1"), headers=headers, timeout=30) as client:
            count = 0
            while not self._stop.is_set():
                body = {"home": people.home, "to": [people.rory.id], "body": f"{n}: {count}"}
                answer = client.post("/letters", json=body)
                if answer.status_code != 201:
                    self.failures.append(answer.text)
                    return
                with self._lock:
                    self.acknowledged.append(answer.json()["id"])
                    if len(self.acknowledged) >= 20:
                        self.started.set()
                count += 1

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def so_far(self) -> list[str]:
        with self._lock:
            return list(self.acknowledged)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


def letter_ids(path) -> set[str]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("INSERT INTO archive_fts(archive_fts) VALUES ('integrity-check')")
        return {uuid.UUID(row[0]).hex for row in db.execute("SELECT id FROM letters_letter")}


@sqlite_only
def test_a_backup_under_load_holds_every_letter_acknowledged_before_it_began(
    dear_server_factory, tmp_path
):
    server = dear_server_factory(send_undo_seconds=0)
    people = household(server)
    copy = tmp_path / "dear-backup.sqlite3"

    with Writers(server, people) as writers:
        assert writers.started.wait(timeout=60), writers.failures
        before = writers.so_far()
        result = run_dear("backup", str(copy), env=server_env(server.data_dir))
        during = writers.so_far()

    assert result.returncode == 0, result.stderr
    assert writers.failures == []
    assert len(during) > len(before), "the writers should have gone on while it copied"
    assert {uuid.UUID(pk).hex for pk in before} <= letter_ids(copy)
    assert "Backed up" in result.stdout


@sqlite_only
def test_restore_puts_a_backup_into_a_fresh_data_dir_and_dear_serves_it(
    dear_server_factory, tmp_path
):
    server = dear_server_factory(send_undo_seconds=0)
    people = household(server)
    letter = people.write(people.jess, people.rory, "Kept safe.")
    copy = tmp_path / "backup.sqlite3"
    assert run_dear("backup", str(copy), env=server_env(server.data_dir)).returncode == 0

    fresh = tmp_path / "elsewhere" / "data"
    restored = run_dear("restore", str(copy), env=server_env(fresh))

    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    again = dear_server_factory(fresh)
    headers = {"Authorization": f"Bearer {people.rory.token}"}
    answer = httpx.get(again.url(f"/api/v1/letters/{letter}"), headers=headers, timeout=30)
    assert answer.status_code == 200
    assert answer.json()["body"] == "Kept safe."
    found = httpx.get(again.url("/api/v1/search"), params={"q": "safe"}, headers=headers)
    assert [item["id"] for item in found.json()["items"]] == [letter]


@sqlite_only
def test_restore_will_not_replace_letters_without_force(dear_server_factory, tmp_path):
    server = dear_server_factory(send_undo_seconds=0)
    people = household(server)
    first = people.write(people.jess, people.rory, "First.")
    copy = tmp_path / "backup.sqlite3"
    assert run_dear("backup", str(copy), env=server_env(server.data_dir)).returncode == 0
    later = people.write(people.jess, people.rory, "Written after the backup.")
    server.stop()

    refused = run_dear("restore", str(copy), env=server_env(server.data_dir))

    assert refused.returncode == 1
    assert "already holds 2 letters" in refused.stderr
    assert "--force" in refused.stderr
    assert {first, later} <= {
        str(uuid.UUID(pk)) for pk in letter_ids(server.data_dir / "dear.sqlite3")
    }

    forced = run_dear("restore", "--force", str(copy), env=server_env(server.data_dir))

    assert forced.returncode == 0, forced.stderr
    ids = {str(uuid.UUID(pk)) for pk in letter_ids(server.data_dir / "dear.sqlite3")}
    assert first in ids and later not in ids


@sqlite_only
def test_backup_will_not_overwrite_a_file_without_force(dear_server, tmp_path):
    copy = tmp_path / "backup.sqlite3"
    copy.write_text("something precious")

    result = run_dear("backup", str(copy), env=server_env(dear_server.data_dir))

    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert copy.read_text() == "something precious"


@sqlite_only
@pytest.mark.parametrize(
    ("content", "says"),
    [(b"hello", "not a backup made by `dear backup`"), (None, "not one of Dear's")],
)
def test_restore_refuses_a_file_that_is_not_a_dear_backup(tmp_path, content, says):
    file = tmp_path / "thing"
    if content is None:
        with sqlite3.connect(file) as db:
            db.execute("CREATE TABLE t (x)")
    else:
        file.write_bytes(content)

    result = run_dear("restore", str(file), env=server_env(tmp_path / "data"))

    assert result.returncode == 1
    assert says in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_with_postgresql_the_commands_point_to_its_own_tools(tmp_path, command):
    file = tmp_path / "dear.dump"
    file.write_bytes(b"")
    env = server_env(tmp_path / "data", "postgres://dear@127.0.0.1:1/dear")

    result = run_dear(command, str(file), env=env)

    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr
    assert ("pg_dump" if command == "backup" else "pg_restore") in result.stderr
