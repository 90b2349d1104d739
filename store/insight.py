"""Anonymous counts per hour for the overview and `make report`: kind + name, nothing else.

Kinds: conversation (a session started), intent (name = intent), situation (once per finished
triage, counted by actions/staff_store.py), outcome (name = the value), handoff (name = open/closed),
crisis, fallback, feedback (name = yes/no) and feedback_reason (name = the fixed name of a reason
button, actions/feedback_actions.REASONS); both feedback kinds are counted once per conversation
by the action that receives them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Dict, Tuple

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from store.db import hour_of, utc
from store.schema import insight_counts

KINDS = frozenset({"conversation", "intent", "situation", "outcome", "handoff", "crisis", "fallback", "feedback",
                   "feedback_reason"})


def count(engine: Engine, now: datetime, kind: str, name: str = "", amount: int = 1) -> None:
    """Add `amount` to the counter of (this hour, kind, name)."""
    if kind not in KINDS:
        raise ValueError(f"unknown insight kind {kind!r}")
    hour, name = hour_of(now), name[:64]
    key = and_(insight_counts.c.hour == hour, insight_counts.c.kind == kind, insight_counts.c.name == name)
    for _ in range(3):  # insert-or-update that survives two replicas counting the same new hour
        with engine.begin() as connection:
            updated = connection.execute(
                update(insight_counts).where(key).values(count=insight_counts.c.count + amount)).rowcount
            if updated:
                return
            try:
                with connection.begin_nested():
                    connection.execute(insert(insight_counts).values(hour=hour, kind=kind, name=name, count=amount))
                return
            except IntegrityError:
                continue
    raise RuntimeError("could not update an insight counter")


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def weekly(engine: Engine, since: datetime) -> Dict[date, Dict[Tuple[str, str], int]]:
    """{monday: {(kind, name): count}} from `since` on (UTC weeks)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(insight_counts.c.hour, insight_counts.c.kind, insight_counts.c.name,
                   func.sum(insight_counts.c.count))
            .where(insight_counts.c.hour >= utc(since))
            .group_by(insight_counts.c.hour, insight_counts.c.kind, insight_counts.c.name)).all()
    weeks: Dict[date, Dict[Tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for hour, kind, name, total in rows:
        weeks[week_start(utc(hour).date())][(kind, name)] += int(total)
    return {week: dict(counts) for week, counts in sorted(weeks.items())}
