"""Email: how fast real `dear worker` processes empty a full outbox, and how long a
SIGKILLed worker delays it. Run as a part of `make bench`:

    .venv/bin/python bench/run.py --parts email                    # SQLite and PostgreSQL
    .venv/bin/python bench/run.py --parts email --db sqlite --email-letters 300

(Not named email.py: bench/ is first on sys.path, and that name would hide the standard
library's email package from everything, http.client included.)

Each database is seeded once, in a separate process through the letters services, with
N letters already due (Ada to 10 readers with confirmed addresses and no quiet hours), so
the outbox holds N letter emails and their N wake-up tasks, as after a busy day. Then,
each on a fresh copy of that database and against an aiosmtpd server on loopback in this
process: one worker; two workers started together; and one worker SIGKILLed as the N/3-th
message arrives (after it has marked that one sent, before it hears the server's answer,
so it dies holding a lease on the rest of its claim), followed at once by a new worker.
Every arrival is timestamped in the server's handler; the messages are parsed afterwards.
Each run is bounded by timeouts, and fails loudly (a non-zero exit) if any email arrived
twice, any never arrived, or the outbox does not say all N were sent.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as H  # noqa: E402

READERS = 10
# Short, so the recovery run measures the takeover rather than minutes of waiting; the
# shipped defaults are 300 s and 60 s (src/dear/settings.py).
LEASE_SECONDS = 10
TICK_SECONDS = 5
CLAIM = 10  # dear.notify.outbox.CLAIM: emails a worker leases at a time
SEED_TIMEOUT = 900
SEED_URL = "smtp://127.0.0.1:9"  # rows are owed only while email is configured
EMAIL_ENV = {"DEAR_EMAIL_FROM": "Dear <dear@home.test>", "DEAR_PUBLIC_URL": "http://dear.test"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# --- the mail server -----------------------------------------------------------------


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps each message's bytes with its arrival time, and
    calls ``on_arrival(count)`` before answering (so a worker can be killed right there)."""

    port: int = field(default_factory=H.free_port)
    arrivals: list[tuple[float, list[str], bytes]] = field(default_factory=list)
    on_arrival: object = None
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def count(self) -> int:
        with self._arrived:
            return len(self.arrivals)

    def wait_for(self, n: int, timeout: float) -> bool:
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.arrivals) >= n, timeout=timeout)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self._arrived:
            self.arrivals.append((time.monotonic(), list(envelope.rcpt_tos), envelope.content))
            count = len(self.arrivals)
            self._arrived.notify_all()
        if self.on_arrival is not None:
            self.on_arrival(count)
        return "250 Message accepted for delivery"

    def serve(self):
        from aiosmtpd.controller import Controller

        controller = Controller(self, hostname="127.0.0.1", port=self.port)
        controller.start()
        return controller


