"""The CSRF compare, and the cookie: Secure outside development, always HttpOnly and SameSite=Strict.
(The sessions themselves: tests/store/test_staff_sessions.py.)"""

from __future__ import annotations

from datetime import datetime, timezone

from sanic import response

from staff.app import StaffContext, set_cookie
from staff.sessions import COOKIE, Session, SessionStore, csrf_ok
from store.db import open_store


def clock() -> datetime:
    return datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def test_csrf_compare() -> None:
    session = Session("id", "a-csrf-token")
    assert csrf_ok(session, session.csrf)
    assert not csrf_ok(session, "") and not csrf_ok(session, None) and not csrf_ok(None, session.csrf)
    assert not csrf_ok(session, session.csrf[:-1] + "x")


def test_cookie_is_secure_unless_development(tmp_path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    for secure in (True, False):
        context = StaffContext(engine=engine, clock=clock, secure_cookie=secure)
        resp = response.text("")
        session = SessionStore(engine, clock).new()
        set_cookie(context, resp, session)
        header = resp.cookies[COOKIE].encode("utf-8").decode()
        assert ("Secure" in header) is secure and "HttpOnly" in header and "SameSite=Strict" in header
        assert session.id in header and context.sessions.get(session.id) is not None
