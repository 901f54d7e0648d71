"""Write bench/results/summary.md: every figure of the last run, beside its target."""

from __future__ import annotations

import json
from pathlib import Path


def _load(results: Path, name: str) -> dict | None:
    path = results / name
    return json.loads(path.read_text()) if path.exists() else None


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def _where(sql: str) -> str:
    """A query, told apart by its filter and order: the tail of its SQL."""
    tail = sql[sql.rfind(" WHERE ") :] if " WHERE " in sql else sql[-160:]
    return tail.replace('"', "")[:220]


def _query_growth(g: dict) -> list[str]:
    """Per list path: its queries (measured in-process, best of three) at the first and
    the last size, the ones that grew past 2× and 5 ms, with their plans' verdicts."""
    first, last = g["steps"][0]["plans"], g["steps"][-1]["plans"]
    out = [
        f"Queries that grow, {g['steps'][0]['letters']:,} → {g['steps'][-1]['letters']:,} "
        "letters (in-process, ms; plan lines that read a growing table without an index or "
        "sort every match):",
        "",
    ]
    found = False
    for path, plan in last.items():
        before = {q["sql"][:200]: q["ms"] for q in first.get(path, {}).get("queries", [])}
        for n, q in enumerate(plan.get("queries", [])):
            old = list(before.values())[n] if n < len(before) else None
            if q["ms"] > 5 and (old is None or q["ms"] > 2 * old):
                found = True
                verdict = ", ".join(sorted(set(q["unindexed"]))) or "indexed, but walks O(N) rows"
                was = "—" if old is None else old
                out.append(f"- {path}: {was} → **{q['ms']} ms** — `{_where(q['sql'])}` — {verdict}")
    if not found:
        out.append("- none: every list query stays flat.")
    return [*out, ""]


