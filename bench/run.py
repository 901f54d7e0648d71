"""`make bench`: Dear under load, against a real `dear serve`, on SQLite and PostgreSQL.

    python bench/run.py                       # everything (about 20 minutes)
    python bench/run.py --quick               # short runs, growth to 100,000: a smoke test
    python bench/run.py --parts workloads --db sqlite --seconds 5

Parts: workloads (each at 1 and 16 clients, with the /healthz floor and ratios to it, and
the server's start-up time and memory), soak (16 clients for 60 s: errors and memory at
10 s and 60 s), growth (list latency as one home grows to 1,000,000 letters, the query
plans, and a plot), choices (the serving comparisons behind `dear serve`'s defaults;
see bench/choices.py), email (how fast `dear worker` processes send a full outbox, and how
long a SIGKILLed one delays it; see bench/mail.py), imports (100,000 letters imported while
others read and write: their p99 beside the /healthz floor, and whether the worker stayed
alive; see bench/imports.py), limits (what 2 GB sent by nobody signed in, and zips built to
take memory, cost in time, disk and memory; see bench/limits.py). Results go to
bench/results/*.json, the plot to bench/results/growth.png, and a summary beside the
targets to bench/results/summary.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as H  # noqa: E402

RESULTS = H.BENCH / "results"
# Reads first: the writes add letters, and the reads should see the same home in every run.
WORKLOADS = ["inbox_api", "inbox_page", "home_page", "place", "search", "autosave", "send"]
GROWTH_PATHS = ["inbox_api", "home_page", "correspondence_api", "correspondence_page", "search"]
SIZES = [1_000, 10_000, 100_000, 1_000_000]
CLIENTS = (1, 16)
BASE_LETTERS = 1_000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def git_rev() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=H.ROOT
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], capture_output=True, text=True, cwd=H.ROOT
    ).stdout.strip()
    return done.stdout.strip() + ("+uncommitted" if dirty else "")


def meta() -> dict:
    return {"at": now(), "git": git_rev(), "machine": H.machine()}


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    H.log(f"wrote {path.relative_to(H.ROOT)}")
    return path


def run_workload(server, h, name, clients, seconds) -> dict | None:
    extra = {}
    if name == "autosave":
        extra["BENCH_LETTERS"] = ",".join(H.drafts(server.base_url, h, clients))
    found = H.workload_env(h, name, **extra)
    if found is None:
        return None
    script, env = found
    result = H.wrk(server.base_url, script, clients, seconds, env, server)
    H.log(
        f"  {name:<20} {clients:>2} clients: {result['req_per_s']:>8} req/s "
        f"({result['ops_per_s']} ops/s) p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms "
        f"errors {result['errors']}; server CPU {result['server_cpu_ms_per_request']} ms/req"
    )
    return result


def ratios(result: dict, floor: dict) -> dict:
    return {
        "req_per_s": round(result["req_per_s"] / floor["req_per_s"], 3),
        "p50": round(result["p50_ms"] / max(floor["p50_ms"], 0.001), 2),
        "p99": round(result["p99_ms"] / max(floor["p99_ms"], 0.001), 2),
    }


def workloads(kind: str, seconds: float, soak_seconds: float | None) -> dict:
    """Every workload at 1 and 16 clients against `dear serve` as shipped, plus the floor."""
    H.log(f"== workloads on {kind}")
    db = H.Database(kind)
    out: dict = {"database": kind, "meta_before": meta()}
    try:
        first = H.dear_serve(db).start()
        out["ready_first_start_s"] = first.ready_seconds  # includes creating the schema
        h = H.household(first.base_url)
        H.seed(db, h, BASE_LETTERS)
        first.stop()
        server = H.dear_serve(db).start()
        out["ready_s"] = server.ready_seconds
        out["command"] = server.argv[1:]
        out["memory_idle"] = server.memory()
        out["not_built"] = {
            k: v for k, v in {"place": h.place_note, "search": h.search_note}.items() if v
        }
        runs: dict = {}
        floor = {}
        for clients in CLIENTS:
            H.wrk(server.base_url, "get.lua", clients, 1, {"BENCH_PATH": "/healthz"})  # warm
            floor[clients] = run_workload(server, h, "healthz", clients, seconds)
        runs["healthz"] = {str(c): floor[c] for c in CLIENTS}
        for name in WORKLOADS:
            if H.workload_env(h, name, BENCH_LETTERS="x") is None:
                H.log(f"  {name:<20} skipped: {out['not_built'].get(name, 'not built yet')}")
                continue
            runs[name] = {}
            for clients in CLIENTS:
                result = run_workload(server, h, name, clients, seconds)
                result["vs_floor"] = ratios(result, floor[clients])
                runs[name][str(clients)] = result
        end_floor = run_workload(server, h, "healthz", 16, seconds)
        out["floor_again_at_end_16"] = end_floor
        out["runs"] = runs
        out["memory_after"] = server.memory()
        if soak_seconds:
            out["soak"] = soak(server, h, soak_seconds)
        server.stop()
    finally:
        out["meta_after"] = meta()
        db.drop()
    return out


def soak(server, h, seconds: float) -> dict:
    """16 clients on the mixed workload; the server's memory at 10 s and at the end."""
    H.log(f"  soak: mix at 16 clients for {seconds:.0f} s")
    script, env = H.workload_env(h, "mix")
    import threading

    samples = {}

    def sample():
        start = time.monotonic()
        for mark in (10, seconds - 1):
            time.sleep(max(0, start + mark - time.monotonic()))
            samples[f"at_{mark:.0f}s"] = server.memory()

    sampler = threading.Thread(target=sample)
    sampler.start()
    result = H.wrk(server.base_url, script, 16, seconds, env, server)
    sampler.join()
    early = samples["at_10s"]["rss_total_mib"]
    late = samples[f"at_{seconds - 1:.0f}s"]["rss_total_mib"]
    result["memory"] = samples
    result["rss_growth"] = round(late / early, 3) if early else None
    H.log(
        f"  soak: {result['req_per_s']} req/s, errors {result['errors']}, "
        f"RSS {early} -> {late} MiB ({result['rss_growth']}x)"
    )
    return result


