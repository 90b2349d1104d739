"""The audit log: who did what when (a look-up, a closure, a label, a login, reading this log).
No triage data. Admins read it on the staff page (Logboek), newest first, a page at a time."""

from __future__ import annotations

from datetime import datetime
from typing import List, Tuple

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from store.db import utc
from store.schema import audit_log

# Who a failed log-in with an unknown user name is written as: what was typed there may be a password
# in the wrong field or another person's name, so it is never stored (no account can have this name).
UNKNOWN_USER = "(onbekende gebruikersnaam)"
# login_failed: a wrong password or an unknown name; login_locked: refused because the account was
# locked (the password is not even checked); login_failed_or_locked: entries from before these two
# were told apart (migration 0004), which may be either.
ACTIONS = frozenset({"login", "login_failed", "login_locked", "login_failed_or_locked", "logout", "lookup",
                     "close_line", "reopen_line", "label", "view_audit", "audit_refused"})


def record(engine: Engine, now: datetime, username: str, action: str, subject: str = "") -> None:
    """Write one audit entry; `subject` is a code, a closure id or a message id, never content."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with engine.begin() as connection:
        connection.execute(insert(audit_log).values(
            at=utc(now), username=username[:64], action=action, subject=subject[:64]))


def entries(engine: Engine, limit: int = 200, offset: int = 0) -> List[Tuple[datetime, str, str, str]]:
    """The newest entries first: (time, user, action, subject), skipping the newest `offset`."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.at, audit_log.c.username, audit_log.c.action, audit_log.c.subject)
            .order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit).offset(offset)).all()
    return [(utc(r.at), r.username, r.action, r.subject) for r in rows]
