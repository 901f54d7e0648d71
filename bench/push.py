"""Push apps: the time from a letter sent through the API to its notification arriving at
a push app's server, and the worker's CPU per notification.

    .venv/bin/python bench/push.py                       # SQLite, 100 letters
    .venv/bin/python bench/push.py --db postgres --letters 100 --interval 0.2
    .venv/bin/python bench/push.py --bulk 1000           # a full outbox instead

A real `dear serve --no-worker` and a real `dear worker` (its own process, so its CPU is
its own), Ada writing to Bo (no quiet hours, no undo window), and Bo's push app an
Apprise json:// URL on an HTTP server on loopback in this process
(tests/appriseserver.py), which timestamps each arrival as its request comes in. One
letter at a time: the clock starts just before POST /letters/{id}/send and stops when
that letter's notification arrives. The worker wakes for a letter through the task
queue, which it looks at every ``--interval`` seconds (`dear worker`'s default: 1 s), so
that interval bounds the figure. Letters are sent a random while apart (up to twice that
interval), as people send them, not in step with the worker's naps. Worker CPU is read
from /proc before and after; the same worker's CPU over an idle stretch as long is
measured too, and subtracted.

With ``--bulk N``: N letters already due (tests/notify/seed.py, 10 readers each with a
push app), then one worker started to send them all: its wall time and CPU per
notification when a wake-up carries many, as after a day the server was off.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness as H  # noqa: E402
from tests.appriseserver import PushApp  # noqa: E402

ARRIVAL_TIMEOUT = 30.0


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--interval", type=float, default=1.0, help="dear worker --interval")
    parser.add_argument("--bulk", type=int, default=0, help="this many letters already due")
    args = parser.parse_args(argv)
    if args.bulk:
        return bulk(args)

    db = H.Database(args.db)
    app = PushApp().start()
    arrivals: dict[int, float] = {}
    arrived = threading.Condition()

    def stamp(_push, count: int) -> None:
        with arrived:
            arrivals[count] = time.monotonic()
            arrived.notify_all()

    app.on_arrival = stamp
    env = {"DEAR_SEND_UNDO_SECONDS": "0", "DEAR_PUBLIC_URL": "http://dear.test"}
    server = H.dear_serve(db, "--no-worker", env=env).start()
    worker = None
    try:
        base = server.base_url
        h = H.household(base)
        quiet = {"quiet_from": "00:00", "quiet_until": "00:00"}
        H.api(base, "PATCH", "/me", h.reader_token, quiet)
        _, channel = H.api(
            base, "POST", "/me/channels", h.reader_token, {"kind": "apprise", "url": app.json_url()}
        )
        assert channel["test"]["ok"], channel
        first = len(app.arrived)

        log_path = db.data_dir / "worker.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [str(H.BIN / "dear"), "worker", "--interval", str(args.interval)],
                env=db.env(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=H.ROOT,
            )
        time.sleep(3)  # its start-up sweep, done before the clock starts

        latencies = []
        cpu_before, wall_before = H.cpu_seconds_of(worker.pid), time.monotonic()
        for n in range(args.letters):
            _, letter = H.api(
                base,
                "POST",
                "/letters",
                h.writer_token,
                {"home": h.home, "to": [h.reader], "body": f"Letter {n}."},
            )
            expected = first + n + 1
            started = time.monotonic()
            H.api(base, "POST", f"/letters/{letter['id']}/send", h.writer_token)
            with arrived:
                if not arrived.wait_for(lambda e=expected: e in arrivals, ARRIVAL_TIMEOUT):
                    raise RuntimeError(f"letter {n} never arrived:\n{log_path.read_text()}")
            latencies.append(arrivals[expected] - started)
            time.sleep(random.uniform(0, 2 * args.interval))
        busy_cpu = H.cpu_seconds_of(worker.pid) - cpu_before
        busy_wall = time.monotonic() - wall_before

        idle_cpu = H.cpu_seconds_of(worker.pid)
        time.sleep(busy_wall)
        idle_cpu = H.cpu_seconds_of(worker.pid) - idle_cpu

        titles = [push.title for push in app.arrived[first:]]
        if titles != ["A letter from Ada"] * args.letters:
            raise RuntimeError(f"expected one notification per letter, got {len(titles)}")
        ms = sorted(1000 * x for x in latencies)
        result = {
            "db": args.db,
            "letters": args.letters,
            "worker_interval_s": args.interval,
            "latency_ms": {
                "median": round(statistics.median(ms), 1),
                "p90": round(ms[int(0.9 * (len(ms) - 1))], 1),
                "min": round(ms[0], 1),
                "max": round(ms[-1], 1),
            },
            "worker_cpu_ms_per_notification": round(1000 * busy_cpu / args.letters, 2),
            "worker_idle_cpu_ms_same_wall": round(1000 * idle_cpu, 1),
            "worker_cpu_ms_per_notification_less_idle": round(
                1000 * (busy_cpu - idle_cpu) / args.letters, 2
            ),
            "wall_s": round(busy_wall, 1),
            "machine": H.machine(),
        }
        print(json.dumps(result, indent=2))
        return result
    finally:
        if worker is not None:
            H.stop_process(worker)
        server.stop()
        app.stop()
        db.drop()


def bulk(args) -> dict:
    db = H.Database(args.db)
    app = PushApp().start()
    try:
        env = db.env(
            DEAR_PUBLIC_URL="http://dear.test",
            PYTHONPATH=f"{H.ROOT / 'src'}:{H.ROOT}",
        )
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.notify.seed", "--letters", str(args.bulk)]
            + ["--readers", "10", "--apprise", app.json_url("{reader}")],
            env=env,
            cwd=H.ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if seeded.returncode != 0:
            raise RuntimeError(seeded.stderr)
        started = time.monotonic()
        worker = subprocess.Popen(
            [str(H.BIN / "dear"), "worker", "--interval", str(args.interval)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd=H.ROOT,
        )
        try:
            app.wait_for(args.bulk, timeout=600)
            wall = time.monotonic() - started
            cpu = H.cpu_seconds_of(worker.pid)
        finally:
            H.stop_process(worker)
        if len(app.arrived) != args.bulk:
            raise RuntimeError(f"{len(app.arrived)} of {args.bulk} arrived")
        result = {
            "db": args.db,
            "bulk_letters": args.bulk,
            "wall_s_from_worker_start": round(wall, 2),
            "notifications_per_s": round(args.bulk / wall, 1),
            "worker_cpu_s_incl_start_up": round(cpu, 2),
            "worker_cpu_ms_per_notification": round(1000 * cpu / args.bulk, 2),
            "machine": H.machine(),
        }
        print(json.dumps(result, indent=2))
        return result
    finally:
        app.stop()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1:])
