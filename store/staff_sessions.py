"""Staff page sessions in the store, so several staff processes share them and a restart keeps them.

The cookie carries a random id (256 bits); the table keeps only its sha256, so reading the table
opens no session. Each session has its own CSRF token. A session ends at log-out, after
`ADVIESLIJN_STAFF_IDLE_MINUTES` (30) without a request, and at the latest
`ADVIESLIJN_STAFF_MAX_HOURS` (12) after it began; an ended session is refused at once and its row is
deleted by the retention task (`purge_expired`). Before log-in a session is anonymous (it carries the
log-in form's token); logging in starts a new one, so an id planted before log-in is worthless after.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from store.db import utc
from store.schema import staff_sessions, staff_users
from store.known_settings import STAFF_IDLE_MINUTES, STAFF_MAX_HOURS

IDLE_MINUTES_ENV = STAFF_IDLE_MINUTES.name
MAX_HOURS_ENV = STAFF_MAX_HOURS.name
MAX_FLASH = 200


@dataclass
class Session:
    id: str  # the cookie's value; never stored
    csrf: str
    username: Optional[str] = None
    is_admin: bool = False
    flash: Optional[str] = None


def idle_timeout() -> timedelta:
    return timedelta(minutes=STAFF_IDLE_MINUTES.value())


def max_age() -> timedelta:
    return timedelta(hours=STAFF_MAX_HOURS.value())


def hash_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def create(engine: Engine, now: datetime, username: Optional[str] = None) -> Session:
    """A new session (anonymous when `username` is None); its id goes into the cookie only."""
    session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), username)
    now = utc(now)
    with engine.begin() as connection:
        connection.execute(insert(staff_sessions).values(
            id_hash=hash_id(session.id), csrf=session.csrf, username=username, created_at=now, last_seen=now))
        if username:
            session.is_admin = _is_admin(connection, username)
    return session


def load(engine: Engine, session_id: Optional[str], now: datetime) -> Optional[Session]:
    """The live session for a cookie's id, touched (its idle time starts again) and with its flash
    message taken out; None when unknown, ended, idle too long, too old or its account is gone."""
    if not session_id or len(session_id) > 128:
        return None
    now, key = utc(now), hash_id(session_id)
    with engine.begin() as connection:
        row = connection.execute(
            select(staff_sessions, staff_users.c.is_admin, staff_users.c.active)
            .select_from(staff_sessions.outerjoin(staff_users, staff_users.c.username == staff_sessions.c.username))
            .where(staff_sessions.c.id_hash == key)).first()
        if row is None:
            return None
        account_gone = row.username is not None and not row.active
        if account_gone or _expired(row.last_seen, row.created_at, now):
            connection.execute(delete(staff_sessions).where(staff_sessions.c.id_hash == key))
            return None
        connection.execute(update(staff_sessions).where(staff_sessions.c.id_hash == key)
                           .values(last_seen=now, flash=None))
    return Session(session_id, row.csrf, row.username, bool(row.is_admin), row.flash)


def end(engine: Engine, session_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(staff_sessions).where(staff_sessions.c.id_hash == hash_id(session_id)))


def set_flash(engine: Engine, session_id: str, message: str) -> None:
    """A one-time message for the session's next page (after a form's redirect)."""
    with engine.begin() as connection:
        connection.execute(update(staff_sessions).where(staff_sessions.c.id_hash == hash_id(session_id))
                           .values(flash=message[:MAX_FLASH]))


def purge_expired(connection: Connection, now: datetime) -> int:
    """Delete the rows of sessions past their idle time or maximum age (the retention task)."""
    now = utc(now)
    return connection.execute(delete(staff_sessions).where(or_(
        staff_sessions.c.last_seen < now - idle_timeout(),
        staff_sessions.c.created_at < now - max_age()))).rowcount


def _expired(last_seen: datetime, created_at: datetime, now: datetime) -> bool:
    return now - utc(last_seen) > idle_timeout() or now - utc(created_at) > max_age()


def _is_admin(connection: Connection, username: str) -> bool:
    return bool(connection.execute(select(staff_users.c.is_admin).where(staff_users.c.username == username))
                .scalar())
