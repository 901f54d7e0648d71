"""The parts every benchmark shares: a database to serve from, a real server process,
people and letters made through its API, and wrk runs against it.

Nothing here times HTTP in-process: the server is its own process (tree), wrk is
another, and every wrk run is bounded by -d and by a hard subprocess timeout.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA = BENCH / "lua"
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = "a kettle by the counter"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_result(name: str, result: dict) -> int:
    """Keep ``result`` as bench/results/``name`` and say what failed: the exit status."""
    path = BENCH / "results" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"wrote {path}")
    for failure in result["failures"]:
        log(f"FAILED: {failure}")
    return 1 if result["failures"] else 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine() -> dict:
    load = os.getloadavg()
    return {"load_avg_1_5_15": [round(x, 2) for x in load], "cpus": os.cpu_count()}


# --- databases ---------------------------------------------------------------------


@dataclass
class Database:
    """A fresh SQLite data dir, or a fresh PostgreSQL database with its data dir."""

    kind: str  # "sqlite" | "postgres"
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="dear-bench-")))
    name: str = ""

    def __post_init__(self):
        if self.kind == "postgres":
            self.name = f"dear_bench_{secrets.token_hex(4)}"
            self._admin(f'CREATE DATABASE "{self.name}"')

    @property
    def url(self) -> str:
        if self.kind != "postgres":
            return ""
        parts = urllib.parse.urlsplit(PG_ADMIN_URL)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))

    def env(self, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAR_", "BENCH_"))}
        env["DEAR_DATA_DIR"] = str(self.data_dir)
        if self.url:
            env["DEAR_DATABASE_URL"] = self.url
        env["PYTHONUNBUFFERED"] = "1"
        env.update(extra)
        return env

    def copy(self) -> Database:
        """A new database holding what this one holds now (the server must be stopped)."""
        twin = Database.__new__(Database)
        twin.kind = self.kind
        twin.data_dir = Path(tempfile.mkdtemp(prefix="dear-bench-"))
        shutil.copytree(self.data_dir, twin.data_dir, dirs_exist_ok=True)
        twin.name = ""
        if self.kind == "postgres":
            twin.name = f"dear_bench_{secrets.token_hex(4)}"
            self._admin(f'CREATE DATABASE "{twin.name}" TEMPLATE "{self.name}"')
        return twin

    def query(self, sql: str) -> list[tuple]:
        """The rows ``sql`` answers, read straight from the database beside the server."""
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        conn = sqlite3.connect(self.data_dir / "dear.sqlite3")
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self.kind == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


# --- the server --------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Server:
    """One server process tree on a loopback port, started by ``argv``."""

    argv: list[str]
    env: dict
    port: int
    log_path: Path
    process: subprocess.Popen | None = None
    ready_seconds: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=ROOT,
            )
        deadline = started + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}):\n{self.log()}")
            try:
                status, _, _ = request(self.base_url, "GET", "/healthz", timeout=2)
                if status == 200:
                    self.ready_seconds = round(time.monotonic() - started, 3)
                    return self
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"server not ready within {READY_TIMEOUT}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        kids = _children()
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(kids.get(pid, []))
        return found

    def memory(self) -> dict:
        """RSS of every process of the server (and PSS, which counts shared pages once)."""
        per = []
        for pid in self.pids():
            rss = _kib(f"/proc/{pid}/status", "VmRSS:")
            pss = _kib(f"/proc/{pid}/smaps_rollup", "Pss:")
            if rss:
                per.append(
                    {"pid": pid, "rss_mib": round(rss / 1024, 1), "pss_mib": round(pss / 1024, 1)}
                )
        return {
            "processes": per,
            "rss_total_mib": round(sum(p["rss_mib"] for p in per), 1),
            "pss_total_mib": round(sum(p["pss_mib"] for p in per), 1),
            "rss_max_mib": max((p["rss_mib"] for p in per), default=0),
        }

    def cpu_seconds(self) -> float:
        """User + system CPU time of every live process of the server so far."""
        return sum(cpu_seconds_of(pid) for pid in self.pids())

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


def cpu_seconds_of(pid: int) -> float:
    """User + system CPU time of one live process so far; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError, IndexError):
        return 0.0


