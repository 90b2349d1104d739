"""Server-side sessions of the staff page, with a CSRF token each and expiry after inactivity.

The cookie holds only a random session id (HttpOnly, SameSite=Strict, Secure unless local
development). Sessions live in this process's memory: the staff app runs as one process; a restart
logs everybody out, which is acceptable for a handful of volunteers.
Before login a session is anonymous (it carries the login form's CSRF token); logging in replaces
it with a new id, so a session id planted before login is worthless after it.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Dict, Optional

COOKIE = "medewerkers_sessie"
MAX_SESSIONS = 10_000


@dataclass
class Session:
    id: str
    csrf: str
    last_seen: datetime
    username: Optional[str] = None
    flash: Optional[str] = field(default=None)


class SessionStore:
    def __init__(self, clock: Callable[[], datetime], idle: timedelta) -> None:
        self._clock = clock
        self._idle = idle
        self._sessions: Dict[str, Session] = {}
        self._lock = threading.Lock()

    def new(self, username: Optional[str] = None) -> Session:
        now = self._clock()
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                self._drop_expired(now)
                if len(self._sessions) >= MAX_SESSIONS:  # a flood of anonymous sessions: oldest go
                    for key in sorted(self._sessions, key=lambda k: self._sessions[k].last_seen)[:1000]:
                        del self._sessions[key]
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now, username)
            self._sessions[session.id] = session
        return session

    def get(self, session_id: Optional[str]) -> Optional[Session]:
        """The live session for an id (touching it), or None when unknown or idle too long."""
        if not session_id:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > self._idle:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _drop_expired(self, now: datetime) -> None:
        for key in [k for k, s in self._sessions.items() if now - s.last_seen > self._idle]:
            del self._sessions[key]


def csrf_ok(session: Optional[Session], sent: Optional[str]) -> bool:
    """The form's token matches the session's (constant-time compare)."""
    return session is not None and bool(sent) and hmac.compare_digest(session.csrf, sent or "")
