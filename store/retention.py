"""Deleting what is older than the retention period, by itself.

`ADVIESLIJN_RETENTION_DAYS` (default 30) applies to triage records and redacted fallback
messages; `ADVIESLIJN_AUDIT_RETENTION_DAYS` (default 365) to the audit log, which holds no triage
data. Ended line closures go after the same 30 days. Staff sessions go once past their idle time
or maximum age (store/staff_sessions.py). Anonymous insight counts are kept.
`run_periodically` is started by the staff app and the action server; `purge` is what it calls.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Callable, Dict

from sqlalchemy import delete
from sqlalchemy.engine import Engine

from store.db import utc
from store.staff_sessions import purge_expired
from store.schema import audit_log, fallback_messages, line_closures, triage_records
from store.known_settings import AUDIT_RETENTION_DAYS, RETENTION_DAYS

logger = logging.getLogger(__name__)
RETENTION_ENV = RETENTION_DAYS.name
AUDIT_RETENTION_ENV = AUDIT_RETENTION_DAYS.name
PURGE_INTERVAL_SECONDS = 3600


def retention_days() -> int:
    return int(RETENTION_DAYS.value())


def audit_retention_days() -> int:
    return int(AUDIT_RETENTION_DAYS.value())


def purge(engine: Engine, now: datetime) -> Dict[str, int]:
    """Delete everything past its retention at `now`; returns the number of rows per table."""
    now = utc(now)
    cutoff = now - timedelta(days=retention_days())
    audit_cutoff = now - timedelta(days=audit_retention_days())
    with engine.begin() as connection:
        deleted = {
            "triage_records": connection.execute(
                delete(triage_records).where(triage_records.c.created_hour < cutoff)).rowcount,
            "fallback_messages": connection.execute(
                delete(fallback_messages).where(fallback_messages.c.created_hour < cutoff)).rowcount,
            "line_closures": connection.execute(
                delete(line_closures).where(line_closures.c.last_day < cutoff.date())).rowcount,
            "audit_log": connection.execute(delete(audit_log).where(audit_log.c.at < audit_cutoff)).rowcount,
            "staff_sessions": purge_expired(connection, now),
        }
    return deleted


async def run_periodically(engine: Engine, clock: Callable[[], datetime],
                           interval: float = PURGE_INTERVAL_SECONDS) -> None:
    """Purge now and then every `interval` seconds, until cancelled; a failure is logged, not fatal."""
    while True:
        try:
            counts = await asyncio.get_running_loop().run_in_executor(None, purge, engine, clock())
            logger.info("retention: deleted %s", counts)
        except Exception:  # the next round tries again
            logger.exception("retention: purge failed")
        await asyncio.sleep(interval)
