"""What a careless or hostile upload costs a real `dear serve`: disk, time and memory.

    python bench/limits.py                 # SQLite and PostgreSQL
    python bench/limits.py --db sqlite

Per database, against a fresh `dear serve` as shipped (its worker beside it), with the
server's TMPDIR pointed at an empty folder so any temporary file it made would show:

- Someone not signed in POSTs 2 GB to `/api/v1/import`, `/login` and `/healthz`, and
  goes on sending after the answer as a hostile client would, until 2 GB are sent or the
  server closes. Reported: the time to the answer, its status, how much the client got
  sent, and what the TMPDIR and the data dir grew by.
- Someone signed in uploads zips of at most 0.5 MB built to take memory: whitespace
  (512 MB inflated); one whose headers claim 1 kB while it inflates to 64 MB; 60 MB of
  empty objects; the most empty objects, with random words between them, that a zip of
  0.5 MB packs no tighter than Dear allows; and the largest archive.json of whitespace a
  0.5 MB zip may hold; and one string of 18 MB of commas, which the count of values
  must set aside.

It fails (exit 1) when an answer to 2 GB takes a second or more, when anything sent
leaves 1 MB or more on disk, or when an upload takes any process to 200 MB. Reported: the answer,
  its time, and the peak resident memory (VmHWM, started again just before the upload)
  of every server process and of the background worker, beside their memory before.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import struct
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

import harness as H  # noqa: E402
import imports as bench_imports  # noqa: E402

MB = 1024 * 1024
HUGE = 2048 * MB
CHUNK = MB


def tree_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total


def flood(port: int, path: str) -> dict:
    """POST 2 GB to ``path`` with nobody signed in; keep sending after the answer."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {HUGE}\r\n\r\n"
    ).encode()
    sent = [0]
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)

    def send() -> None:
        chunk = b"x" * CHUNK
        try:
            connection.sendall(head)
            while sent[0] < HUGE:
                connection.sendall(chunk)
                sent[0] += CHUNK
        except OSError:
            pass  # the server closed: what it refused to read is not sent

    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        status_line = connection.recv(4096).decode("latin-1").split("\r\n", 1)[0]
    except OSError as exc:
        status_line = f"no answer ({exc})"
    answered = time.monotonic() - started
    sender.join(timeout=30)
    connection.close()
    return {
        "path": path,
        "answer": status_line,
        "answered_s": round(answered, 3),
        "client_sent_mib": round(sent[0] / MB, 1),
    }


def whitespace_zip(inflated: int) -> bytes:
    return bench_imports.zipped(b"{" + b" " * inflated + b"}")


def loose_objects(zip_bytes: int) -> bytes:
    """Runs of empty objects between random words, packed as loosely as Dear allows,
    grown until its zip reaches ``zip_bytes``."""
    blocks, words = [], 0
    chunk = 2_000
    while True:
        blocks += [b"{}," * 50 + b'"' + secrets.token_hex(8).encode() + b'"' for _ in range(chunk)]
        words += chunk
        raw = b'{"letters": [' + b",".join(blocks) + b"]}"
        if len(bench_imports.zipped(raw)) >= zip_bytes:
            return raw


def claiming(data: bytes, size: int) -> bytes:
    """The same zip, its headers lying that archive.json inflates to ``size`` bytes."""
    lied = bytearray(data)
    central = lied.rindex(b"PK\x01\x02")
    struct.pack_into("<I", lied, central + 24, size)
    struct.pack_into("<I", lied, 22, size)
    return bytes(lied)


def peaks(server: H.Server) -> dict[int, float]:
    """Peak resident memory so far, MiB, of every process of the server."""
    return {pid: H._kib(f"/proc/{pid}/status", "VmHWM:") / 1024 for pid in server.pids()}


