"""`make run` shares one SQLite file between processes: the Rasa server (the insight broker), the
action server (triage codes) and the staff app (sessions). WAL and a busy timeout (store/db.py) let
them write at the same time: no "database is locked", no lost count."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from store import insight, staff_sessions
from store.db import make_engine, open_store

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
PROCESSES, ROUNDS = 3, 40


def _work(url: str) -> None:
    engine = make_engine(url)  # a process of its own, with its own connections
    for _ in range(ROUNDS):
        insight.count(engine, NOW, "conversation")
        session = staff_sessions.create(engine, NOW)
        assert staff_sessions.load(engine, session.id, NOW + timedelta(seconds=1)) is not None
    engine.dispose()


def test_three_processes_write_one_sqlite_file_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_store(url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_work, args=(url,)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    counts = insight.weekly(engine, NOW - timedelta(days=1))
    assert sum(c.get(("conversation", ""), 0) for c in counts.values()) == PROCESSES * ROUNDS
