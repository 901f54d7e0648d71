"""A `dear worker` killed with SIGKILL in the middle of sending 200 letters' pushes to a
push app: once a new worker has run, each letter has arrived exactly once, and the
outbox says all 200 were sent. Real processes, Apprise's json:// kind against a real
HTTP server on loopback, and short leases so the pushes the killed worker held are
taken over quickly."""

from __future__ import annotations

import re
import signal
from collections import Counter

from tests.appriseserver import PushApp
from tests.notify.processes import seed

LETTERS = 200
KILL_AT = 60
ENV = {
    "DEAR_PUBLIC_URL": "http://dear.test",
    # Short, so the test need not wait long for a dead worker's leases to run out.
    "DEAR_EMAIL_LEASE_SECONDS": "2",
    "DEAR_WORKER_TICK_SECONDS": "1",
}


def test_a_worker_killed_mid_send_leaves_every_push_arrived_exactly_once(place, start_worker):
    app = PushApp().start()
    try:
        env = place.env(**ENV)  # no mail server: the push app is the only way
        seeded = seed(
            env,
            "--letters",
            str(LETTERS),
            "--readers",
            "10",
            "--apprise",
            app.json_url("{reader}"),
        )
        letters = seeded["letters"]
        assert len(letters) == LETTERS

        first = start_worker(env)

        def kill_first(arrived, count):
            # The request is in, its answer not yet sent: the worker dies waiting for it.
            if count == KILL_AT:
                first.process.send_signal(signal.SIGKILL)
                first.process.wait()

        app.on_arrival = kill_first
        app.wait_for(KILL_AT, timeout=120)
        assert first.process.wait(timeout=30) == -signal.SIGKILL, first.log()
        assert len(app.arrived) == KILL_AT
        assert place.outcomes()["pending"] > 0  # killed in the middle, with work left

        second = start_worker(env)
        app.wait_for(LETTERS, timeout=120)
        assert second.stop() == 0, second.log()
    finally:
        app.stop()

    assert place.outcomes() == Counter({"sent": LETTERS}), second.log()
    arrived = Counter()
    for push in app.arrived:
        (letter,) = re.findall(r"/letters/([0-9a-f-]{36})", push.body["message"])
        reader = push.path.strip("/")
        assert letters[letter] == f"{reader}@home.test"
        arrived[letter] += 1
    assert arrived == Counter(dict.fromkeys(letters, 1))
