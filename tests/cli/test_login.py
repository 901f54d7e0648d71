"""`dear login`, `logout` and `whoami` against a real `dear serve`."""

from __future__ import annotations

import json
import stat

import httpx
import pytest

from tests.cli.household import household
from tests.cli.person import terminal
from tests.helpers import PASSWORD
from tests.server import free_port


@pytest.fixture
def people_on_a_server(dear_server_factory):
    server = dear_server_factory(send_undo_seconds=0)
    return server, household(server)


def test_login_keeps_a_private_token_that_whoami_and_logout_use(people_on_a_server, tmp_path):
    server, _ = people_on_a_server
    jess = terminal(tmp_path, "jess")

    logged_in = jess.run("login", server.base_url, "--username", "jess", stdin=PASSWORD + "\n")

    assert logged_in.returncode == 0, logged_in.stderr
    assert "Logged in to" in logged_in.stdout and "as Jess (jess)" in logged_in.stdout
    assert stat.S_IMODE(jess.login_file.stat().st_mode) == 0o600
    kept = json.loads(jess.login_file.read_text())
    assert kept["url"] == server.base_url
    assert PASSWORD not in jess.login_file.read_text()

    who = jess.run("whoami")
    assert who.returncode == 0, who.stderr
    assert who.stdout.strip() == f"Jess (jess) at {server.base_url}; homes: The flat"

    logged_out = jess.run("logout")
    assert logged_out.returncode == 0, logged_out.stderr
    assert not jess.login_file.exists()
    revoked = httpx.get(
        server.url("/api/v1/me"), headers={"Authorization": f"Bearer {kept['token']}"}
    )
    assert revoked.status_code == 401
    after = jess.run("whoami")
    assert after.returncode == 2
    assert "dear login" in after.stderr


def test_login_asks_for_the_username_when_not_given(people_on_a_server, tmp_path):
    server, _ = people_on_a_server
    rory = terminal(tmp_path, "rory")

    result = rory.run("login", server.base_url, stdin=f"rory\n{PASSWORD}\n")

    assert result.returncode == 0, result.stderr
    assert "as Rory (rory)" in result.stdout


def test_token_stdin_keeps_a_token_made_elsewhere(people_on_a_server, tmp_path):
    server, people = people_on_a_server
    rory = terminal(tmp_path, "rory")

    result = rory.run("login", server.base_url, "--token-stdin", stdin=people.rory.token + "\n")

    assert result.returncode == 0, result.stderr
    assert rory.json("whoami")["username"] == "rory"


def test_a_wrong_password_is_one_line_and_keeps_nothing(people_on_a_server, tmp_path):
    server, _ = people_on_a_server
    jess = terminal(tmp_path, "jess")

    result = jess.run("login", server.base_url, "-u", "jess", stdin="not-the-password\n")

    assert result.returncode == 1
    assert result.stderr.startswith("dear: error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not jess.login_file.exists()


def test_a_server_that_is_down_is_one_line(tmp_path):
    jess = terminal(tmp_path, "jess")
    nowhere = f"http://127.0.0.1:{free_port()}"

    result = jess.run("login", nowhere, "-u", "jess", stdin=PASSWORD + "\n")

    assert result.returncode == 1
    assert result.stderr.startswith(f"dear: error: cannot reach Dear at {nowhere}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_url_that_is_not_http_is_a_usage_error(tmp_path):
    result = terminal(tmp_path, "jess").run("login", "ftp://example.org", stdin="x\n")

    assert result.returncode == 2
    assert "http://" in result.stderr


def test_a_kept_token_is_never_sent_to_another_server(people_on_a_server, tmp_path):
    server, people = people_on_a_server
    jess = terminal(tmp_path, "jess")
    jess.run("login", server.base_url, "--token-stdin", stdin=people.jess.token + "\n")

    result = jess.run("whoami", "--url", f"http://127.0.0.1:{free_port()}")

    assert result.returncode == 2
    assert "needs an API token" in result.stderr
