"""`dear` itself: the commands it offers."""

from __future__ import annotations

import subprocess

from tests.server import dear_executable, server_env


def test_dear_help_lists_its_commands(tmp_path):
    result = subprocess.run(
        [dear_executable(), "--help"],
        env=server_env(tmp_path / "data", COLUMNS="100"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    for command in ("serve", "manage"):
        assert f" {command} " in result.stdout
