"""`dear worker` as an operator runs it: a real process on a database of its own."""

from __future__ import annotations

import signal
import subprocess

import pytest

from tests import mailserver
from tests.notify.processes import seed
from tests.server import dear_executable

EMAIL_ENV = {"DEAR_EMAIL_FROM": "Dear <dear@home.test>", "DEAR_PUBLIC_URL": "http://dear.test"}


@pytest.fixture
def smtp():
    box, controller = mailserver.start()
    yield box
    controller.stop()


def test_a_worker_that_starts_sends_what_fell_due_while_none_ran(place, start_worker, smtp):
    env = place.env(DEAR_EMAIL_URL=smtp.url, **EMAIL_ENV)
    # Due already, and with no task queued to say so: only the start-up sweep finds them.
    letters = seed(env, "--letters", "5", "--readers", "2", "--lose-wake-ups")["letters"]

    worker = start_worker(env)
    smtp.wait_for(len(letters))

    assert worker.stop() == 0
    assert sorted(m.envelope_to[0] for m in smtp.messages) == sorted(letters.values())
    assert place.outcomes() == {"sent": 5}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_worker_says_it_runs_and_stops_cleanly_on_a_signal(place, start_worker, sig):
    env = place.env()
    seed(env)  # only migrates, and makes people

    worker = start_worker(env)
    assert worker.wait_for_output("Dear's worker is running"), worker.log()

    assert worker.stop(sig) == 0
    assert "Dear's worker has stopped." in worker.log()
    assert "Traceback" not in worker.log()


def test_worker_refuses_a_database_without_its_tables_in_one_line(place):
    result = subprocess.run(
        [dear_executable(), "worker"],
        env=place.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "dear: error: the database is not up to date: start `dear serve` once (it applies "
        "migrations) or run `dear manage migrate`"
    ]


def test_worker_refuses_a_mail_server_url_it_cannot_read_in_one_line(place):
    result = subprocess.run(
        [dear_executable(), "worker"],
        env=place.env(DEAR_EMAIL_URL="ftp://mail.home.test", **EMAIL_ENV),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("dear: error: DEAR_EMAIL_URL")
