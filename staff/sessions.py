"""The staff page's sessions as the app uses them: the cookie's name, the CSRF check, and the
session store bound to the app's database and clock.

The sessions themselves live in the store (store/staff_sessions.py: hashed ids, a CSRF token each,
idle expiry and a maximum age), so several staff processes share them and a restart keeps them.
The cookie holds only the random session id (HttpOnly, SameSite=Strict, Secure unless local
development).
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy.engine import Engine

from store import staff_sessions
from store.staff_sessions import Session

COOKIE = "medewerkers_sessie"
__all__ = ["COOKIE", "Session", "SessionStore", "csrf_ok"]


class SessionStore:
    """Blocking calls (run them off the event loop): create, load, end a session, leave a message."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def new(self, username: Optional[str] = None) -> Session:
        return staff_sessions.create(self._engine, self._clock(), username)

    def get(self, session_id: Optional[str]) -> Optional[Session]:
        """The live session for an id (touching it), or None when unknown, ended or expired."""
        return staff_sessions.load(self._engine, session_id, self._clock())

    def end(self, session_id: str) -> None:
        staff_sessions.end(self._engine, session_id)

    def flash(self, session: Session, message: str) -> None:
        staff_sessions.set_flash(self._engine, session.id, message)


def csrf_ok(session: Optional[Session], sent: Optional[str]) -> bool:
    """The form's token matches the session's (constant-time compare)."""
    return session is not None and bool(sent) and hmac.compare_digest(session.csrf, sent or "")
