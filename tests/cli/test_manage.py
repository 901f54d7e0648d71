"""`dear manage`: Django's management commands with Dear's settings."""

from __future__ import annotations

import subprocess

from tests.server import dear_executable, server_env


def run_dear(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [dear_executable(), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_manage_passes_arguments_and_options_to_django(tmp_path):
    result = run_dear("manage", "showmigrations", "letters", env=server_env(tmp_path / "data"))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["letters", " [ ] 0001_initial"]
    assert all(line.startswith(" [ ] ") for line in lines[1:])


def test_manage_makes_the_data_dir_and_migrates_into_it(tmp_path):
    env = server_env(tmp_path / "data")
    migrate = run_dear("manage", "migrate", "--verbosity", "0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    shown = run_dear("manage", "showmigrations", "letters", env=env)
    lines = shown.stdout.splitlines()
    assert lines[:2] == ["letters", " [X] 0001_initial"]
    assert all(line.startswith(" [X] ") for line in lines[1:])


def test_manage_reports_an_unknown_command_as_django_does(tmp_path):
    result = run_dear("manage", "no_such_command", env=server_env(tmp_path / "data"))

    assert result.returncode == 1
    assert "Unknown command: 'no_such_command'" in result.stderr