def latency_at(server, h, name, seconds) -> dict | None:
    found = H.workload_env(h, name)
    if found is None:
        return None
    script, env = found
    H.wrk(server.base_url, script, 1, 1, env)  # warm the page cache for this path
    result = H.wrk(server.base_url, script, 1, seconds, env, server)
    if result["requests"] < 5:
        # Slower than the run is long: time a few requests one by one instead.
        import http.client

        times = []
        for _ in range(3):
            headers = {}
            if env.get("BENCH_TOKEN"):
                headers["Authorization"] = f"Bearer {env['BENCH_TOKEN']}"
            if env.get("BENCH_COOKIE"):
                headers["Cookie"] = env["BENCH_COOKIE"]
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
            started = time.perf_counter()
            conn.request("GET", env["BENCH_PATH"], headers=headers)
            conn.getresponse().read()
            times.append((time.perf_counter() - started) * 1000)
            conn.close()
        times.sort()
        result.update(
            p50_ms=round(times[1], 2),
            p99_ms=round(times[-1], 2),
            mean_ms=round(sum(times) / 3, 2),
            sampled_one_by_one=3,
        )
    return result


def growth(kind: str, sizes: list[int], seconds: float) -> dict:
    H.log(f"== growth on {kind}")
    db = H.Database(kind)
    out: dict = {"database": kind, "meta_before": meta(), "steps": []}
    try:
        server = H.dear_serve(db).start()
        h = H.household(server.base_url)
        out["not_built"] = {k: v for k, v in {"search": h.search_note}.items() if v}
        for size in sizes:
            seeded = H.seed(db, h, size)
            plans = H.explain(db, h)
            step = {"letters": size, "seed": seeded, "paths": {}, "plans": plans}
            H.log(
                f"  {size:>9,} letters (seeded {seeded['added']:,} in {seeded['seconds']} s); "
                "slowest query per path (ms): "
                + ", ".join(f"{k} {v.get('slowest_ms')}" for k, v in plans.items())
            )
            for name in GROWTH_PATHS:
                result = latency_at(server, h, name, seconds)
                if result is None:
                    continue
                step["paths"][name] = result
                H.log(f"    {name:<20} p50 {result['p50_ms']:>9} ms  p99 {result['p99_ms']:>9} ms")
            step["memory"] = server.memory()
            out["steps"].append(step)
        server.stop()
    finally:
        out["meta_after"] = meta()
        db.drop()
    first, last = out["steps"][0], out["steps"][-1]
    out["growth_p50"] = {
        name: round(last["paths"][name]["p50_ms"] / first["paths"][name]["p50_ms"], 2)
        for name in last["paths"]
        if name in first["paths"]
    }
    return out


