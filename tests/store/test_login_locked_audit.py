"""Migration 0004: failed log-ins written before a refusal during a lockout was audited apart
(`login_locked`) could be either, so those of existing accounts become `login_failed_or_locked`;
those of unknown names (never locked) stay `login_failed`; nothing else changes; the downgrade
puts back what 0003 had. On SQLite and PostgreSQL (the `store` fixture)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from store import audit
from store.audit import UNKNOWN_USER
from store.db import MIGRATIONS, migrate
from store.schema import audit_log, staff_users
from tests.store.conftest import empty_store

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
BEFORE = [("anna", "login_failed", ""), ("anna", "login_failed", ""), (UNKNOWN_USER, "login_failed", ""),
          ("anna", "login", ""), ("bert", "lookup", "K7F3QX"), ("bert", "login_failed", "")]


def downgrade(engine, revision: str) -> None:
    """Alembic's downgrade, configured as store.db.migrate configures the upgrade."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def rows(engine) -> list:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            select(audit_log.c.username, audit_log.c.action, audit_log.c.subject).order_by(audit_log.c.id))]


def test_migration_0004_marks_old_failed_logins_as_either(store) -> None:
    engine = empty_store(store, "0003")
    with engine.begin() as connection:
        connection.execute(insert(staff_users).values(username="anna", password_hash="x"))
        for minute, (username, action, subject) in enumerate(BEFORE):
            connection.execute(insert(audit_log).values(at=NOW + timedelta(minutes=minute), username=username,
                                                        action=action, subject=subject))
    migrate(engine)
    assert rows(engine) == [("anna", "login_failed_or_locked", ""), ("anna", "login_failed_or_locked", ""),
                            (UNKNOWN_USER, "login_failed", ""), ("anna", "login", ""), ("bert", "lookup", "K7F3QX"),
                            ("bert", "login_failed_or_locked", "")]  # a removed account's name: either too
    assert all(action in audit.ACTIONS for _, action, _ in rows(engine))
    audit.record(engine, NOW + timedelta(hours=1), "anna", "login_locked")  # new entries: told apart
    downgrade(engine, "0003")
    assert rows(engine) == [*BEFORE, ("anna", "login_failed", "")]
