"""`dear search`, `dear export` and `dear import` against a real `dear serve`."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from tests.cli.household import household
from tests.server import dear_executable, server_env


def run_dear(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [dear_executable(), *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def home_on_a_server(dear_server_factory, tmp_path):
    server = dear_server_factory(send_undo_seconds=0)
    people = household(server)
    return server, people


def as_person(server, person, tmp_path) -> dict:
    return server_env(tmp_path / "cli-data", DEAR_URL=server.base_url, DEAR_TOKEN=person.token)


def test_search_prints_the_letters_that_match_with_their_passage(home_on_a_server, tmp_path):
    server, people = home_on_a_server
    people.write(people.jess, people.rory, "I left a note under the coffee cup.")
    people.write(people.jess, people.rory, "A draft about coffee Rory must not see.", send=False)

    result = run_dear("search", "coffee", env=as_person(server, people.rory, tmp_path))

    assert result.returncode == 0, result.stderr
    assert "From Jess" in result.stdout
    assert "under the coffee cup" in result.stdout
    assert "must not see" not in result.stdout


def test_search_says_so_when_nothing_matches(home_on_a_server, tmp_path):
    server, people = home_on_a_server

    result = run_dear("search", "zeppelin", env=as_person(server, people.rory, tmp_path))

    assert result.returncode == 0
    assert "No letter you can read matches that." in result.stdout


def test_search_without_a_token_says_how_to_get_one(home_on_a_server, tmp_path):
    server, _ = home_on_a_server
    env = server_env(tmp_path / "cli-data", DEAR_URL=server.base_url)

    result = run_dear("search", "coffee", env=env)

    assert result.returncode == 2
    assert "needs an API token" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_token_gets_the_servers_one_line_answer(home_on_a_server, tmp_path):
    server, _ = home_on_a_server
    env = server_env(tmp_path / "cli-data", DEAR_URL=server.base_url, DEAR_TOKEN="dear_wrong")

    result = run_dear("search", "coffee", env=env)

    assert result.returncode == 1
    assert result.stderr.startswith("dear: error: This needs an API token")


def test_an_unreachable_server_is_one_line(tmp_path):
    env = server_env(tmp_path / "d", DEAR_URL="http://127.0.0.1:9", DEAR_TOKEN="dear_x")

    result = run_dear("search", "coffee", env=env)

    assert result.returncode == 1
    assert result.stderr.startswith("dear: error: cannot reach Dear at http://127.0.0.1:9")


def test_export_then_import_restores_the_letters_as_an_archive(home_on_a_server, tmp_path):
    server, people = home_on_a_server
    people.write(people.jess, people.rory, "Across the sea.")
    people.write(people.rory, people.jess, "And back again.")
    archive = tmp_path / "jess.zip"

    exported = run_dear("export", str(archive), env=as_person(server, people.jess, tmp_path))

    assert exported.returncode == 0, exported.stderr
    data = json.loads(zipfile.ZipFile(archive).read("archive.json"))
    assert sorted(letter["body"] for letter in data["letters"]) == [
        "Across the sea.",
        "And back again.",
    ]
    refused = run_dear("export", str(archive), env=as_person(server, people.jess, tmp_path))
    assert refused.returncode == 1
    assert "already exists" in refused.stderr

    imported = run_dear("import", str(archive), env=as_person(server, people.jess, tmp_path))

    assert imported.returncode == 0, imported.stderr
    assert "The archive holds 2 letters; restoring them here." in imported.stdout
    assert "Imported 2 letters" in imported.stdout
    # The original and its copy in the archive's own home; Rory sees only the original.
    found = people.jess.client.get("/search", params={"q": "across"}).json()["items"]
    assert [item["body"] for item in found] == ["Across the sea.", "Across the sea."]
    assert len({item["home"] for item in found}) == 2
    assert len(people.rory.client.get("/search", params={"q": "across"}).json()["items"]) == 1


def test_import_of_something_else_is_refused_with_the_reason(home_on_a_server, tmp_path):
    server, people = home_on_a_server
    not_a_zip = tmp_path / "notes.zip"
    not_a_zip.write_text("just some notes")

    result = run_dear("import", str(not_a_zip), env=as_person(server, people.jess, tmp_path))

    assert result.returncode == 1
    assert "not a zip" in result.stderr


def test_importing_the_same_archive_again_adds_nothing(home_on_a_server, tmp_path):
    server, people = home_on_a_server
    people.write(people.jess, people.rory, "Across the sea.")
    archive = tmp_path / "jess.zip"
    env = as_person(server, people.jess, tmp_path)
    assert run_dear("export", str(archive), env=env).returncode == 0
    assert run_dear("import", str(archive), env=env).returncode == 0

    again = run_dear("import", str(archive), env=env)

    assert again.returncode == 1
    assert "You already imported this archive on" in again.stderr
    found = people.jess.client.get("/search", params={"q": "across"}).json()["items"]
    assert len(found) == 2
