"""`dear serve` runs a worker beside the web server unless told not to: a letter sent
through the API of a real server reaches a real mailbox, and the worker stops with it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests import mailserver
from tests.notify.processes import seed
from tests.server import dear_executable, server_env

PROC = Path("/proc")
pytestmark = pytest.mark.skipif(not PROC.is_dir(), reason="finds processes through /proc")


@pytest.fixture
def smtp():
    box, controller = mailserver.start()
    yield box
    controller.stop()


@pytest.fixture
def email_env(smtp):
    return {
        "DEAR_EMAIL_URL": smtp.url,
        "DEAR_EMAIL_FROM": "Dear <dear@home.test>",
        "DEAR_PUBLIC_URL": "http://dear.test",
    }


def workers_of(pid: int) -> list[int]:
    """The `dear worker` processes whose parent is ``pid``."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended while we looked
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"worker" in command and b"dear" in command:
            found.append(int(entry.name))
    return found


def gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def env_of(server, overrides: dict) -> dict:
    """The environment a `dear` process needs to work on ``server``'s data."""
    return server_env(server.data_dir, server.database_url, **overrides)


def send_letter(server, world: dict) -> str:
    headers = {"Authorization": f"Bearer {world['token']}"}
    with httpx.Client(base_url=server.url("/api/v1"), headers=headers, timeout=10) as api:
        home = api.get("/me").json()["homes"][0]["id"]
        to = world["readers"]["reader0@home.test"]
        letter = api.post("/letters", json={"home": home, "to": [to], "body": "Look up."})
        assert letter.status_code == 201, letter.text
        sent = api.post(f"/letters/{letter.json()['id']}/send", json={})
        assert sent.status_code == 200, sent.text
        return letter.json()["id"]


def test_serve_runs_a_worker_that_emails_a_letter_sent_through_the_api(
    dear_server_factory, smtp, email_env
):
    server = dear_server_factory(send_undo_seconds=0, env=email_env)
    (worker,) = workers_of(server.process.pid)
    world = seed(env_of(server, email_env), "--readers", "1")

    letter = send_letter(server, world)

    (email,) = smtp.wait_for(1)
    assert email.envelope_to == ["reader0@home.test"]
    assert letter in email.text()
    assert server.stop() == 0
    assert gone(worker), "the worker outlived `dear serve`"


def test_serve_with_no_worker_leaves_the_emails_to_a_dear_worker(
    dear_server_factory, start_worker, smtp, email_env
):
    server = dear_server_factory(send_undo_seconds=0, env=email_env, args=("--no-worker",))
    assert workers_of(server.process.pid) == []
    env = env_of(server, email_env)
    world = seed(env, "--readers", "1")

    letter = send_letter(server, world)

    assert smtp.messages == []  # nobody here to send it: no worker process exists
    start_worker(env)
    (email,) = smtp.wait_for(1)
    assert letter in email.text()


def test_a_killed_server_takes_its_worker_with_it(dear_server_factory, email_env):
    server = dear_server_factory(env=email_env)
    (worker,) = workers_of(server.process.pid)

    server.process.send_signal(signal.SIGKILL)
    server.process.wait()

    try:
        assert gone(worker), "the worker outlived a killed `dear serve`"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)  # the web workers it left


def wait_for(condition, timeout: float = 20):
    """Poll ``condition`` until it gives something truthy: a process to appear, not time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    return condition()


def test_a_worker_that_dies_is_started_again_and_says_why(dear_server_factory, smtp, email_env):
    server = dear_server_factory(send_undo_seconds=0, env=email_env)
    (first,) = workers_of(server.process.pid)

    os.kill(first, signal.SIGKILL)

    second = wait_for(lambda: [pid for pid in workers_of(server.process.pid) if pid != first])
    assert len(second) == 1, "no worker was started again"
    assert server.wait_for_output("Dear's worker stopped (killed by SIGKILL)")
    # The new one does the work: a letter sent now is emailed.
    world = seed(env_of(server, email_env), "--readers", "1")
    letter = send_letter(server, world)
    (email,) = smtp.wait_for(1)
    assert letter in email.text()
    assert server.stop() == 0
    assert gone(second[0]), "the restarted worker outlived `dear serve`"


def niceness(pid: int) -> int:
    return int((PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[16])


def test_the_worker_leaves_the_processor_to_the_server_first(dear_server_factory):
    server = dear_server_factory()
    # It lowers itself once it is set up and says so: not before.
    assert server.wait_for_output("Dear's worker is running")
    (worker,) = workers_of(server.process.pid)

    assert niceness(worker) == min(niceness(server.process.pid) + 10, 19)


def test_dear_status_says_whether_a_worker_is_sweeping(dear_server_factory, email_env):
    env = {**email_env, "DEAR_WORKER_TICK_SECONDS": "1"}
    server = dear_server_factory(env=env, args=("--no-worker",))

    def status():
        return subprocess.run(
            [dear_executable(), "status"], env=env_of(server, env), capture_output=True, text=True
        )

    idle = status()
    assert idle.returncode == 1
    assert "never swept" in idle.stdout

    worker = subprocess.Popen([dear_executable(), "worker"], env=env_of(server, env))
    try:

        def says_alive():
            seen = subprocess.run(
                [dear_executable(), "status"],
                env=env_of(server, env),
                capture_output=True,
                text=True,
            )
            return seen if seen.returncode == 0 else None

        alive = wait_for(says_alive, timeout=60)
        assert alive is not None, "the worker never swept"
        assert "Worker: alive" in alive.stdout
        assert "Emails due and not yet sent: none." in alive.stdout
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_stopping_the_whole_server_group_starts_no_worker_again(dear_server_factory):
    server = dear_server_factory()
    (worker,) = workers_of(server.process.pid)

    os.killpg(server.process.pid, signal.SIGTERM)  # as a service manager stops a service
    server.process.wait(timeout=30)

    assert gone(worker)
    assert "starting it again" not in server.log()
    assert workers_of(server.process.pid) == []