def plot(growth_results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharex=True)
    names = sorted({n for r in growth_results.values() for s in r["steps"] for n in s["paths"]})
    colours = dict(zip(names, plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False))
    for kind, result in growth_results.items():
        style = "-" if kind == "sqlite" else "--"
        for name in names:
            xs = [s["letters"] for s in result["steps"] if name in s["paths"]]
            for ax, key in zip(axes, ("p50_ms", "p99_ms"), strict=True):
                ys = [s["paths"][name][key] for s in result["steps"] if name in s["paths"]]
                ax.plot(xs, ys, style, marker="o", color=colours[name], label=f"{name} ({kind})")
    for ax, title in zip(axes, ("median", "99th percentile"), strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("letters in the home")
        ax.set_ylabel("latency, ms (1 client)")
        ax.set_title(f"Dear list pages, {title}")
        ax.grid(True, which="both", alpha=0.3)
    axes[1].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    H.log(f"wrote {path}")


def _stop_cleanly(signum, frame):
    # Unwind through every finally: servers stopped, scratch databases dropped.
    raise SystemExit(128 + signum)


def main(argv=None) -> int:
    import signal

    signal.signal(signal.SIGTERM, _stop_cleanly)
    signal.signal(signal.SIGINT, _stop_cleanly)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--parts", default="workloads,soak,growth,choices,email,imports,limits")
    parser.add_argument("--seconds", type=float, default=8, help="length of each wrk run")
    parser.add_argument("--soak-seconds", type=float, default=60)
    parser.add_argument("--growth-seconds", type=float, default=3)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--email-letters", type=int, default=1000, help="emails due at once")
    parser.add_argument(
        "--email-lease", type=int, default=10, help="DEAR_EMAIL_LEASE_SECONDS for the email part"
    )
    parser.add_argument(
        "--email-tick", type=int, default=5, help="DEAR_WORKER_TICK_SECONDS for the email part"
    )
    parser.add_argument("--import-letters", type=int, default=100_000)
    parser.add_argument("--import-clients", type=int, default=4, help="reading and writing")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 s runs, 20 s soak, growth to 100,000, no choices, 300 emails",
    )
    args = parser.parse_args(argv)
    kinds = args.db.split(",")
    parts = args.parts.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        args.seconds, args.soak_seconds, args.growth_seconds = 3, 20, 2
        sizes = [s for s in sizes if s <= 100_000]
        parts = [p for p in parts if p != "choices"]
        args.email_letters = min(args.email_letters, 300)
        args.import_letters = min(args.import_letters, 10_000)
    started = time.monotonic()
    H.log(f"bench: {', '.join(parts)} on {', '.join(kinds)}; load {H.machine()['load_avg_1_5_15']}")

    if "workloads" in parts or "soak" in parts:
        result = {"meta": meta(), "seconds_per_run": args.seconds}
        for kind in kinds:
            soak_seconds = args.soak_seconds if "soak" in parts else None
            if "workloads" in parts:
                result[kind] = workloads(kind, args.seconds, soak_seconds)
        save("workloads.json", result)
    if "growth" in parts:
        result = {"meta": meta(), "seconds_per_run": args.growth_seconds}
        for kind in kinds:
            result[kind] = growth(kind, sizes, args.growth_seconds)
        save("growth.json", result)
        plot({k: result[k] for k in kinds}, RESULTS / "growth.png")
    if "choices" in parts:
        import choices

        save("choices.json", choices.run_all(kinds, seconds=min(args.seconds, 4)))
    failures = []
    if "email" in parts:
        import mail

        result = {"meta": meta()}
        result.update(mail.run_all(kinds, args.email_letters, args.email_lease, args.email_tick))
        save("email.json", result)
        failures = result["failures"]
    if "imports" in parts:
        import imports

        result = {"meta": meta()}
        result.update(imports.run_all(kinds, args.import_letters, args.import_clients))
        save("imports.json", result)
        failures += result["failures"]
    if "limits" in parts:
        import limits

        result = {"meta": meta()}
        result.update(limits.run_all(kinds))
        save("limits.json", result)
        failures += result["failures"]
    import summary

    summary.write(RESULTS)
    H.log(
        f"bench done in {time.monotonic() - started:.0f} s; load {H.machine()['load_avg_1_5_15']}"
    )
    for failure in failures:
        H.log(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
