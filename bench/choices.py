"""The serving comparisons behind `dear serve`'s defaults (bench/README.md explains them).

Every variant serves the same prepared database (two people, 1,000 letters) and is
measured at 16 clients on the workloads the choice can change. Processes × threads,
WSGI vs ASGI and granian vs gunicorn compare whole servers; the settings variants
(persistent connections, SQLite pragmas and transaction mode, session backend, each
middleware) run on bench/serving/variant_settings.py under granian with the chosen
processes and threads, next to an unchanged baseline on the same module.
"""

from __future__ import annotations

import dataclasses
import time

import harness as H

SERVING = H.BENCH / "serving"
GRID = [(1, 4), (2, 1), (2, 2), (2, 4), (4, 1)]
WHOLE = ["healthz", "inbox_api", "send"]

BASE_INIT = "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
SETTINGS = {
    # name: (env, workloads)
    "baseline": ({}, ["healthz", "inbox_api", "inbox_page", "send", "autosave"]),
    "conn_max_age=0": ({"BENCH_CONN_MAX_AGE": "0"}, ["healthz", "inbox_api", "send"]),
    "sqlite synchronous=NORMAL": (
        {"BENCH_SQLITE_INIT_COMMAND": BASE_INIT.replace("FULL", "NORMAL")},
        ["send", "autosave"],
    ),
    "sqlite cache 64 MB + mmap 256 MB": (
        {
            "BENCH_SQLITE_INIT_COMMAND": BASE_INIT
            + "PRAGMA cache_size=-65536;PRAGMA mmap_size=268435456;"
        },
        ["inbox_api", "send"],
    ),
    "sqlite transaction_mode=DEFERRED": (
        {"BENCH_SQLITE_TRANSACTION_MODE": "DEFERRED"},
        ["send", "autosave"],
    ),
    "sessions signed_cookies": (
        {"BENCH_SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"},
        ["inbox_page"],
    ),
    "sessions cached_db (local memory)": (
        {"BENCH_SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"},
        ["inbox_page"],
    ),
}
# The inbox page exercises every middleware; /healthz passes through them all too, and
# its own cost is so small that theirs shows.
MIDDLEWARE_WORKLOADS = ["healthz", "inbox_page"]
# Pages that need a logged-in person: each variant logs in afresh (a session made under
# one session backend means nothing to another).
NEEDS_LOGIN = {"inbox_page", "home_page"}


def _prepare(kind: str):
    db = H.Database(kind)
    server = H.dear_serve(db).start()
    h = H.household(server.base_url)
    H.seed(db, h, 1_000)
    server.stop()
    return db, h


def _measure(server, h, names, seconds, out: dict, clients: int = 16) -> dict:
    for name in names:
        extra = {}
        if name == "autosave":
            extra["BENCH_LETTERS"] = ",".join(H.drafts(server.base_url, h, clients))
        script, env = H.workload_env(h, name, **extra)
        H.wrk(server.base_url, script, clients, 1, env)  # warm
        if name == "autosave":
            extra["BENCH_LETTERS"] = ",".join(H.drafts(server.base_url, h, clients))
            script, env = H.workload_env(h, name, **extra)
        result = H.wrk(server.base_url, script, clients, seconds, env, server)
        out[name] = {
            k: result[k]
            for k in (
                "req_per_s",
                "ops_per_s",
                "p50_ms",
                "p99_ms",
                "errors",
                "server_cpu_ms_per_request",
            )
        }
    return out


