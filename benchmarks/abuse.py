"""`make bench-abuse`: a parent's latency while another client abuses the bot (issue 10).

Behind nginx (the scaled topology, two replicas), a well-behaved client on 127.0.0.1 sends one
message at a time. First alone (its idle p50), then while an abusive client on 127.0.0.2 sends a
burst of 500 requests and a series of 10 MB bodies. Prints both p50s and their ratio (target: at
most 2x) and what the abusive client got back. Not a pass/fail test: the machine is shared.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections import Counter
from typing import Dict, List

import requests
from requests_toolbelt.adapters.source import SourceAddressAdapter

from actions.clock import FIXED_NOW_ENV
from channels.conversation_limit import RATE_ENV
from harness.scaled import ScaledTopology

SAMPLES = 40
BURST = 500
BIG_BODIES = 10
TARGET_RATIO = 2.0


def victim_p50(url: str, headers: Dict[str, str], samples: int = SAMPLES) -> float:
    session, sender, times = requests.Session(), f"calm-{uuid.uuid4().hex}", []
    for _ in range(samples):
        started = time.monotonic()
        session.post(url, json={"sender": sender, "message": "hallo"}, headers=headers, timeout=60)
        times.append((time.monotonic() - started) * 1000)
    return statistics.median(times)


def abuse(url: str, headers: Dict[str, str], statuses: Counter, stop: threading.Event) -> None:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter("127.0.0.2"))
    big = b'{"sender": "big", "message": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    for n in range(BURST):
        if stop.is_set():
            return
        try:
            if n % (BURST // BIG_BODIES) == 0:
                answer = session.post(url, data=big, headers={**headers, "Content-Type": "application/json"}, timeout=60)
            else:
                answer = session.post(url, json={"sender": f"burst-{n}", "message": "hallo"}, headers=headers, timeout=60)
            statuses[answer.status_code] += 1
        except requests.RequestException as error:
            statuses[type(error).__name__] += 1


def main() -> None:
    # The measured parent sends SAMPLES messages in a row in one conversation, more than the
    # per-conversation limit allows; the abuse comes from other senders, so the limit is off here.
    env = {FIXED_NOW_ENV: "2026-12-01T10:30:00+01:00", RATE_ENV: "off"}
    with ScaledTopology(replicas=2, action_servers=2, extra_env=env) as topology:
        url, headers = topology.rest_url, topology.rest_headers
        victim_p50(url, headers, 5)  # warm up
        idle = victim_p50(url, headers)
        statuses: Counter = Counter()
        stop = threading.Event()
        attacker = threading.Thread(target=abuse, args=(url, headers, statuses, stop))
        attacker.start()
        time.sleep(0.2)
        loaded = victim_p50(url, headers)
        stop.set()
        attacker.join(timeout=120)
    ratio = loaded / idle if idle else float("nan")
    verdict = "met" if ratio <= TARGET_RATIO else "missed"
    lines: List[str] = [
        f"victim p50 idle: {idle:.1f} ms; during the abuse: {loaded:.1f} ms; ratio {ratio:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x: {verdict})",
        f"what the abusive client got: {dict(statuses)}",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
