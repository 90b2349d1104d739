"""Line closures set by volunteers: the line is closed from one day to another (local dates).

The bot's hand-off reads `closed_days` at every hand-off, so a closure shows at once on every
replica that shares the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from store.schema import line_closures

MAX_REASON = 80
MAX_DAYS = 366


@dataclass(frozen=True)
class Closure:
    id: int
    first_day: date
    last_day: date
    reason: str
    created_by: str


def close_line(engine: Engine, first_day: date, last_day: date, reason: str, username: str) -> int:
    """Close the line from `first_day` to `last_day` (inclusive); returns the closure's id."""
    if last_day < first_day:
        raise ValueError("de einddatum ligt voor de begindatum")
    if (last_day - first_day).days >= MAX_DAYS:
        raise ValueError("een sluiting duurt hoogstens een jaar")
    reason = " ".join((reason or "").split())[:MAX_REASON]
    with engine.begin() as connection:
        result = connection.execute(insert(line_closures).values(
            first_day=first_day, last_day=last_day, reason=reason, created_by=username))
        return int(result.inserted_primary_key[0])


def reopen(engine: Engine, closure_id: int) -> bool:
    """End a closure; False if there was no such active closure."""
    with engine.begin() as connection:
        result = connection.execute(update(line_closures).where(
            line_closures.c.id == closure_id, line_closures.c.active.is_(True)).values(active=False))
        return result.rowcount == 1


def current_and_future(engine: Engine, today: date) -> List[Closure]:
    """Active closures that have not ended before `today`, earliest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(line_closures).where(
            line_closures.c.active.is_(True), line_closures.c.last_day >= today)
            .order_by(line_closures.c.first_day, line_closures.c.id)).all()
    return [Closure(r.id, r.first_day, r.last_day, r.reason, r.created_by) for r in rows]


def closed_days(engine: Engine, today: date, horizon_days: int = MAX_DAYS) -> Dict[date, str]:
    """Every closed day from `today` on (within the horizon), with its reason ('' if none)."""
    days: Dict[date, str] = {}
    end = today + timedelta(days=horizon_days)
    for closure in current_and_future(engine, today):
        day = max(closure.first_day, today)
        while day <= min(closure.last_day, end):
            days.setdefault(day, closure.reason)
            day += timedelta(days=1)
    return days
