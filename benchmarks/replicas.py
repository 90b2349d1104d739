"""`make bench-scaled`: one Rasa replica against two, both behind nginx with Redis (not pass/fail).

One scaled topology (harness/scaled.py: two replicas, two action servers, Redis) and a second nginx
whose upstream is replica 1 alone, so "1 replica" and "2 replicas" differ in nothing else; beside
them `make run`'s embedded server (in-memory trackers, no nginx) shows what the path through nginx
and Redis costs. A closed loop of simulated parents (realistic conversations one after another,
fresh sender each) runs at 10 and at 50 concurrent conversations, alternating the three set-ups
for ROUNDS rounds, because the shared machine's load drifts; each figure is the median over its
rounds. Prints turns per second,
p50/p95/p99 and the throughput ratio; writes reports/bench/replicas.json.

    python -m benchmarks.replicas [--seconds 15] [--warmup 2] [--levels 10,50] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import time
import uuid
from typing import Optional, Dict, List, Sequence, Tuple

import aiohttp
import psutil

from harness.scaled import NGINX, ScaledTopology, render_nginx_conf
from harness.servers import LOOPBACK, PROJECT_ROOT, BotServers, ManagedProcess, free_port, port_in_use

try:  # the bench branch moves the conversations into their own module
    from benchmarks.conversations import scripts
except ImportError:  # pragma: no cover - before that merge
    from benchmarks.load_bench import scripts

FIXED_NOW = {"ADVIESLIJN_FIXED_NOW": "2026-12-01T10:30:00+01:00"}  # Tuesday 10:30, the line is open
EMBEDDED = "make run"  # one Rasa server, in-memory trackers, no nginx: the embedded default
OUT = PROJECT_ROOT / "reports" / "bench" / "replicas.json"


def percentiles(values: Sequence[float]) -> Dict[str, float]:
    if len(values) < 2:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98]}


async def closed_loop(url: str, concurrency: int, warmup_s: float, seconds: float,
                      headers: Optional[Dict[str, str]] = None) -> Dict[str, float]:
    """`concurrency` parents, each sending its conversation's next turn as soon as the last is
    answered. Turns that start in the measured window count for latency; those that end in it for
    throughput."""
    convs = [[text for text, _ in script.turns] for script in scripts()]
    turns: List[Tuple[float, float, bool]] = []
    start = time.monotonic()
    window = (start + warmup_s, start + warmup_s + seconds)

    async def parent(session: aiohttp.ClientSession, offset: int) -> None:
        n = offset
        while time.monotonic() < window[1]:
            sender, n = f"bench-{uuid.uuid4().hex}", n + 1
            for text in convs[n % len(convs)]:
                if time.monotonic() >= window[1]:
                    return
                t0 = time.monotonic()
                try:
                    async with session.post(url, json={"sender": sender, "message": text}, headers=headers) as response:
                        ok = response.status == 200 and bool(await response.json(content_type=None))
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                turns.append((t0, time.monotonic(), ok))

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(parent(session, i) for i in range(concurrency)))
    measured = [(t0, t1, ok) for t0, t1, ok in turns if window[0] <= t0 < window[1]]
    finished = [1 for _, t1, ok in turns if ok and window[0] <= t1 <= window[1]]
    return {
        "concurrency": concurrency,
        "turns": len(measured),
        "errors": sum(not ok for _, _, ok in measured),
        "turns_per_s": len(finished) / seconds,
        "completed": sum(ok for _, _, ok in turns),
        **percentiles([(t1 - t0) * 1000 for t0, t1, ok in measured if ok]),
    }


def single_replica_nginx(topology: ScaledTopology) -> ManagedProcess:
    """A second nginx, same template, whose only Rasa upstream is replica 1."""
    workdir = topology.workdir / "nginx-one-replica"
    workdir.mkdir(exist_ok=True)
    port = free_port()
    conf = render_nginx_conf(workdir, port, free_port(), topology.replica_ports[:1], topology.action_ports,
                             topology.staff_ports)
    nginx = ManagedProcess("nginx (1 replica)", [NGINX, "-c", str(conf), "-p", str(workdir), "-e",
                                                 str(workdir / "nginx-error.log")], {}, workdir / "nginx.log")
    nginx.start()
    nginx.url = f"http://{LOOPBACK}:{port}/webhooks/rest/webhook"  # type: ignore[attr-defined]
    while not port_in_use(port):
        time.sleep(0.05)
    return nginx


def rasa_cpu_s(servers: Sequence[BotServers]) -> float:
    """CPU seconds used so far by these Rasa servers: a per-turn cost the machine's load hardly moves."""
    total = 0.0
    for server in servers:
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(server.rasa_server.pid)
            for p in [process, *process.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
    return total


def median_row(rows: List[Dict[str, float]]) -> Dict[str, float]:
    keys = ("turns_per_s", "p50_ms", "p95_ms", "p99_ms", "rasa_cpu_ms_per_turn")
    return {**rows[0], **{k: statistics.median(r[k] for r in rows) for k in keys},
            "errors": sum(r["errors"] for r in rows), "turns": sum(r["turns"] for r in rows), "rounds": len(rows)}


def measure(levels: Sequence[int], warmup_s: float, seconds: float, rounds: int) -> List[Dict[str, float]]:
    with ScaledTopology(replicas=2, action_servers=2, extra_env=FIXED_NOW) as topology, \
            BotServers(extra_env=FIXED_NOW) as embedded:
        one = single_replica_nginx(topology)
        try:
            setups = {  # name: (URL, the Rasa servers it uses)
                EMBEDDED: (embedded.rest_url, [embedded]),
                "1": (one.url, topology.replicas),  # type: ignore[attr-defined]
                "2": (topology.rest_url, topology.replicas),
            }
            headers = {EMBEDDED: None, "1": topology.rest_headers, "2": topology.rest_headers}
            for name, (url, _) in setups.items():
                asyncio.run(closed_loop(url, 4, 0, 3, headers[name]))  # warm every server's code paths
            results: Dict[Tuple[str, int], List[Dict[str, float]]] = {}
            for level in levels:
                for _ in range(rounds):
                    for replicas, (url, servers) in setups.items():
                        cpu_before = rasa_cpu_s(servers)
                        row = asyncio.run(closed_loop(url, level, warmup_s, seconds, headers[replicas]))
                        cpu_ms = (rasa_cpu_s(servers) - cpu_before) * 1000
                        row["rasa_cpu_ms_per_turn"] = cpu_ms / max(row["completed"], 1)
                        results.setdefault((replicas, level), []).append({"replicas": replicas, **row})
                        print(f"[bench-scaled] {replicas} replica(s), {level} concurrent: "
                              f"{row['turns_per_s']:.1f} turns/s, p50 {row['p50_ms']:.0f} ms, "
                              f"p95 {row['p95_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, "
                              f"errors {row['errors']}/{row['turns']}, Rasa CPU {row['rasa_cpu_ms_per_turn']:.1f} ms/turn",
                              flush=True)
        finally:
            one.stop()
    return [median_row(results[(r, level)]) for level in levels for r in (EMBEDDED, "1", "2")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--levels", default="10,50")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    rows = measure(levels, args.warmup, args.seconds, args.rounds)
    print(f"\nmedians over {args.rounds} alternating rounds, load average {os.getloadavg()[0]:.1f} at the end")
    print("\n| replicas | concurrent | turns/s | p50 ms | p95 ms | p99 ms | errors | Rasa CPU ms/turn |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['replicas']} | {r['concurrency']} | {r['turns_per_s']:.1f} | {r['p50_ms']:.0f} | "
              f"{r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['errors']}/{r['turns']} | {r['rasa_cpu_ms_per_turn']:.1f} |")
    for level in levels:
        one, two = (next(r for r in rows if r["replicas"] == n and r["concurrency"] == level) for n in ("1", "2"))
        print(f"throughput 2 replicas / 1 replica at {level} concurrent: {two['turns_per_s'] / one['turns_per_s']:.2f}x")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
