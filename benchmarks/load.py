"""Load generation: scenarios that drive the Rasa server over its REST channel, and `measure`, which
runs one and adds what the servers and this process used meanwhile.

A scenario is a function of the REST channel's URL that returns its numbers (a JSON-able dict). It
calls `measuring()` once, when the part it reports on starts (after any warm-up), so that `measure`
can attribute CPU time to that window; called without it, it just runs. To add one (say, cost per
turn by conversation length): write the function, run it with `measure` in benchmarks.load_bench, and
give its numbers a section in benchmarks.bench_report. Another topology needs no new scenario: e.g.
`measure(pids_of_every_replica, nginx_url, closed_loop(10, window, convs))`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import psutil

from benchmarks.conversations import REQUEST_TIMEOUT_S, Script
from benchmarks.server_control import Pids, tree_cpu_s, tree_rss_mb

Scenario = Callable[[str, Callable[[], None]], Dict[str, Any]]  # (REST URL, measuring) -> numbers


@dataclass(frozen=True)
class Window:
    """Each load level: `warmup_s` unmeasured, then `duration_s` measured."""

    warmup_s: float
    duration_s: float


def percentile(values: Sequence[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def closed_loop(concurrency: int, window: Window, convs: Sequence[Script]) -> Scenario:
    """The scenario: `concurrency` simulated parents, each sending a turn, waiting for the reply,
    sending the next, conversation after conversation (fresh sender each) until the window ends."""

    def scenario(url: str, measuring: Callable[[], None] = lambda: None) -> Dict[str, Any]:
        return asyncio.run(_closed_loop(url, concurrency, window, convs, measuring))

    return scenario


async def _closed_loop(
    url: str, concurrency: int, window: Window, convs: Sequence[Script], on_window_start: Callable[[], None],
) -> Dict[str, Any]:
    """Turns that start in the measured window count for latency, turns that end in it for throughput."""
    import aiohttp

    counter = itertools.count()
    turns: List[Tuple[float, float, bool]] = []
    conversations_done = 0
    started = time.monotonic()
    duration_s = window.duration_s
    window_start, window_end = started + window.warmup_s, started + window.warmup_s + duration_s

    async def parent(session: "aiohttp.ClientSession") -> None:
        nonlocal conversations_done
        while time.monotonic() < window_end:
            script = convs[next(counter) % len(convs)]
            sender = f"bench-{uuid.uuid4().hex}"
            for text, _ in script.turns:
                if time.monotonic() >= window_end:
                    return
                t0 = time.monotonic()
                try:
                    async with session.post(url, json={"sender": sender, "message": text}) as response:
                        body = await response.json(content_type=None)
                        ok = response.status == 200 and bool(body)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                turns.append((t0, time.monotonic(), ok))
            conversations_done += 1

    async def mark_window() -> None:
        await asyncio.sleep(max(0.0, window_start - time.monotonic()))
        on_window_start()

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(mark_window(), *(parent(session) for _ in range(concurrency)))
    measured = [(t0, t1, ok) for t0, t1, ok in turns if window_start <= t0 < window_end]
    latencies = [(t1 - t0) * 1000 for t0, t1, ok in measured if ok]
    finished_in_window = [1 for _, t1, ok in turns if window_start <= t1 <= window_end and ok]
    return {
        "concurrency": concurrency,
        "measured_seconds": duration_s,
        "turns_measured": len(measured),
        "errors": sum(not ok for _, _, ok in measured),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
        "throughput_turns_per_s": len(finished_in_window) / duration_s,
        "conversations_completed": conversations_done,
    }


def measure(pids: Pids, url: str, scenario: Scenario) -> Dict[str, Any]:
    """Run `scenario` against `url`; add the CPU cores each server in `pids` and this load generator
    used in its measured window, the load average and the servers' RSS after it."""
    me = psutil.Process()
    marks: Dict[str, float] = {}

    def snapshot() -> Dict[str, float]:
        own = me.cpu_times()
        return {**{name: tree_cpu_s(pid()) for name, pid in pids.items()},
                "loadgen": own.user + own.system, "wall": time.monotonic()}

    def on_window_start() -> None:
        marks.update(snapshot())

    result = scenario(url, on_window_start)
    end = snapshot()
    wall = end["wall"] - marks["wall"]
    result["cpu_cores_used"] = {k: round((end[k] - marks[k]) / wall, 2) for k in [*pids, "loadgen"]}
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["rss_mb_after"] = {name: round(tree_rss_mb(pid()), 1) for name, pid in pids.items()}
    return result
