"""Staff sessions in the store, on SQLite and PostgreSQL: only the id's sha256 is stored, a CSRF
token each, idle expiry, a maximum age, ended at log-out, expired rows deleted by the retention
task, and a session made by one process is found by another (another engine)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from store import retention, staff_sessions
from store.db import make_engine
from store.schema import staff_sessions as table
from store.staff_users import create_user, set_admin

START = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def test_only_the_hash_of_the_id_is_stored_and_another_process_finds_it(store) -> None:
    create_user(store, "anna", "een lang wachtwoord")
    session = staff_sessions.create(store, START, "anna")
    with store.connect() as connection:
        rows = connection.execute(select(table)).all()
    assert [r.id_hash for r in rows] == [hashlib.sha256(session.id.encode()).hexdigest()]
    assert session.id not in repr(rows)
    other_process = make_engine(str(store.url.render_as_string(hide_password=False)))
    try:
        found = staff_sessions.load(other_process, session.id, START + timedelta(minutes=1))
    finally:
        other_process.dispose()
    assert found is not None and found.username == "anna" and found.csrf == session.csrf
    assert not found.is_admin
    assert staff_sessions.load(store, hashlib.sha256(session.id.encode()).hexdigest(), START) is None
    assert staff_sessions.load(store, None, START) is None and staff_sessions.load(store, "x" * 500, START) is None


def test_each_session_has_its_own_csrf_token_and_admin_flag(store) -> None:
    create_user(store, "anna", "een lang wachtwoord")
    create_user(store, "bert", "een lang wachtwoord", admin=True)
    first, second = staff_sessions.create(store, START, "anna"), staff_sessions.create(store, START, "bert")
    assert first.csrf != second.csrf and first.id != second.id and len(first.id) >= 43
    assert second.is_admin and staff_sessions.load(store, second.id, START).is_admin
    assert set_admin(store, "bert", False) and not staff_sessions.load(store, second.id, START).is_admin
    anonymous = staff_sessions.create(store, START)
    assert staff_sessions.load(store, anonymous.id, START).username is None


def test_idle_expiry_and_activity_keeps_it(store) -> None:
    session = staff_sessions.create(store, START)
    now = START
    for _ in range(3):  # touched: the 30 minutes start again
        now += timedelta(minutes=29)
        assert staff_sessions.load(store, session.id, now) is not None
    assert staff_sessions.load(store, session.id, now + timedelta(minutes=31)) is None
    assert staff_sessions.load(store, session.id, now) is None  # refused once means gone


def test_maximum_age_ends_even_an_active_session(store, monkeypatch) -> None:
    monkeypatch.setenv(staff_sessions.MAX_HOURS_ENV, "2")
    session = staff_sessions.create(store, START)
    now = START
    while now < START + timedelta(hours=2) - timedelta(minutes=20):
        now += timedelta(minutes=20)
        assert staff_sessions.load(store, session.id, now) is not None
    assert staff_sessions.load(store, session.id, START + timedelta(hours=2, minutes=1)) is None


def test_logout_deletes_the_row_and_flash_is_shown_once(store) -> None:
    session = staff_sessions.create(store, START)
    staff_sessions.set_flash(store, session.id, "De lijn is gesloten.")
    assert staff_sessions.load(store, session.id, START).flash == "De lijn is gesloten."
    assert staff_sessions.load(store, session.id, START).flash is None
    staff_sessions.end(store, session.id)
    with store.connect() as connection:
        assert connection.execute(select(table)).all() == []


def test_a_deactivated_account_loses_its_sessions(store) -> None:
    from sqlalchemy import update

    from store.schema import staff_users

    create_user(store, "carla", "een lang wachtwoord")
    session = staff_sessions.create(store, START, "carla")
    with store.begin() as connection:
        connection.execute(update(staff_users).values(active=False))
    assert staff_sessions.load(store, session.id, START) is None


def test_retention_deletes_expired_sessions_only(store) -> None:
    old = staff_sessions.create(store, START)
    fresh = staff_sessions.create(store, START + timedelta(minutes=20))
    assert retention.purge(store, START + timedelta(minutes=31))["staff_sessions"] == 1
    with store.connect() as connection:
        kept = connection.execute(select(table.c.id_hash)).scalars().all()
    assert kept == [staff_sessions.hash_id(fresh.id)] != [staff_sessions.hash_id(old.id)]