def reset_peaks(server: H.Server) -> None:
    """Start each process's VmHWM again from its resident memory now (Linux: writing 5
    to clear_refs). Signing up and logging in peak at some 100 MB more for a moment, as
    Argon2 hashes a password; that is not the upload's doing."""
    for pid in server.pids():
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def bomb(server: H.Server, token: str, name: str, content: bytes) -> dict:
    reset_peaks(server)
    before = peaks(server)
    status, answer, seconds = bench_imports.upload(server.base_url, token, content)
    # A larger archive is checked by the worker: give it time to take the import up.
    deadline = time.monotonic() + 30
    while status == 202 and time.monotonic() < deadline:
        _, job = H.api(server.base_url, "GET", f"/import/{answer['id']}", token)
        if job["state"] in ("done", "failed"):
            answer = job
            break
        time.sleep(0.5)
    after = peaks(server)
    return {
        "zip": name,
        "zip_kib": round(len(content) / 1024, 1),
        "status": status,
        "answer": answer.get("error", answer) if isinstance(answer, dict) else answer,
        "answered_s": round(seconds, 3),
        "peak_rss_before_mib": round(max(before.values()), 1),
        "peak_rss_after_mib": round(max(after.values()), 1),
        "peak_rss_each_after_mib": {str(pid): round(mib, 1) for pid, mib in after.items()},
    }


def run(kind: str) -> dict:
    H.log(f"== uploads against {kind}")
    db = H.Database(kind)
    scratch = db.data_dir / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    server = H.dear_serve(db, env={"TMPDIR": str(scratch)}).start()
    out: dict = {"database": kind, "load_before": H.machine()}
    try:
        h = H.household(server.base_url)
        data_before = tree_bytes(db.data_dir)
        out["floods"] = []
        for path in ("/api/v1/import", "/login", "/healthz"):
            result = flood(server.port, path)
            result["tmpdir_grew_kib"] = round(tree_bytes(scratch) / 1024, 1)
            out["floods"].append(result)
            H.log(f"  2 GB to {path}: {result}")
        out["data_dir_grew_kib"] = round((tree_bytes(db.data_dir) - data_before) / 1024, 1)
        H.log(f"  data dir grew by {out['data_dir_grew_kib']} KiB")
        honest = whitespace_zip(512 * MB)
        out["bombs"] = [
            bomb(server, h.writer_token, "whitespace, 512 MB inflated", honest),
            bomb(
                server,
                h.reader_token,
                "claims 1 kB, inflates to 64 MB",
                claiming(whitespace_zip(64 * MB), 1024),
            ),
            bomb(
                server,
                h.writer_token,
                "60 MB of empty objects",
                bench_imports.zipped(b'{"letters": [' + b"{}," * 20_000_000 + b"{}]}"),
            ),
            bomb(
                server,
                h.reader_token,
                "empty objects between random words, 0.5 MB",
                bench_imports.zipped(loose_objects(MB // 2)),
            ),
            bomb(
                server,
                h.reader_token,
                "18 MB of commas in one string, 0.5 MB",
                bench_imports.zipped(
                    b'{"body": "' + os.urandom(500_000).hex().encode() + b"," * 18_000_000 + b'"}'
                ),
            ),
            bomb(
                server,
                h.writer_token,
                "15 MB, packed 36 to one: taken, checked by the worker",
                bench_imports.zipped(
                    b"{" + os.urandom(400_000).hex().encode() + b'"' + b" " * 14_000_000 + b"}"
                ),
            ),
        ]
        for result in out["bombs"]:
            H.log(f"  {result['zip']} ({result['zip_kib']} KiB): {result}")
    finally:
        server.stop()
        db.drop()
    return out


def run_all(kinds: list[str]) -> dict:
    result: dict = {kind: run(kind) for kind in kinds}
    failures = []
    for kind in kinds:
        for flood_ in result[kind]["floods"]:
            if flood_["answered_s"] >= 1 or flood_["tmpdir_grew_kib"] >= 1024:
                failures.append(f"{kind}: 2 GB to {flood_['path']}: {flood_}")
        if result[kind]["data_dir_grew_kib"] >= 1024:
            failures.append(f"{kind}: the data dir grew by {result[kind]['data_dir_grew_kib']} KiB")
        for bomb_ in result[kind]["bombs"]:
            if bomb_["peak_rss_after_mib"] >= 200:
                failures.append(
                    f"{kind}: {bomb_['zip']} took a process to {bomb_['peak_rss_after_mib']} MiB"
                )
    result["failures"] = failures
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args(argv)
    return H.write_result("limits.json", run_all(args.db.split(",")))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
