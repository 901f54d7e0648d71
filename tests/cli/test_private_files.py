"""What Dear writes to disk (the database and its log, the secret key, backups, exports)
is readable by its owner alone, whatever umask the operator's shell had."""

from __future__ import annotations

import os
import stat
import subprocess
from contextlib import contextmanager

import pytest

from tests.cli.household import household
from tests.server import dear_executable, server_env, suite_uses_postgres

OPEN_UMASK = 0o022  # the usual shell default: new files 0644, new folders 0755


@contextmanager
def umask(mask: int):
    """Processes started inside inherit ``mask``, as from an operator's shell."""
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def run_dear(*args: str, env: dict) -> subprocess.CompletedProcess:
    with umask(OPEN_UMASK):
        return subprocess.run(
            [dear_executable(), *args], env=env, capture_output=True, text=True, timeout=120
        )


@pytest.fixture
def served(dear_server_factory, tmp_path):
    """A `dear serve` started under an open umask in a data dir the operator made 0755,
    with an old 0644 file of Dear's already in it, and a letter written."""
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    old = data / "secret_key"
    old.write_text("a key kept from before\n")
    old.chmod(0o644)
    with umask(OPEN_UMASK):
        server = dear_server_factory(data, send_undo_seconds=0)
    people = household(server)
    people.write(people.jess, people.rory, "Only for us.")
    return server, people


def test_the_data_dir_and_everything_in_it_are_closed_to_others(served):
    server, _ = served
    assert mode(server.data_dir) == 0o700
    files = [p for p in server.data_dir.iterdir() if p.is_file()]
    names = {p.name for p in files}
    assert "secret_key" in names
    if not suite_uses_postgres():
        assert {"dear.sqlite3", "dear.sqlite3-wal"} <= names
    assert {p.name: oct(mode(p)) for p in files} == {p.name: oct(0o600) for p in files}


@pytest.mark.skipif(suite_uses_postgres(), reason="dear backup copies SQLite; pg_dump does this")
def test_a_backup_is_written_for_its_owner_alone(served, tmp_path):
    server, _ = served
    copy = tmp_path / "backup.sqlite3"
    result = run_dear("backup", str(copy), env=server_env(server.data_dir))
    assert result.returncode == 0, result.stderr
    assert mode(copy) == 0o600


def test_an_export_is_written_for_its_owner_alone(served, tmp_path):
    server, people = served
    archive = tmp_path / "jess.zip"
    env = server_env(tmp_path / "cli-data", DEAR_URL=server.base_url, DEAR_TOKEN=people.jess.token)
    result = run_dear("export", str(archive), env=env)
    assert result.returncode == 0, result.stderr
    assert mode(archive) == 0o600
