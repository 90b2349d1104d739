"""Five messages of one conversation at the same moment, to two replicas: our lock store against
Rasa 3.6's own RedisLockStore, in the real topology (not pass/fail; `make bench-scaled` runs it).

For each store, TRIES conversations get five different messages at once, alternately to replica 1
and 2 directly. Printed per try: HTTP status codes, the slowest reply, and what the tracker in
Redis holds: how many of the five turns were stored (5 = none lost or doubled) and whether turns
interleaved. tests/runtime/test_scaled_topology.py asserts this for our store.

    python -m benchmarks.lock_race [--tries 4]
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from harness.redis_trackers import stored_events, turns_never_interleave, user_texts
from harness.scaled import ScaledTopology

TEXTS = ["hallo", "wat is een onderwijsconsulent?", "wat is jullie telefoonnummer?",
         "hoe laat zijn jullie open?", "dank je wel"]


def race_once(topology: ScaledTopology) -> str:
    sender, barrier, slowest = f"race-{uuid.uuid4().hex}", threading.Barrier(len(TEXTS)), [0.0]

    def send(index: int) -> int:
        barrier.wait()
        began = time.monotonic()
        try:
            status = requests.post(topology.replica_rest_url(index % 2),
                                   json={"sender": sender, "message": TEXTS[index]}, timeout=90).status_code
        except requests.RequestException:
            status = 0
        slowest[0] = max(slowest[0], time.monotonic() - began)
        return status

    with ThreadPoolExecutor(len(TEXTS)) as pool:
        codes = list(pool.map(send, range(len(TEXTS))))
    events = stored_events(topology.redis.client(), sender)
    return (f"HTTP {codes}, slowest reply {slowest[0]:.2f} s, turns stored {len(user_texts(events))}/5, "
            f"interleaved {'no' if turns_never_interleave(events) else 'YES'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=4)
    args = parser.parse_args()
    for name, rasa_lock_store in (("AtomicRedisLockStore (ours)", False), ("Rasa RedisLockStore", True)):
        with ScaledTopology(replicas=2, rasa_lock_store=rasa_lock_store) as topology:
            for attempt in range(args.tries):
                print(f"[lock-race] {name}, try {attempt + 1}: {race_once(topology)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
