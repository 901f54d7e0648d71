"""An import of 100,000 letters into a real `dear serve` while others read and write.

    python bench/imports.py                      # SQLite and PostgreSQL
    python bench/imports.py --db sqlite --letters 100000 --clients 4
    python bench/imports.py --think-ms 100       # each client pausing as a person does

Per database: a fresh `dear serve` as shipped (its worker beside it, ticking every 5 s),
Ada and Bo in one home, and Cy, who imports an archive of ``--letters`` letters (drafts,
kept, sent and received, a revision on every tenth). First, with nothing imported, the
`/healthz` floor and the soak's mixed workload (`mix.lua`: write, autosave, send, inbox
API and page, home page, health) at ``--clients`` connections, with one more client
asking `/healthz` beside it (its writes wait for the database, `/healthz` only for the
CPU), twice. Then Cy uploads the archive and the same runs go on in 10 s slices until
the import is done. With ``--think-ms``, each mix client pauses that long between its
requests, as people do, instead of asking again the moment it is answered: latency at a
household's pace rather than at the most the server can take. Reported: how long the
upload took to answer, how long the import took, both p99s in every slice beside the
floor and beside the runs before the import, errors, and whether the worker stayed alive
(the same process from start to end, no restart in the server's log, and a sweep
finished after the import did).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as H  # noqa: E402

SLICE_SECONDS = 10
TICK_SECONDS = 5


def archive_json(letters: int) -> bytes:
    """An archive as `dear export` writes it: Cy's letters with Dee, in one home."""
    me, dee, home = (str(uuid.uuid4()) for _ in range(3))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    states = ["draft", "kept", "sent", "sent", "discarded"]
    items = []
    for n in range(letters):
        at = (start + timedelta(minutes=n)).isoformat()
        mine = n % 3 != 2
        state = states[n % len(states)] if mine else "sent"
        letter = {
            "id": str(uuid.uuid4()),
            "home": home,
            "from": me if mine else dee,
            "to": [dee] if mine else [me],
            "salutation": "Dear Dee," if mine else "Dear Cy,",
            "body": f"Letter {n}: the kettle, the stairs, the light left on for you.",
            "closing": "Cy" if mine else "Dee",
            "state": state,
            "state_before_discard": "draft" if state == "discarded" else "",
            "revision": 1 if mine else None,
            "written_at": at,
            "sent_at": at if state == "sent" else None,
            "deliveries": [{"to": dee if mine else me, "delivered_at": at, "read_at": at}]
            if state == "sent"
            else [],
            "revisions": [{"number": 1, "body": f"Letter {n}, a first go.", "saved_at": at}]
            if mine and n % 10 == 0
            else [],
        }
        items.append(letter)
    data = {
        "format": "dear-archive",
        "version": 1,
        "person": {"id": me, "display_name": "Cy"},
        "homes": [{"id": home, "name": "The old flat"}],
        "people": [{"id": me, "display_name": "Cy"}, {"id": dee, "display_name": "Dee"}],
        "places": [],
        "letters": items,
    }
    return json.dumps(data).encode()


