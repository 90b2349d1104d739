"""Staff accounts: argon2 password hashes, and a lockout after repeated failed logins.

After MAX_FAILED failed logins in a row an account is locked for LOCK_MINUTES; a correct password
during the lock does not open it. An unknown user name and an attempt during a lockout cost the same
hash time as a known name, so timing does not tell which names exist or are locked; the result
UNKNOWN tells the caller only so that it can leave the typed name out of the audit log (the page
gives every failed log-in the same answer: staff/app.py LOGIN_FAILED).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Dict, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from store.audit import UNKNOWN_USER
from store.db import utc
from store.schema import staff_users

MAX_FAILED = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only for equal timing")


class LoginResult(Enum):
    OK = "ok"
    WRONG = "wrong"  # an existing account, a wrong password
    LOCKED_NOW = "locked_now"  # a wrong password, the MAX_FAILED-th in a row: it starts the lockout
    LOCKED = "locked"  # refused while the account is locked, whatever the password (it is not checked)
    UNKNOWN = "unknown"  # no account by that name: what was typed may be a password or someone's name


def create_user(engine: Engine, username: str, password: str, admin: Optional[bool] = None) -> None:
    """Create an account, or set a new password (and unlock) when it exists. `admin` True/False
    sets the admin flag (may read the audit log); None leaves it (a new account is no admin)."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("a user name has 1 to 64 characters")
    if username == UNKNOWN_USER:
        raise ValueError(f"{UNKNOWN_USER!r} is what the audit log writes for an unknown user name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    values: Dict[str, Any] = {"password_hash": _hasher.hash(password)}
    if admin is not None:
        values["is_admin"] = admin
    with engine.begin() as connection:
        if user_exists(connection, username):
            connection.execute(update(staff_users).where(staff_users.c.username == username).values(
                failed_logins=0, locked_until=None, active=True, **values))
        else:
            connection.execute(insert(staff_users).values(username=username, **values))


def user_exists(connection: Connection, username: str) -> bool:
    return connection.execute(select(staff_users.c.id).where(staff_users.c.username == username.strip())).first() \
        is not None


def set_admin(engine: Engine, username: str, admin: bool) -> bool:
    """Give or take the admin flag of an existing account; False when there is no such account."""
    with engine.begin() as connection:
        return connection.execute(update(staff_users).where(staff_users.c.username == username.strip())
                                  .values(is_admin=admin)).rowcount == 1


def check_login(engine: Engine, username: str, password: str, now: datetime) -> LoginResult:
    """Verify a login and count failures; LOCKED while the account is locked, whatever the password,
    LOCKED_NOW for the wrong password that locks it; UNKNOWN when no account has this name (a removed
    account is known: WRONG, and never opens). The audit log tells LOCKED apart (staff/app.py); the
    log-in form gives every result but OK the same answer."""
    now = utc(now)
    with engine.begin() as connection:
        row = connection.execute(select(staff_users).where(  # row lock: several staff processes count
            staff_users.c.username == username.strip()).with_for_update()).first()
        if row is None or not row.active:
            _verify(_DUMMY_HASH, password)
            return LoginResult.UNKNOWN if row is None else LoginResult.WRONG
        if row.locked_until is not None and utc(row.locked_until) > now:
            _verify(_DUMMY_HASH, password)  # the same hash time as any attempt: timing tells no lockout
            return LoginResult.LOCKED
        if _verify(row.password_hash, password):
            connection.execute(update(staff_users).where(staff_users.c.id == row.id).values(
                failed_logins=0, locked_until=None))
            return LoginResult.OK
        failed = row.failed_logins + 1
        locked_until: Optional[datetime] = None
        if failed >= MAX_FAILED:
            locked_until, failed = now + timedelta(minutes=LOCK_MINUTES), 0
        connection.execute(update(staff_users).where(staff_users.c.id == row.id).values(
            failed_logins=failed, locked_until=locked_until))
        return LoginResult.LOCKED_NOW if locked_until else LoginResult.WRONG


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
