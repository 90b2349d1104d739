"""Finished triages: saved with a fresh code, looked up by code only (there is no list)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Mapping, Optional

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from store import codes
from store.db import hour_of, utc
from store.retention import retention_days
from store.schema import triage_records

MAX_TRIES = 8


@dataclass(frozen=True)
class TriageRecord:
    code: str
    answers: Dict[str, Any]
    outcome: str
    reason: str
    created_hour: datetime


def save_triage(
    engine: Engine,
    answers: Mapping[str, Any],
    outcome: str,
    reason: str,
    now: datetime,
    draw: Callable[[], str] = codes.new_code,
) -> str:
    """Store a triage and return its code; draws again if the code is taken (unique constraint).

    `answers` holds the structured triage answers only (slot values, no free text).
    """
    row = {
        "answers_json": json.dumps(dict(answers), sort_keys=True, ensure_ascii=False),
        "outcome": outcome,
        "reason": reason or "",
        "created_hour": hour_of(now),
    }
    for _ in range(MAX_TRIES):
        code = draw()
        try:
            with engine.begin() as connection:
                connection.execute(insert(triage_records).values(code=code, **row))
            return code
        except IntegrityError:
            continue
    raise RuntimeError(f"no free triage code after {MAX_TRIES} tries")


def find_triage(engine: Engine, typed_code: str, now: datetime) -> Optional[TriageRecord]:
    """The triage for a code, or None when it does not exist, is malformed or has expired.

    The three cases give the same answer on purpose: nobody can tell an old code from a wrong one.
    """
    code = codes.normalize(typed_code)
    if code is None:
        return None
    with engine.connect() as connection:
        row = connection.execute(select(triage_records).where(triage_records.c.code == code)).first()
    if row is None:
        return None
    created = utc(row.created_hour)
    if created < utc(now) - timedelta(days=retention_days()):
        return None
    return TriageRecord(code, json.loads(row.answers_json), row.outcome, row.reason, created)