def _serve(db, argv_tail: list[str], env: dict | None = None, *, server="granian") -> H.Server:
    port = H.free_port()
    env = db.env(PYTHONPATH=str(SERVING), **(env or {}))
    if server == "granian":
        argv = [
            str(H.BIN / "granian"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *argv_tail,
        ]
    else:
        argv = [
            str(H.BIN / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *argv_tail,
        ]
    return H.Server(argv, env, port, db.data_dir / f"serve-{port}.log")


def _run(label, make, template, h, names, seconds, results: list, clients=16, **facts) -> dict:
    """Measure one variant on its own copy of ``template``: every variant starts from the
    same home (the send workload adds letters, and the inbox reads them)."""
    db = template.copy()
    server = make(db)
    failed = None
    measured, memory = {}, {"rss_max_mib": None, "rss_total_mib": None}
    try:
        server.start()
        if NEEDS_LOGIN & set(names):
            h = dataclasses.replace(h, reader_cookie=H.session_cookie(server.base_url, "bo"))
        _measure(server, h, names, seconds, measured, clients)
        memory = server.memory()
    except RuntimeError as exc:
        # A variant that fails under load is a finding, not a crash of the bench.
        failed = str(exc)[:300]
    finally:
        server.stop()
        db.drop()
    row = {
        "variant": label,
        "clients": clients,
        **facts,
        "ready_s": server.ready_seconds,
        "rss_max_mib": memory["rss_max_mib"],
        "rss_total_mib": memory["rss_total_mib"],
        "results": measured,
        "failed": failed,
    }
    results.append(row)
    H.log(
        f"  {label:<40} "
        + "  ".join(
            f"{n} {r['req_per_s']}/s p99 {r['p99_ms']} cpu {r['server_cpu_ms_per_request']}"
            + (f" ERRORS {r['errors']}" if r["errors"] else "")
            for n, r in measured.items()
        )
        + (f"  FAILED: {failed[:120]}" if failed else "")
    )
    return row


def _score(row) -> float:
    """Throughput across the whole-server workloads (geometric mean of req/s)."""
    product = 1.0
    for name in WHOLE:
        product *= row["results"].get(name, {}).get("req_per_s", 0)
    return product ** (1 / len(WHOLE))


SECTIONS = ("grid", "servers", "settings", "middleware", "postgres")


def run_all(
    kinds: list[str], seconds: float = 5, sections=SECTIONS, chosen: tuple | None = None
) -> dict:
    """Every comparison; ``sections`` picks some, ``chosen`` (workers, threads) skips the
    grid and runs the rest at those."""
    out: dict = {"seconds_per_run": seconds, "clients": 16, "meta_before": H.machine()}
    started = time.monotonic()
    db, h = _prepare("sqlite")
    workers, threads = chosen or (2, 1)
    try:
        grid: list = []
        if "grid" in sections and not chosen:
            H.log("== choices: processes × threads (dear serve, granian WSGI, SQLite)")
        for workers_, threads_ in GRID if "grid" in sections and not chosen else []:

            def serve(d, w=workers_, t=threads_):
                return H.dear_serve(d, "--workers", str(w), "--threads", str(t))

            _run(
                f"granian WSGI {workers_}×{threads_}",
                serve,
                db,
                h,
                WHOLE,
                seconds,
                grid,
                workers=workers_,
                threads=threads_,
            )
        if grid:
            best = max(grid, key=_score)
            workers, threads = best["workers"], best["threads"]
            out["processes_threads"] = grid
            H.log(f"  best: {workers} workers × {threads} threads")
        out["chosen"] = {"workers": workers, "threads": threads}
        tail = ["--workers", str(workers), "--blocking-threads", str(threads)]
        app = ["--interface", "wsgi", *tail, "variant_app:wsgi"]
        if "servers" in sections:
            _servers(db, h, seconds, out, workers, threads, tail)
        if "settings" in sections:
            H.log("== choices: settings (granian WSGI, chosen processes × threads)")
            settings_rows: list = []
            for label, (env, names) in SETTINGS.items():
                _run(
                    label,
                    lambda d, env=env: _serve(d, app, env),
                    db,
                    h,
                    names,
                    seconds,
                    settings_rows,
                )
            out["settings"] = settings_rows
        if "middleware" in sections:
            _middleware_costs(db, h, seconds, out, app)
    finally:
        db.drop()

    if "postgres" in kinds and "postgres" in sections:
        _postgres_connections(seconds, out, tail)
    out["meta_after"] = H.machine()
    out["minutes"] = round((time.monotonic() - started) / 60, 1)
    return out


def _servers(db, h, seconds, out, workers, threads, tail) -> None:
    H.log("== choices: interface and server")
    servers: list = []
    _run(
        "granian WSGI (variant app)",
        lambda d: _serve(d, ["--interface", "wsgi", *tail, "variant_app:wsgi"]),
        db,
        h,
        WHOLE,
        seconds,
        servers,
    )
    _run(
        "granian ASGI",
        lambda d: _serve(d, ["--interface", "asgi", "--workers", str(workers), "variant_app:asgi"]),
        db,
        h,
        WHOLE,
        seconds,
        servers,
    )
    _run(
        "gunicorn gthread",
        lambda d: _serve(
            d,
            [
                "-k",
                "gthread",
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "variant_app:wsgi",
            ],
            server="gunicorn",
        ),
        db,
        h,
        WHOLE,
        seconds,
        servers,
    )
    out["servers"] = servers


def _middleware_costs(db, h, seconds, out, app) -> None:
    H.log("== choices: middleware, each one removed (1 client: server CPU per request)")
    rows: list = []
    _run(
        "all middleware",
        lambda d: _serve(d, app),
        db,
        h,
        MIDDLEWARE_WORKLOADS,
        seconds,
        rows,
        clients=1,
    )
    for name in _middleware():
        # Logging in needs sessions, authentication and the CSRF token: without one of
        # them only /healthz can be measured.
        login = ("SessionMiddleware", "AuthenticationMiddleware", "CsrfViewMiddleware")
        _run(
            f"without {name.rsplit('.', 1)[-1]}",
            lambda d, name=name: _serve(d, app, {"BENCH_DROP_MIDDLEWARE": name}),
            db,
            h,
            ["healthz"] if name.endswith(login) else MIDDLEWARE_WORKLOADS,
            seconds,
            rows,
            dropped=name,
            clients=1,
        )
    out["middleware"] = rows


def _postgres_connections(seconds, out, tail) -> None:
    H.log("== choices: persistent connections on PostgreSQL")
    pg, ph = _prepare("postgres")
    try:
        rows: list = []
        pg_app = ["--interface", "wsgi", *tail, "variant_app:wsgi"]
        _run(
            "postgres conn_max_age=600 (default)",
            lambda d: _serve(d, pg_app),
            pg,
            ph,
            ["healthz", "inbox_api", "send"],
            seconds,
            rows,
        )
        _run(
            "postgres conn_max_age=0",
            lambda d: _serve(d, pg_app, {"BENCH_CONN_MAX_AGE": "0"}),
            pg,
            ph,
            ["healthz", "inbox_api", "send"],
            seconds,
            rows,
        )
        out["postgres_connections"] = rows
    finally:
        pg.drop()


def _middleware() -> list[str]:
    import ast

    source = (H.ROOT / "src" / "dear" / "settings.py").read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MIDDLEWARE":
            return [elt.value for elt in node.value.elts]
    return []
