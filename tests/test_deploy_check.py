"""Django's deployment checklist passes with the settings an operator would use."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.server import server_env


def check_deploy(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    env = server_env(tmp_path / "data", DJANGO_SETTINGS_MODULE="dear.settings", **settings)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_finds_no_issues_behind_https(tmp_path):
    result = check_deploy(tmp_path, DEAR_HTTPS="on", DEAR_DEBUG="off")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_silences_only_the_https_checks_on_plain_http(tmp_path):
    result = check_deploy(tmp_path, DEAR_HTTPS="off", DEAR_DEBUG="off")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (4 silenced)." in result.stdout


@pytest.mark.parametrize("https", ["on", "off"])
def test_check_deploy_fails_with_debug_on(tmp_path, https):
    result = check_deploy(tmp_path, DEAR_HTTPS=https, DEAR_DEBUG="on")

    assert result.returncode == 1
    assert "security.W018" in result.stderr
