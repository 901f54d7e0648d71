"""Where a workload's time goes: py-spy samples a real `dear serve` worker while wrk
drives one workload, and the samples are summed by function (inclusive and own time).

    python bench/profile.py inbox_api            # 1 client, 10 s, SQLite, 1,000 letters
    python bench/profile.py send --clients 16 --workers 1

Writes bench/results/profile-<workload>.txt (the summary) and .svg (a flame graph).
py-spy needs ptrace rights over the server (root, or kernel.yama.ptrace_scope=0).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as H  # noqa: E402

RESULTS = H.BENCH / "results"


def summarize(raw: Path, top: int = 45) -> str:
    """py-spy's raw (collapsed) stacks → the functions that cost the most, as shares of
    the samples that were inside a request."""
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    in_requests = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any("WSGIHandler.__call__" in f for f in frames):
            continue  # idle threads, the server's own loop
        n = int(count)
        in_requests += n
        for name in {_short(f) for f in frames}:
            inclusive[name] += n
        own[_short(frames[-1])] += n
    lines = [f"{in_requests} samples inside requests", "", "inclusive:"]
    lines += [f"{100 * v / in_requests:5.1f}%  {k}" for k, v in inclusive.most_common(top)]
    lines += ["", "own time:"]
    lines += [f"{100 * v / in_requests:5.1f}%  {k}" for k, v in own.most_common(25)]
    return "\n".join(lines) + "\n"


def _short(frame: str) -> str:
    # "function (path/to/module.py:123)" → "function (module.py)"
    name, _, where = frame.partition(" (")
    module = where.split(":")[0].rsplit("/", 1)[-1]
    return f"{name} ({module})" if module else name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1, help="1 keeps every sample in one")
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--letters", type=int, default=1_000)
    args = parser.parse_args(argv)
    db = H.Database(args.db)
    server = H.dear_serve(db, "--workers", str(args.workers)).start()
    try:
        h = H.household(server.base_url)
        H.seed(db, h, args.letters)
        extra = {}
        if args.workload == "autosave":
            extra["BENCH_LETTERS"] = ",".join(H.drafts(server.base_url, h, args.clients))
        found = H.workload_env(h, args.workload, **extra)
        if found is None:
            raise SystemExit(f"{args.workload}: not built yet")
        script, env = found
        worker = server.pids()[-1]
        RESULTS.mkdir(exist_ok=True)
        raw = RESULTS / f"profile-{args.workload}.raw"
        svg = RESULTS / f"profile-{args.workload}.svg"
        spy = [
            str(H.BIN / "py-spy"),
            "record",
            "-p",
            str(worker),
            "-d",
            str(args.seconds),
            "-r",
            "250",
            "--nonblocking",
        ]
        with subprocess.Popen(
            [*spy, "-f", "raw", "-o", str(raw)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as sampler:
            result = H.wrk(server.base_url, script, args.clients, args.seconds, env, server)
            sampler.wait(timeout=args.seconds + 60)
        text = summarize(raw)
        header = (
            f"{args.workload}, {args.clients} client(s), {args.workers} worker(s), {args.db}, "
            f"{args.letters:,} letters: {result['req_per_s']} req/s, p50 {result['p50_ms']} ms, "
            f"server CPU {result['server_cpu_ms_per_request']} ms/request; "
            f"load {H.machine()['load_avg_1_5_15']}\n\n"
        )
        out = RESULTS / f"profile-{args.workload}.txt"
        out.write_text(header + text)
        _flamegraph(raw, svg)
        raw.unlink(missing_ok=True)
        print(header + text)
        H.log(f"wrote {out.relative_to(H.ROOT)}")
    finally:
        server.stop()
        db.drop()
    return 0


def _flamegraph(raw: Path, svg: Path) -> None:
    """A small self-contained SVG of the heaviest request stacks (no external tools)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts: collections.Counter = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames = [_short(f) for f in stack.split(";")]
        if not any("WSGIHandler.__call__" in f for f in frames):
            continue
        start = next(i for i, f in enumerate(frames) if "WSGIHandler.__call__" in f)
        counts[tuple(frames[start:])] += int(n)
    total = sum(counts.values()) or 1
    fig, ax = plt.subplots(figsize=(16, 9))
    depth_max = 0

    def draw(prefix: tuple, x: float, depth: int) -> None:
        nonlocal depth_max
        children: collections.Counter = collections.Counter()
        for stack, n in counts.items():
            if stack[: len(prefix)] == prefix and len(stack) > len(prefix):
                children[stack[len(prefix)]] += n
        for name, n in sorted(children.items()):
            width = n / total
            if width > 0.004:
                ax.barh(depth, width, left=x, height=0.9, color=plt.cm.YlOrRd(0.2 + 0.6 * width))
                if width > 0.03:
                    ax.text(x + 0.002, depth, name[: int(width * 160)], va="center", fontsize=6)
                depth_max = max(depth_max, depth)
                draw((*prefix, name), x, depth + 1)
            x += width

    draw((), 0.0, 0)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, depth_max + 0.5)
    ax.set_xlabel("share of samples inside requests")
    ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(svg)


if __name__ == "__main__":
    sys.exit(main())
