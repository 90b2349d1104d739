"""Sessions expire after inactivity (injected clock); the cookie is Secure outside development."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sanic import response

from staff.app import StaffContext, set_cookie
from staff.sessions import COOKIE, SessionStore, csrf_ok

START = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def test_idle_sessions_expire_and_activity_keeps_them() -> None:
    clock = Clock()
    sessions = SessionStore(clock, timedelta(minutes=30))
    session = sessions.new("anna")
    clock.now += timedelta(minutes=29)
    assert sessions.get(session.id) is session  # touched: the 30 minutes start again
    clock.now += timedelta(minutes=29)
    assert sessions.get(session.id) is session
    clock.now += timedelta(minutes=31)
    assert sessions.get(session.id) is None
    assert sessions.get(session.id) is None and sessions.get(None) is None


def test_csrf_compare() -> None:
    session = SessionStore(Clock(), timedelta(minutes=30)).new()
    assert csrf_ok(session, session.csrf)
    assert not csrf_ok(session, "") and not csrf_ok(session, None) and not csrf_ok(None, session.csrf)
    assert not csrf_ok(session, session.csrf[:-1] + "x")


def test_cookie_is_secure_unless_development() -> None:
    for secure in (True, False):
        context = StaffContext(engine=None, clock=Clock(), secure_cookie=secure)  # type: ignore[arg-type]
        resp = response.text("")
        set_cookie(context, resp, context.sessions.new())
        header = resp.cookies[COOKIE].encode("utf-8").decode()
        assert ("Secure" in header) is secure and "HttpOnly" in header and "SameSite=Strict" in header