def zipped(raw: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive.json", raw)
    return buffer.getvalue()


def upload(base_url: str, token: str, content: bytes) -> tuple[int, dict, float]:
    """POST /api/v1/import as `dear import` does; the answer and how long it took."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="archive"; '
            f'filename="cy.zip"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    started = time.monotonic()
    status, _, raw = H.request(
        base_url, "POST", "/api/v1/import", body=None, headers=headers, timeout=600, raw=body
    )
    return status, json.loads(raw), time.monotonic() - started


class Follower(threading.Thread):
    """Uploads the archive, then follows the import until it ends."""

    def __init__(self, base_url: str, token: str, content: bytes):
        super().__init__(daemon=True)
        self.base_url, self.token, self.content = base_url, token, content
        self.answer: dict = {}
        self.timeline: list[tuple[float, int]] = []
        self.error = ""

    def run(self) -> None:
        try:
            self.started = time.monotonic()
            status, answer, self.upload_seconds = upload(self.base_url, self.token, self.content)
            if status != 202:
                self.error = f"upload answered {status}: {answer}"
                return
            while answer["state"] in ("pending", "running"):
                time.sleep(1)
                _, answer = H.api(self.base_url, "GET", f"/import/{answer['id']}", self.token)
                self.timeline.append((round(time.monotonic() - self.started, 1), answer["done"]))
            self.answer = answer
            self.seconds = time.monotonic() - self.started
        except Exception as exc:  # noqa: BLE001 - reported, and the run fails
            self.error = repr(exc)


def worker_pid(server: H.Server) -> int | None:
    for pid in server.pids():
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in argv:
            return pid
    return None


def sweeps_finished(db: H.Database) -> int:
    sql = (
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'dear.notify.tasks.sweep' AND status = 'SUCCESSFUL'"
    )
    return db.query(sql)[0][0]


def newcomer(base_url: str, h: H.Household) -> str:
    _, invite = H.api(base_url, "POST", f"/homes/{h.home}/invites", h.writer_token)
    _, cy = H.api(
        base_url,
        "POST",
        "/signup",
        body={
            "username": "cy",
            "password": H.PASSWORD,
            "display_name": "Cy",
            "invite": invite["code"],
        },
    )
    return cy["token"]


def run(kind: str, letters: int, clients: int, think_ms: int, failures: list[str]) -> dict:
    H.log(
        f"== import of {letters:,} letters on {kind}, {clients} clients meanwhile, "
        f"pausing {think_ms} ms between requests"
    )
    db = H.Database(kind)
    env = {"DEAR_WORKER_TICK_SECONDS": str(TICK_SECONDS)}
    out: dict = {
        "database": kind,
        "letters": letters,
        "clients": clients,
        "think_ms": think_ms,
        "load_before": H.machine(),
    }
    content = zipped(archive_json(letters))
    out["zip_bytes"] = len(content)
    try:
        first = H.dear_serve(db, env=env).start()
        h = H.household(first.base_url)
        H.seed(db, h, 1_000)
        first.stop()
        server = H.dear_serve(db, env=env).start()
        token = newcomer(server.base_url, h)
        script, mix = H.workload_env(h, "mix", BENCH_THINK_MS=str(think_ms))
        H.wrk(server.base_url, "get.lua", clients, 1, {"BENCH_PATH": "/healthz"})  # warm
        out["floor"] = H.wrk(
            server.base_url, "get.lua", clients, SLICE_SECONDS, {"BENCH_PATH": "/healthz"}, server
        )

        def slice_() -> dict:
            """The mix at ``clients``, and one more client asking /healthz, side by side:
            the mix's writes wait for the database; /healthz waits only for the CPU."""
            probe: dict = {}
            prober = threading.Thread(
                target=lambda: probe.update(
                    H.wrk(server.base_url, "get.lua", 1, SLICE_SECONDS, {"BENCH_PATH": "/healthz"})
                )
            )
            prober.start()
            result = H.wrk(server.base_url, script, clients, SLICE_SECONDS, mix, server)
            prober.join()
            result["healthz_p99_ms"] = probe.get("p99_ms")
            result["healthz_p50_ms"] = probe.get("p50_ms")
            return result

        out["before"] = [slice_() for _ in range(2)]
        H.log(
            f"  floor p99 {out['floor']['p99_ms']} ms; before: mix p99 "
            f"{[r['p99_ms'] for r in out['before']]} ms, /healthz beside it "
            f"{[r['healthz_p99_ms'] for r in out['before']]} ms"
        )
        pid_before = worker_pid(server)
        sweeps_before = sweeps_finished(db)
        follower = Follower(server.base_url, token, content)
        follower.start()
        slices = []
        while follower.is_alive() and len(slices) < 120:
            result = slice_()
            result["at_s"] = round(time.monotonic() - follower.started, 1)
            slices.append(result)
            done = follower.timeline[-1][1] if follower.timeline else 0
            H.log(
                f"  during, to {result['at_s']:>6} s: mix p99 {result['p99_ms']:>8} ms  "
                f"p50 {result['p50_ms']:>6} ms  {result['req_per_s']:>6} req/s  "
                f"errors {result['errors']}; /healthz p99 {result['healthz_p99_ms']} ms; "
                f"done {done:,}"
            )
        follower.join(timeout=600)
        out["during"] = slices
        out["upload_seconds"] = round(getattr(follower, "upload_seconds", 0), 2)
        out["import_seconds"] = round(getattr(follower, "seconds", 0), 1)
        out["import"] = follower.answer
        out["timeline"] = follower.timeline
        if follower.error or follower.answer.get("state") != "done":
            failures.append(f"{kind}: import did not finish: {follower.error or follower.answer}")
        # The worker is alive if, after the import, it still sweeps, as the same process.
        deadline = time.monotonic() + 4 * TICK_SECONDS
        while sweeps_finished(db) <= sweeps_before + 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        pid_after = worker_pid(server)
        restarts = server.log().count("Dear's worker stopped")
        out["worker"] = {
            "pid_before": pid_before,
            "pid_after": pid_after,
            "sweeps_during_and_after": sweeps_finished(db) - sweeps_before,
            "restarts_in_log": restarts,
            "alive": bool(
                pid_before
                and pid_before == pid_after
                and not restarts
                and sweeps_finished(db) > sweeps_before
            ),
        }
        if not out["worker"]["alive"]:
            failures.append(f"{kind}: the worker did not stay alive: {out['worker']}")
        worst = max(slices, key=lambda s: s["p99_ms"]) if slices else None
        out["summary"] = {
            "floor_p99_ms": out["floor"]["p99_ms"],
            "before_mix_p99_ms": [r["p99_ms"] for r in out["before"]],
            "before_healthz_p99_ms": [r["healthz_p99_ms"] for r in out["before"]],
            "during_mix_p99_ms": [s["p99_ms"] for s in slices],
            "during_healthz_p99_ms": [s["healthz_p99_ms"] for s in slices],
            "during_worst_p99_ms": worst["p99_ms"] if worst else None,
            "during_mix_p99_median_ms": sorted(s["p99_ms"] for s in slices)[len(slices) // 2]
            if slices
            else None,
            "during_errors": sum(s["errors"] for s in slices),
            "upload_seconds": out["upload_seconds"],
            "import_seconds": out["import_seconds"],
            "letters_per_s": round(letters / out["import_seconds"], 1)
            if out["import_seconds"]
            else None,
            "worker_alive": out["worker"]["alive"],
        }
        H.log(f"  {kind}: {json.dumps(out['summary'])}")
        server.stop()
    finally:
        out["load_after"] = H.machine()
        db.drop()
    return out


def run_all(kinds: list[str], letters: int, clients: int, think_ms: int) -> dict:
    failures: list[str] = []
    result: dict = {kind: run(kind, letters, clients, think_ms, failures) for kind in kinds}
    result["failures"] = failures
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--think-ms", type=int, default=0)
    args = parser.parse_args(argv)
    result = run_all(args.db.split(","), args.letters, args.clients, args.think_ms)
    name = f"imports-think{args.think_ms}ms.json" if args.think_ms else "imports.json"
    return H.write_result(name, result)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