def stop_process(process: subprocess.Popen) -> int | None:
    """SIGTERM, as a service manager would; its whole group killed if it does not stop."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def dear_serve(db: Database, *args: str, env: dict | None = None) -> Server:
    """`dear serve` exactly as a person runs it (its defaults), plus ``args``."""
    port = free_port()
    argv = [str(BIN / "dear"), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    return Server(argv, db.env(**(env or {})), port, db.data_dir / f"serve-{port}.log")


# --- HTTP for setup (stdlib only) --------------------------------------------------


def request(base_url, method, path, *, body=None, headers=None, timeout=30, form=None, raw=None):
    parts = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def api(base_url, method, path, token=None, body=None, expect=(200, 201)):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, _, raw = request(base_url, method, "/api/v1" + path, body=body, headers=headers)
    if status not in expect:
        raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
    return status, json.loads(raw) if raw else None


def _cookies(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def session_cookie(base_url, username) -> str:
    """Log in through the HTML form, CSRF and all, and return the Cookie header value."""
    status, headers, page = request(base_url, "GET", "/login")
    jar = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token or "csrftoken" not in jar:
        raise RuntimeError(f"GET /login gave no CSRF token ({status})")
    status, headers, _ = request(
        base_url,
        "POST",
        "/login",
        form={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode(),
        },
        headers={"Cookie": f"csrftoken={jar['csrftoken']}"},
    )
    jar.update(_cookies(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"POST /login did not log in ({status})")
    return f"csrftoken={jar['csrftoken']}; sessionid={jar['sessionid']}"


@dataclass
class Household:
    """Two people in one home: ``writer`` (Ada) writes to ``reader`` (Bo)."""

    home: str
    writer: str
    reader: str
    writer_token: str
    reader_token: str
    reader_cookie: str
    place: str | None = None
    place_note: str = ""
    search: bool = False
    search_note: str = ""


def household(base_url) -> Household:
    _, ada = api(
        base_url,
        "POST",
        "/signup",
        body={"username": "ada", "password": PASSWORD, "display_name": "Ada"},
    )
    ta = ada["token"]
    _, home = api(base_url, "POST", "/homes", ta, {"name": "The flat"})
    _, invite = api(base_url, "POST", f"/homes/{home['id']}/invites", ta)
    _, bo = api(
        base_url,
        "POST",
        "/signup",
        body={
            "username": "bo",
            "password": PASSWORD,
            "display_name": "Bo",
            "invite": invite["code"],
        },
    )
    h = Household(
        home=home["id"],
        writer=ada["person"]["id"],
        reader=bo["person"]["id"],
        writer_token=ta,
        reader_token=bo["token"],
        reader_cookie=session_cookie(base_url, "bo"),
    )
    _find_places(base_url, h)
    _find_search(base_url, h)
    return h


def _find_places(base_url, h: Household) -> None:
    status, _, raw = request(
        base_url,
        "POST",
        f"/api/v1/homes/{h.home}/places",
        body={"name": "The kitchen counter"},
        headers={"Authorization": f"Bearer {h.writer_token}"},
    )
    if status != 201:
        h.place_note = f"not built yet: POST /api/v1/homes/{{id}}/places answered {status}"
        return
    place = json.loads(raw)["id"]
    status, _, _ = request(
        base_url,
        "GET",
        f"/api/v1/places/{place}",
        headers={"Authorization": f"Bearer {h.reader_token}"},
    )
    if status != 200:
        h.place_note = f"not built yet: GET /api/v1/places/{{id}} answered {status}"
        return
    h.place = place
    # Leave a few notes there so opening the place has something to show.
    for n in range(3):
        _, letter = api(
            base_url,
            "POST",
            "/letters",
            h.writer_token,
            {"home": h.home, "to": [h.reader], "body": f"Under the cup, note {n}."},
        )
        request(
            base_url,
            "POST",
            f"/api/v1/letters/{letter['id']}/send",
            body={"place": place, "hint": True},
            headers={"Authorization": f"Bearer {h.writer_token}"},
        )


def _find_search(base_url, h: Household) -> None:
    status, _, _ = request(
        base_url,
        "GET",
        "/api/v1/search?q=kettle",
        headers={"Authorization": f"Bearer {h.reader_token}"},
    )
    h.search = status == 200
    if not h.search:
        h.search_note = f"not built yet: GET /api/v1/search?q= answered {status}"


def drafts(base_url, h: Household, n: int) -> list[str]:
    """Fresh drafts for the autosave workload, one per connection."""
    ids = []
    for _ in range(n):
        _, letter = api(
            base_url,
            "POST",
            "/letters",
            h.writer_token,
            {"home": h.home, "to": [h.reader], "body": "Dear Bo,"},
        )
        ids.append(letter["id"])
    return ids


# --- seeding (a separate process on the server's database) -------------------------


def seed(db: Database, h: Household, letters: int, *, revisions: bool = True) -> dict:
    argv = [
        sys.executable,
        str(BENCH / "seed.py"),
        "grow",
        "--home",
        h.home,
        "--people",
        f"{h.writer},{h.reader}",
        "--to",
        str(letters),
    ]
    if not revisions:
        argv.append("--no-revisions")
    done = subprocess.run(argv, env=db.env(), capture_output=True, text=True, timeout=1800)
    if done.returncode:
        raise RuntimeError(f"seeding failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def explain(db: Database, h: Household) -> dict:
    argv = [sys.executable, str(BENCH / "seed.py"), "explain", "--people", f"{h.writer},{h.reader}"]
    done = subprocess.run(argv, env=db.env(), capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"explain failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- wrk ---------------------------------------------------------------------------


def wrk(base_url: str, script: str, clients: int, seconds: float, env: dict, server=None) -> dict:
    """One bounded wrk run: ``clients`` connections, one wrk thread each. Given the
    ``server``, also the CPU time its processes spent per request: a figure that other
    load on the machine hardly moves, unlike requests/s and latency."""
    cpu_before = server.cpu_seconds() if server else None
    argv = [
        "wrk",
        f"-t{clients}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / script),
        base_url,
    ]
    run_env = {**os.environ, "BENCH_LUA_DIR": str(LUA), **env}
    done = subprocess.run(argv, env=run_env, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    cpu_ms = None
    if server and raw["requests"]:
        cpu_ms = round((server.cpu_seconds() - cpu_before) * 1000 / raw["requests"], 2)
    secs = raw["duration_us"] / 1e6
    errors = raw["errors"]
    lat = raw["latency_us"]
    return {
        "clients": clients,
        "seconds": round(secs, 2),
        "requests": raw["requests"],
        "req_per_s": round(raw["requests"] / secs, 1),
        "ops": raw["ops"],
        "ops_per_s": round(raw["ops"] / secs, 1),
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p90_ms": round(lat["p90"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "mean_ms": round(lat["mean"] / 1000, 2),
        "server_cpu_ms_per_request": cpu_ms,
        "errors": sum(errors.values()),
        "error_detail": errors,
    }


def workload_env(h: Household, name: str, **extra) -> tuple[str, dict] | None:
    """The Lua script and environment for a named workload, or None when not built."""
    writer = {"BENCH_TOKEN": h.writer_token, "BENCH_HOME": h.home, "BENCH_TO": h.reader}
    reader_api = {"BENCH_TOKEN": h.reader_token}
    reader_web = {"BENCH_COOKIE": h.reader_cookie}
    table = {
        "healthz": ("get.lua", {"BENCH_PATH": "/healthz"}),
        "send": ("send.lua", writer),
        "autosave": ("autosave.lua", writer),
        "inbox_api": ("get.lua", {**reader_api, "BENCH_PATH": "/api/v1/letters?box=inbox"}),
        "inbox_page": ("get.lua", {**reader_web, "BENCH_PATH": "/inbox"}),
        "home_page": ("get.lua", {**reader_web, "BENCH_PATH": "/"}),
        "correspondence_api": (
            "get.lua",
            {**reader_api, "BENCH_PATH": f"/api/v1/letters?with={h.writer}"},
        ),
        "correspondence_page": ("get.lua", {**reader_web, "BENCH_PATH": f"/with/{h.writer}"}),
        "mix": (
            "mix.lua",
            {**writer, "BENCH_READER_TOKEN": h.reader_token, "BENCH_COOKIE": h.reader_cookie},
        ),
    }
    if h.place:
        table["place"] = ("get.lua", {**reader_api, "BENCH_PATH": f"/api/v1/places/{h.place}"})
    if h.search:
        table["search"] = ("get.lua", {**reader_api, "BENCH_PATH": "/api/v1/search?q=marmalade"})
    if name not in table:
        return None
    script, env = table[name]
    return script, {**env, **extra}