# --- the workers ---------------------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path

    @classmethod
    def start(cls, env: dict, log_path: Path) -> Worker:
        with open(log_path, "ab") as out:
            process = subprocess.Popen(
                [str(H.BIN / "dear"), "worker"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=H.ROOT,
            )
        return cls(process, log_path)

    def cpu_seconds(self) -> float:
        return H.cpu_seconds_of(self.process.pid)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int | None:
        return H.stop_process(self.process)


# --- seeding and checking, against the worker's database ------------------------------


def seed(db: H.Database, letters: int, readers: int) -> dict:
    argv = [sys.executable, str(Path(__file__)), "seed", "--letters", str(letters)]
    argv += ["--readers", str(readers)]
    env = db.env(DEAR_EMAIL_URL=SEED_URL, DEAR_SEND_UNDO_SECONDS="0", **EMAIL_ENV)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=SEED_TIMEOUT)
    if done.returncode:
        raise RuntimeError(f"seeding failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _seed_here(letters: int, readers: int) -> dict:
    """In the seeding process: people, one home, ``letters`` letters sent and delivered."""
    from dear.cli.django_setup import setup_django

    setup_django()
    from datetime import time as clock

    from django.core.management import call_command
    from django.utils import timezone

    from dear.accounts.models import Person
    from dear.homes.models import Home, Membership
    from dear.letters import services as letters_services
    from dear.notify.models import Notification

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()

    def person(name: str) -> Person:
        return Person.objects.create(
            username=name,
            display_name=name.title(),
            password="!",
            email=f"{name}@home.test",
            email_confirmed_at=timezone.now(),
            quiet_from=clock(0, 0),
            quiet_until=clock(0, 0),  # no quiet hours: the bench runs at any hour
        )

    ada = person("ada")
    people = [person(f"reader{n}") for n in range(readers)]
    home = Home.objects.create(name="The flat")
    for member in (ada, *people):
        Membership.objects.create(home=home, person=member)
    owed = {}
    for n in range(letters):
        reader = people[n % readers]
        letter = letters_services.create_letter(
            ada, home=home.pk, to=[reader.pk], body=f"Letter number {n}."
        )
        letters_services.send(ada, letter.pk)
        owed[str(letter.pk)] = reader.email
    return {
        "letters": owed,
        "notifications": Notification.objects.count(),
        "seconds": round(time.perf_counter() - started, 2),
    }


def outcomes(db: H.Database) -> dict:
    return dict(db.query("SELECT outcome, COUNT(*) FROM notify_notification GROUP BY outcome"))


def leased(db: H.Database) -> tuple[int, float | None]:
    """Emails owed that a worker holds a lease on (after a kill: what the dead one held),
    and when the last of those leases runs out (seconds since the epoch)."""
    sql = (
        "SELECT COUNT(*), MAX(lease_until) FROM notify_notification "
        "WHERE outcome = 'pending' AND lease_token <> ''"
    )
    count, until = db.query(sql)[0]
    if isinstance(until, str):  # SQLite keeps UTC as text
        until = datetime.fromisoformat(until).replace(tzinfo=UTC)
    return count, until.timestamp() if until else None


def tally(box: Mailbox, owed: dict[str, str]) -> dict:
    """Which letter each message told of, and to whom: duplicates, missing, strangers."""
    seen: Counter = Counter()
    strangers = 0
    for _, rcpt, raw in box.arrivals:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        ids = [i for i in UUID.findall(body.get_content() if body else "") if i in owed]
        if len(ids) != 1 or rcpt != [owed[ids[0]]]:
            strangers += 1
            continue
        seen[ids[0]] += 1
    return {
        "received": len(box.arrivals),
        "distinct": len(seen),
        "duplicates": sum(n - 1 for n in seen.values() if n > 1),
        "missing": len(set(owed) - set(seen)),
        "unrecognised": strangers,
    }


def _q(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timings(box: Mailbox, start: float) -> dict:
    """From the workers' start to the last arrival, and the gaps between arrivals: the
    per-email figure (what each email costs the system, however many workers run)."""
    times = [t for t, _, _ in box.arrivals]
    gaps = [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
    n, first, last = len(times), times[0], times[-1]
    return {
        "wall_s": round(last - start, 3),
        "emails_per_s": round(n / (last - start), 1),
        "first_email_after_s": round(first - start, 3),
        "steady_emails_per_s": round((n - 1) / (last - first), 1) if n > 1 else None,
        "gap_ms": {
            "median": round(statistics.median(gaps), 2),
            "p90": round(_q(gaps, 0.9), 2),
            "p99": round(_q(gaps, 0.99), 2),
            "max": round(max(gaps), 2),
        }
        if gaps
        else None,
    }


# --- the runs ------------------------------------------------------------------------


def _env(db: H.Database, box: Mailbox, lease: int, tick: int) -> dict:
    return db.env(
        DEAR_EMAIL_URL=box.url,
        DEAR_EMAIL_LEASE_SECONDS=str(lease),
        DEAR_WORKER_TICK_SECONDS=str(tick),
        **EMAIL_ENV,
    )


def _finish(db, box, owed, workers, result, failures, label) -> dict:
    for worker in workers:
        code = worker.stop()
        if code not in (0, -signal.SIGKILL):
            failures.append(f"{label}: a worker exited {code}:\n{worker.log()}")
    result["check"] = tally(box, owed)
    result["outbox"] = outcomes(db)
    check, n = result["check"], len(owed)
    if check["duplicates"] or check["missing"] or check["unrecognised"] or check["received"] != n:
        failures.append(f"{label}: expected exactly {n} emails, one per letter; got {check}")
    if result["outbox"] != {"sent": n}:
        failures.append(f"{label}: the outbox should say {n} sent; it says {result['outbox']}")
    return result


def throughput(seeded, owed, workers: int, lease, tick, timeout, failures) -> dict:
    label = f"{seeded.kind}, {workers} worker(s)"
    db, box = seeded.copy(), Mailbox()
    controller = box.serve()
    started: list[Worker] = []
    try:
        env = _env(db, box, lease, tick)
        start = time.monotonic()
        started = [Worker.start(env, db.data_dir / f"worker-{n}.log") for n in range(workers)]
        if not box.wait_for(len(owed), timeout):
            failures.append(f"{label}: {box.count()} of {len(owed)} emails in {timeout:.0f} s")
        result = {"workers": workers, **(timings(box, start) if box.arrivals else {})}
        cpu = sum(w.cpu_seconds() for w in started)
        result["worker_cpu_s"] = round(cpu, 2)
        result["worker_cpu_ms_per_email"] = round(cpu * 1000 / max(1, box.count()), 2)
        _finish(db, box, owed, started, result, failures, label)
    finally:
        for worker in started:
            worker.stop()
        controller.stop()
        db.drop()
    gap = (result.get("gap_ms") or {}).get("median")
    H.log(
        f"  {workers} worker(s): {result.get('emails_per_s')} emails/s ({result.get('wall_s')} s "
        f"for {len(owed)}; first after {result.get('first_email_after_s')} s), gap median {gap} "
        f"ms, worker CPU {result['worker_cpu_ms_per_email']} ms/email; "
        f"duplicates {result['check']['duplicates']}"
    )
    return result


def recovery(seeded, owed, lease, tick, timeout, failures) -> dict:
    """One worker SIGKILLed as the N/3-th email arrives, a new one started at once."""
    label = f"{seeded.kind}, recovery"
    n, kill_at = len(owed), len(owed) // 3
    if kill_at % CLAIM == 0:
        kill_at += 1  # not the last of a claim: the dead worker must die holding leases
    db, box = seeded.copy(), Mailbox()
    controller = box.serve()
    killed = threading.Event()
    victim: list[Worker] = []

    def tripwire(count: int) -> None:
        if count == kill_at and victim:
            victim[0].kill()  # it has marked this one sent and waits for our answer
            killed.set()

    box.on_arrival = tripwire
    workers: list[Worker] = []
    try:
        env = _env(db, box, lease, tick)
        start = time.monotonic()
        victim.append(Worker.start(env, db.data_dir / "worker-killed.log"))
        workers.append(victim[0])
        if not killed.wait(timeout):
            raise RuntimeError(f"{label}: {box.count()} emails, no kill in {timeout:.0f} s")
        killed_at = time.monotonic()
        to_epoch = time.time() - killed_at
        pending, (held, lease_ends) = outcomes(db).get("pending", 0), leased(db)
        workers.append(Worker.start(env, db.data_dir / "worker-after.log"))
        if not box.wait_for(n, timeout + 2 * lease):
            failures.append(f"{label}: {box.count()} of {n} emails after the restart")
        last = box.arrivals[-1][0] if box.count() >= n else None
        result = {
            "letters": n,
            "killed_after_emails": kill_at,
            "lease_seconds": lease,
            "tick_seconds": tick,
            "before_kill_s": round(killed_at - start, 3),
            "pending_at_kill": pending,
            "leased_by_the_killed_worker": held,
            "restart_to_all_s": round(last - killed_at, 3) if last else None,
            # The dead worker's emails go once its leases run out and a task or the tick
            # next looks: this is that look's delay.
            "all_sent_after_its_leases_ended_s": round(last + to_epoch - lease_ends, 3)
            if last and lease_ends
            else None,
        }
        _finish(db, box, owed, workers, result, failures, label)
    finally:
        for worker in workers:
            worker.stop()
        controller.stop()
        db.drop()
    H.log(
        f"  recovery: killed after {kill_at} emails holding {result['leased_by_the_killed_worker']}"
        f" leases; all {n} {result['restart_to_all_s']} s "
        f"after the restart (lease {lease} s, tick {tick} s; "
        f"all sent {result['all_sent_after_its_leases_ended_s']} s after its leases ended); "
        f"duplicates {result['check']['duplicates']}"
    )
    return result


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, timeout=10)
    return done.stdout.strip()


def run(kind: str, letters: int, lease: int, tick: int, failures: list[str]) -> dict:
    H.log(f"== email on {kind}: {letters} letters due, lease {lease} s, tick {tick} s")
    seeded = H.Database(kind)
    out: dict = {"database": kind, "uptime_before": uptime()}
    timeout = 120 + letters * 0.3
    try:
        made = seed(seeded, letters, READERS)
        owed = made.pop("letters")
        out["seed"] = {**made, "letters": len(owed), "readers": READERS}
        if made["notifications"] != letters:
            failures.append(f"{kind}: seeding owed {made['notifications']} emails, not {letters}")
        H.log(f"  seeded {len(owed)} letters in {made['seconds']} s")
        out["one_worker"] = throughput(seeded, owed, 1, lease, tick, timeout, failures)
        out["two_workers"] = throughput(seeded, owed, 2, lease, tick, timeout, failures)
        out["recovery"] = recovery(seeded, owed, lease, tick, timeout, failures)
    finally:
        seeded.drop()
        out["uptime_after"] = uptime()
    return out


def run_all(kinds, letters: int, lease: int = LEASE_SECONDS, tick: int = TICK_SECONDS) -> dict:
    """Every database in turn; ``failures`` lists what must fail the run."""
    started = time.monotonic()
    failures: list[str] = []
    result: dict = {"letters": letters, "uptime_before": uptime()}
    for kind in kinds:
        result[kind] = run(kind, letters, lease, tick, failures)
    result["uptime_after"] = uptime()
    result["seconds"] = round(time.monotonic() - started, 1)
    result["failures"] = failures
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Seed the outbox (run by bench/run.py).")
    parser.add_argument("command", choices=["seed"])
    parser.add_argument("--letters", type=int, required=True)
    parser.add_argument("--readers", type=int, default=READERS)
    args = parser.parse_args(argv)
    print(json.dumps(_seed_here(args.letters, args.readers)))


if __name__ == "__main__":
    main(sys.argv[1:])
