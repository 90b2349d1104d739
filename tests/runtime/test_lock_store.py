"""Our atomic Redis lock store against a real Redis, racing processes on one conversation.

The same race is run with Rasa 3.6's own RedisLockStore and its numbers are printed beside ours
(run with -s to see them); only our store's guarantees are asserted.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue as queue_module
import signal
import time
import uuid
from typing import Dict

import pytest
import redis
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from stores.redis_lock_store import AtomicRedisLockStore

pytestmark = pytest.mark.runtime

PROCESSES = 4
ROUNDS = 5
WORK_S = 0.005  # time spent inside the lock: long enough for others to try to get in
# Rasa's store waits out a lost ticket for its whole lifetime (60 s by default); 5 s keeps it short.
RASA_LOCK_LIFETIME_S = 5


def make_store(kind: str, port: int, lease_seconds: float = 10) -> object:
    if kind == "ours":
        config = EndpointConfig(url="127.0.0.1", port=port, db=0, lease_seconds=lease_seconds)
        return AtomicRedisLockStore(config)
    return RedisLockStore(host="127.0.0.1", port=port, db=0)


async def _rounds(kind: str, port: int, conversation: str, results: Dict[str, int]) -> None:
    store = make_store(kind, port)
    shared = redis.Redis(host="127.0.0.1", port=port, db=0)
    for _ in range(ROUNDS):
        try:
            lifetime = {"lock_lifetime": RASA_LOCK_LIFETIME_S} if kind == "rasa" else {}
            async with store.lock(conversation, **lifetime):
                if shared.incr(f"inside:{conversation}") > 1:
                    results["overlaps"] += 1
                count = int(shared.get(f"count:{conversation}") or 0)  # read-modify-write the lock guards
                await asyncio.sleep(WORK_S)
                shared.set(f"count:{conversation}", count + 1)
                shared.decr(f"inside:{conversation}")
        except LockError:
            results["lock_errors"] += 1


def _worker(kind: str, port: int, conversation: str, start, queue) -> None:
    results = {"overlaps": 0, "lock_errors": 0}
    start.wait()
    asyncio.run(_rounds(kind, port, conversation, results))
    queue.put(results)


def race(kind: str, port: int, budget_s: float) -> Dict[str, float]:
    """PROCESSES processes, each taking the lock of one conversation ROUNDS times, all at once.

    Workers still running after budget_s are killed and counted as unfinished: Rasa's own store
    can wait out several lost tickets (one lock lifetime each), and its numbers are only printed.
    """
    conversation = f"race-{uuid.uuid4().hex}"
    ctx = multiprocessing.get_context("fork")
    start, queue = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(kind, port, conversation, start, queue)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)
    began = time.monotonic()
    start.set()
    totals = {"overlaps": 0, "lock_errors": 0, "unfinished": 0}
    for finished in range(PROCESSES):
        try:
            results = queue.get(timeout=max(0.1, began + budget_s - time.monotonic()))
        except queue_module.Empty:
            totals["unfinished"] = PROCESSES - finished
            break
        for key, value in results.items():
            totals[key] += value
    elapsed = time.monotonic() - began
    for worker in workers:
        if worker.is_alive() and totals["unfinished"]:
            worker.kill()
        worker.join(timeout=10)
    count = int(redis.Redis(host="127.0.0.1", port=port).get(f"count:{conversation}") or 0)
    done = (PROCESSES - totals["unfinished"]) * ROUNDS
    return {**totals, "lost_updates": max(0, done - totals["lock_errors"] - count), "seconds": elapsed}


def test_racing_processes_enter_one_at_a_time_and_none_is_lost(redis_server) -> None:
    ours = race("ours", redis_server.port, budget_s=120)
    rasa = race("rasa", redis_server.port, budget_s=30)
    for name, numbers in (("AtomicRedisLockStore", ours), ("Rasa RedisLockStore", rasa)):
        print(
            f"\nlock race {PROCESSES}x{ROUNDS} on one conversation, {name}: {numbers['seconds']:.2f} s, "
            f"overlaps {numbers['overlaps']}, lost updates {numbers['lost_updates']}, "
            f"lock errors {numbers['lock_errors']}, workers unfinished {numbers['unfinished']}"
        )
    assert ours["unfinished"] == 0
    assert ours["overlaps"] == 0
    assert ours["lost_updates"] == 0
    assert ours["lock_errors"] == 0


def test_turns_are_served_in_the_order_their_tickets_were_issued(redis_server) -> None:
    store = make_store("ours", redis_server.port)
    conversation = f"order-{uuid.uuid4().hex}"
    entered = []

    async def turn() -> None:
        async with store.lock(conversation) as lock:
            entered.append(lock.tickets[0].number)
            await asyncio.sleep(0.01)

    async def main() -> None:
        await asyncio.gather(*(turn() for _ in range(8)))

    asyncio.run(main())
    assert entered == sorted(entered) and len(entered) == 8
    assert store.get_lock(conversation) is None  # the last release removed the lock


def _hold_forever(port: int, conversation: str, holding) -> None:
    async def hold() -> None:
        async with make_store("ours", port, lease_seconds=1).lock(conversation):
            holding.set()
            await asyncio.sleep(3600)

    asyncio.run(hold())


def test_a_killed_holders_lock_lapses_after_one_lease(redis_server) -> None:
    conversation = f"killed-{uuid.uuid4().hex}"
    ctx = multiprocessing.get_context("fork")
    holding = ctx.Event()
    holder = ctx.Process(target=_hold_forever, args=(redis_server.port, conversation, holding))
    holder.start()
    assert holding.wait(20)
    time.sleep(1.5)  # the holder renews its ticket: it outlives one lease while it is alive
    assert make_store("ours", redis_server.port).get_lock(conversation) is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()

    async def next_turn() -> float:
        began = time.monotonic()
        async with make_store("ours", redis_server.port, lease_seconds=1).lock(conversation):
            return time.monotonic() - began

    waited = asyncio.run(asyncio.wait_for(next_turn(), timeout=15))
    print(f"\nlock of a killed holder taken over after {waited:.2f} s (lease 1 s)")


def test_redis_down_is_a_lock_error_not_a_hang() -> None:
    from harness.servers import free_port

    store = make_store("ours", free_port())

    async def turn() -> None:
        async with store.lock("nobody-listens"):
            pass

    with pytest.raises(LockError):
        asyncio.run(asyncio.wait_for(turn(), timeout=15))