def _email(mail: dict) -> list[str]:
    """`dear worker` emptying an outbox of N due letter emails (bench/mail.py)."""
    lines = [
        f"## Email: {mail['letters']:,} letter emails due at once (`dear worker`)",
        "",
        f"`uptime` before: {mail['uptime_before']}; after: {mail['uptime_after']}. "
        "Per-email gap: the time between consecutive arrivals at the mail server.",
        "",
        "| database | workers | emails/s | first email after | gap p50 / p99 ms "
        "| worker CPU ms/email | duplicates |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in ("sqlite", "postgres"):
        for key in ("one_worker", "two_workers"):
            r = mail.get(kind, {}).get(key)
            if r and r.get("gap_ms"):
                lines.append(
                    f"| {kind} | {r['workers']} | {r['emails_per_s']} | "
                    f"{r['first_email_after_s']} s | {r['gap_ms']['median']} / "
                    f"{r['gap_ms']['p99']} | {r['worker_cpu_ms_per_email']} | "
                    f"{r['check']['duplicates']} |"
                )
    lines.append("")
    for kind in ("sqlite", "postgres"):
        r = mail.get(kind, {}).get("recovery")
        if r:
            lines.append(
                f"Recovery on {kind}: SIGKILL after {r['killed_after_emails']} emails, holding "
                f"{r['leased_by_the_killed_worker']} leases; all {r['letters']:,} sent "
                f"{r['restart_to_all_s']} s after the restart (DEAR_EMAIL_LEASE_SECONDS="
                f"{r['lease_seconds']}, DEAR_WORKER_TICK_SECONDS={r['tick_seconds']}); "
                f"duplicates {r['check']['duplicates']}."
            )
    for failure in mail.get("failures", []):
        lines.append(f"**FAILED**: {failure}")
    return [*lines, ""]


def write(results: Path) -> Path:
    lines = ["# Last `make bench` run", ""]
    work = _load(results, "workloads.json")
    growth = _load(results, "growth.json")
    targets = []
    if work:
        m = work["meta"]
        lines += [
            f"Run at {m['at']} on {m['git']}; load averages (1, 5, 15 min) at the start "
            f"{m['machine']['load_avg_1_5_15']}; {work['seconds_per_run']:g} s per wrk run.",
            "",
        ]
        for kind in ("sqlite", "postgres"):
            r = work.get(kind)
            if not r:
                continue
            after = r["meta_after"]["machine"]["load_avg_1_5_15"]
            lines += [
                f"## Workloads on {kind}",
                "",
                f"`dear serve` with its defaults — ready in {r['ready_s']} s "
                f"({r['ready_first_start_s']} s on first start, making the schema); "
                f"load after: {after}.",
                "",
                "| workload | clients | req/s | ops/s | p50 ms | p99 ms | errors "
                "| req/s ÷ floor | p50 ÷ floor | server CPU ms/req |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for name, by in r["runs"].items():
                for clients, x in by.items():
                    vs = x.get("vs_floor", {"req_per_s": 1, "p50": 1})
                    lines.append(
                        f"| {name} | {clients} | {x['req_per_s']:,} | {x['ops_per_s']:,} | "
                        f"{x['p50_ms']} | {x['p99_ms']} | {x['errors']} | "
                        f"{vs['req_per_s']} | {vs['p50']} | "
                        f"{x.get('server_cpu_ms_per_request')} |"
                    )
            for name, note in r.get("not_built", {}).items():
                lines.append(f"| {name} | — | {note} | | | | | | | |")
            lines.append("")
            mem = r["memory_after"]
            lines.append(
                f"Memory after the workloads: {mem['rss_max_mib']} MiB RSS in the "
                f"largest process, {mem['rss_total_mib']} MiB RSS in all "
                f"({mem['pss_total_mib']} MiB PSS), {len(mem['processes'])} processes."
            )
            soak = r.get("soak")
            if soak:
                s10 = soak["memory"]["at_10s"]["rss_total_mib"]
                lines.append(
                    f"Soak (mixed workload, 16 clients, {soak['seconds']} s): "
                    f"{soak['req_per_s']} req/s, {soak['errors']} errors, RSS {s10} MiB at 10 s → "
                    f"×{soak['rss_growth']} at the end."
                )
            lines.append("")
            if kind == "sqlite":
                send = r["runs"]["send"]["16"]
                inbox = r["runs"]["inbox_api"]["16"]
                targets += [
                    (
                        "send a letter, 16 clients",
                        "≥ 1,000 letters/s",
                        f"{send['ops_per_s']:,} letters/s",
                        send["ops_per_s"] >= 1000,
                    ),
                    (
                        "send a letter, p99 per request",
                        "< 50 ms",
                        f"{send['p99_ms']} ms",
                        send["p99_ms"] < 50,
                    ),
                    (
                        "inbox API, 16 clients",
                        "≥ 1,500 req/s",
                        f"{inbox['req_per_s']:,} req/s",
                        inbox["req_per_s"] >= 1500,
                    ),
                    (
                        "`dear serve` ready",
                        "< 3 s",
                        f"{r['ready_s']} s ({r['ready_first_start_s']} s first start)",
                        r["ready_s"] < 3,
                    ),
                    (
                        "RSS per process",
                        "< 150 MB",
                        f"{mem['rss_max_mib']} MiB",
                        mem["rss_max_mib"] * 1.048576 < 150,
                    ),
                ]
                if soak:
                    targets += [
                        (
                            "soak errors, 16 clients 60 s",
                            "0",
                            str(soak["errors"]),
                            soak["errors"] == 0,
                        ),
                        (
                            "soak RSS end ÷ RSS at 10 s",
                            "≤ 1.10",
                            str(soak["rss_growth"]),
                            soak["rss_growth"] is not None and soak["rss_growth"] <= 1.10,
                        ),
                    ]
    if growth:
        for kind in ("sqlite", "postgres"):
            g = growth.get(kind)
            if not g:
                continue
            names = list(g["steps"][0]["paths"])
            lines += [
                f"## Growth on {kind} (1 client, p50 / p99 ms)",
                "",
                "| letters | " + " | ".join(names) + " | seeded in |",
                "| ---: |" + " ---: |" * len(names) + " ---: |",
            ]
            for step in g["steps"]:
                cells = [
                    f"{step['paths'][n]['p50_ms']} / {step['paths'][n]['p99_ms']}"
                    if n in step["paths"]
                    else ""
                    for n in names
                ]
                lines.append(
                    f"| {step['letters']:,} | "
                    + " | ".join(cells)
                    + f" | {step['seed']['seconds']} s |"
                )
            lines += [
                "",
                "Growth of p50 from the first to the last size: "
                + ", ".join(f"{k} ×{v}" for k, v in g["growth_p50"].items()),
                "",
            ]
            lines += _query_growth(g)
            for n in g.get("not_built", {}).values():
                lines.append(f"Search: {n}.")
            if kind == "sqlite":
                for name in ("inbox_api", "home_page"):
                    ratio = g["growth_p50"].get(name)
                    if ratio is not None:
                        targets.append(
                            (
                                f"growth 1k → {g['steps'][-1]['letters']:,}, {name}",
                                "≤ 1.2×",
                                f"×{ratio}",
                                ratio <= 1.2,
                            )
                        )
                search100k = next(
                    (s["paths"].get("search") for s in g["steps"] if s["letters"] == 100_000), None
                )
                targets.append(
                    (
                        "search over 100,000 letters, p50",
                        "< 20 ms",
                        f"{search100k['p50_ms']} ms" if search100k else "not built yet",
                        search100k["p50_ms"] < 20 if search100k else None,
                    )
                )
    mail = _load(results, "email.json")
    if mail:
        lines += _email(mail)
    if targets:
        lines += [
            "## Targets (16 clients, SQLite)",
            "",
            "| what | target | measured | |",
            "| --- | --- | --- | --- |",
        ]
        lines += [f"| {a} | {b} | {c} | {_mark(d)} |" for a, b, c, d in targets]
        lines.append("")
    path = results / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path
