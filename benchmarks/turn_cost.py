"""`make bench-turns`: what one turn costs at turn 5, 50 and 500 of one conversation.

One conversation over the REST channel against the real servers, stock Rasa (`.venv/bin/rasa`)
and ours (`python -m patches`), in the same run. The conversation repeats a short cycle of
messages (a greeting, a question, thanks); at each measuring point the same question is sent
`WINDOW` times and the median is taken, so the points differ only in the length of the history.
The turn cap (ADVIESLIJN_MAX_TURNS) is raised above the longest point: this measures the cost of
the history, not the cap. Target (issue 9): turn 500 at most 1.5x turn 5.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from typing import Dict, List, Sequence

import requests

from benchmarks.common import RASA, run_main, say
from channels.conversation_limit import RATE_ENV
from harness.servers import RASA_CLI, BotServers

POINTS = (5, 50, 500)
WINDOW = 5
FILLER = ("hallo", "Wat is een onderwijsconsulent?", "dank je wel")
PROBE = "Wat is een onderwijsconsulent?"
TARGET_RATIO = 1.5


def _send(url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    answer = requests.post(url, json={"sender": sender, "message": text}, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200 or not answer.json():
        raise RuntimeError(f"turn failed: HTTP {answer.status_code}")
    return elapsed


def measure(servers: BotServers, points: Sequence[int] = POINTS, window: int = WINDOW) -> Dict[int, float]:
    """Median ms per turn for `window` probe turns starting at each point (1-based turn numbers)."""
    sender = f"bench-{uuid.uuid4().hex}"
    session = requests.Session()
    url = servers.rest_url
    medians: Dict[int, float] = {}
    turn = 0
    for point in points:
        while turn < point - 1:
            session.post(url, json={"sender": sender, "message": FILLER[turn % len(FILLER)]}, timeout=120)
            turn += 1
        times: List[float] = []
        for _ in range(window):
            times.append(_send(url, sender, PROBE))
            turn += 1
        medians[point] = statistics.median(times)
    return medians


def run(label: str, command: List[str], points: Sequence[int], max_turns: int) -> Dict[int, float]:
    say("bench-turns", f"{label}: starting the servers")
    # One conversation of hundreds of turns as fast as possible: the per-conversation limit is off.
    env = {"ADVIESLIJN_MAX_TURNS": str(max_turns), RATE_ENV: "off"}
    with BotServers(rasa_command=command, extra_env=env) as servers:
        _send(servers.rest_url, "warm-up", "hallo")
        return measure(servers, points)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", default=",".join(map(str, POINTS)), help="turn numbers to measure")
    parser.add_argument("--ours-only", action="store_true", help="skip stock Rasa")
    args = parser.parse_args(argv)
    points = sorted(int(p) for p in args.points.split(","))
    max_turns = points[-1] + WINDOW + 10
    results = {"ours": run("ours (python -m patches)", RASA_CLI, points, max_turns)}
    if not args.ours_only:
        results["stock Rasa"] = run("stock Rasa (.venv/bin/rasa)", [str(RASA)], points, max_turns)
    print()
    print(f"ms per turn (median of {WINDOW} turns) at each point of one conversation")
    print(f"{'':<12}" + "".join(f"{f'turn {p}':>12}" for p in points) + f"{'last/first':>12}")
    for label, medians in results.items():
        ratio = medians[points[-1]] / medians[points[0]]
        print(f"{label:<12}" + "".join(f"{medians[p]:>12.1f}" for p in points) + f"{ratio:>11.2f}x")
    print(f"target: turn {points[-1]} at most {TARGET_RATIO}x turn {points[0]} (ours)")


if __name__ == "__main__":
    run_main("bench-turns", main)
