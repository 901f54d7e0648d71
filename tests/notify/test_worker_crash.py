"""A `dear worker` killed with SIGKILL in the middle of 200 due letter emails: once a new
worker has run, every reader has exactly one email per letter, and the outbox says all
200 were sent. Real processes, a real SMTP server on loopback, and short leases so the
emails the killed worker held are taken over quickly."""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from tests.mailserver import Mailbox
from tests.notify.processes import seed
from tests.server import free_port

LETTERS = 200
KILL_AT = 60
EMAIL_ENV = {
    "DEAR_EMAIL_FROM": "Dear <dear@home.test>",
    "DEAR_PUBLIC_URL": "http://dear.test",
    # Short, so the test need not wait long for a dead worker's leases to run out.
    "DEAR_EMAIL_LEASE_SECONDS": "2",
    "DEAR_WORKER_TICK_SECONDS": "1",
}


@dataclass
class Tripwire(Mailbox):
    """A mailbox that SIGKILLs ``victim`` as the ``at``-th message arrives: after the
    worker has sent the final "." (so has already marked it sent), before it reads the
    server's answer. The message counts as received: the server has it all."""

    at: int = 0
    victim: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        reply = await super().handle_DATA(server, session, envelope)
        if self.victim is not None and len(self.messages) == self.at:
            self.victim.send_signal(signal.SIGKILL)
            self.victim.wait()
        return reply


@pytest.fixture
def tripwire():
    box = Tripwire(port=free_port(), at=KILL_AT)
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    yield box
    controller.stop()


def test_a_worker_killed_mid_batch_leaves_every_email_sent_exactly_once(
    place, start_worker, tripwire
):
    env = place.env(DEAR_EMAIL_URL=tripwire.url, **EMAIL_ENV)
    letters = seed(env, "--letters", str(LETTERS), "--readers", "10")["letters"]
    assert len(letters) == LETTERS

    first = start_worker(env)
    tripwire.victim = first.process
    tripwire.wait_for(KILL_AT, timeout=120)
    assert first.process.wait(timeout=30) == -signal.SIGKILL, first.log()
    assert len(tripwire.messages) == KILL_AT
    assert place.outcomes()["pending"] > 0  # killed in the middle, with work left

    second = start_worker(env)
    tripwire.wait_for(LETTERS, timeout=120)
    assert second.stop() == 0, second.log()

    assert place.outcomes() == Counter({"sent": LETTERS}), second.log()
    emails = Counter()
    for message in tripwire.messages:
        (letter,) = [letter for letter in letters if letter in message.text()]
        assert message.envelope_to == [letters[letter]]
        emails[letter] += 1
    assert emails == Counter(dict.fromkeys(letters, 1))
