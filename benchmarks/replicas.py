"""`make bench-scaled`: one Rasa replica against two, both behind nginx with Redis (not pass/fail).

Each topology (harness/scaled.py, two action servers each) gets a closed loop of simulated parents
at 10 and at 50 concurrent conversations, each parent running realistic conversations one after
another with a fresh sender. Prints turns per second and p50/p95/p99 per level, and the ratio of
two replicas to one; writes them to reports/bench/replicas.json too.

    python -m benchmarks.replicas [--seconds 20] [--warmup 3] [--levels 10,50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from typing import Dict, List, Sequence, Tuple

import aiohttp

from harness.scaled import ScaledTopology
from harness.servers import PROJECT_ROOT

try:  # the bench branch moves the conversations into their own module
    from benchmarks.conversations import scripts
except ImportError:  # pragma: no cover - before that merge
    from benchmarks.load_bench import scripts

FIXED_NOW = {"ADVIESLIJN_FIXED_NOW": "2026-12-01T10:30:00+01:00"}  # Tuesday 10:30, the line is open
OUT = PROJECT_ROOT / "reports" / "bench" / "replicas.json"


def percentiles(values: Sequence[float]) -> Dict[str, float]:
    if len(values) < 2:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98]}


async def closed_loop(url: str, concurrency: int, warmup_s: float, seconds: float) -> Dict[str, float]:
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
                    async with session.post(url, json={"sender": sender, "message": text}) as response:
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
        **percentiles([(t1 - t0) * 1000 for t0, t1, ok in measured if ok]),
    }


def measure(replicas: int, levels: Sequence[int], warmup_s: float, seconds: float) -> List[Dict[str, float]]:
    with ScaledTopology(replicas=replicas, action_servers=2, extra_env=FIXED_NOW) as topology:
        asyncio.run(closed_loop(topology.rest_url, 4, 0, 3))  # warm both replicas' code paths
        rows = []
        for level in levels:
            row = asyncio.run(closed_loop(topology.rest_url, level, warmup_s, seconds))
            rows.append({"replicas": replicas, **row})
            print(f"[bench-scaled] {replicas} replica(s), {level} concurrent: {row['turns_per_s']:.1f} turns/s, "
                  f"p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, "
                  f"errors {row['errors']}/{row['turns']}", flush=True)
        return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--levels", default="10,50")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    rows = measure(1, levels, args.warmup, args.seconds) + measure(2, levels, args.warmup, args.seconds)
    print("\n| replicas | concurrent | turns/s | p50 ms | p95 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['replicas']} | {r['concurrency']} | {r['turns_per_s']:.1f} | {r['p50_ms']:.0f} | "
              f"{r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['errors']}/{r['turns']} |")
    for level in levels:
        one, two = (next(r for r in rows if r["replicas"] == n and r["concurrency"] == level) for n in (1, 2))
        print(f"throughput 2 replicas / 1 replica at {level} concurrent: {two['turns_per_s'] / one['turns_per_s']:.2f}x")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
