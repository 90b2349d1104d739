"""A failed log-in with an unknown user name: the store tells it apart (so the audit log can leave the
typed name out), no account can take the audit log's marker, and migration 0003 removes the typed
names that older versions wrote into the audit log."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select, update

from store import audit
from store.audit import UNKNOWN_USER
from store.db import migrate
from store.schema import audit_log, staff_users
from store import staff_users as staff_users_module
from store.staff_users import MAX_FAILED, LoginResult, check_login, create_user
from tests.store.conftest import empty_store

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"
TYPED_PASSWORD = "Zomer2026!geheim"  # typed into the user name field


def test_an_unknown_name_is_told_apart_and_locks_nothing(store) -> None:
    create_user(store, "anna", PASSWORD)
    assert [check_login(store, TYPED_PASSWORD, PASSWORD, NOW) for _ in range(MAX_FAILED + 1)] == \
        [LoginResult.UNKNOWN] * (MAX_FAILED + 1)
    assert check_login(store, "", PASSWORD, NOW) is LoginResult.UNKNOWN
    assert check_login(store, "anna", "wrong password!", NOW) is LoginResult.WRONG
    assert check_login(store, "anna", PASSWORD, NOW) is LoginResult.OK  # the unknown names counted for nobody
    with store.connect() as connection:
        assert connection.execute(select(staff_users.c.username)).scalars().all() == ["anna"]


def test_every_refused_log_in_costs_one_password_hash(store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Timing must not tell an unknown name or a locked account from a wrong password: each result
    verifies one argon2 hash (the real hasher, counted)."""
    create_user(store, "anna", PASSWORD)
    verified = []
    real = staff_users_module._hasher

    class Counting:  # the real hasher, its verify calls counted (PasswordHasher has slots)
        def verify(self, *args: str) -> bool:
            verified.append(1)
            return real.verify(*args)

    monkeypatch.setattr(staff_users_module, "_hasher", Counting())
    results = [check_login(store, name, "wrong password!", NOW) for name in ["niemand"] + ["anna"] * (MAX_FAILED + 1)]
    assert results == [LoginResult.UNKNOWN, *[LoginResult.WRONG] * (MAX_FAILED - 1), LoginResult.LOCKED_NOW,
                       LoginResult.LOCKED]
    assert len(verified) == len(results)


def test_a_removed_account_is_known_and_never_opens(store) -> None:
    create_user(store, "anna", PASSWORD)
    with store.begin() as connection:
        connection.execute(update(staff_users).values(active=False))
    assert check_login(store, "anna", PASSWORD, NOW) is LoginResult.WRONG


def test_no_account_can_be_named_like_the_marker(store) -> None:
    with pytest.raises(ValueError, match="audit log"):
        create_user(store, f"  {UNKNOWN_USER} ", PASSWORD)


def test_migration_0003_removes_typed_names_of_unknown_accounts(store) -> None:
    engine = empty_store(store, "0002")
    with engine.begin() as connection:
        connection.execute(insert(staff_users).values(username="anna", password_hash="x"))
        for username, action in [(TYPED_PASSWORD, "login_failed"), ("?", "login_failed"),
                                 ("anna", "login_failed"), ("anna", "login")]:
            connection.execute(insert(audit_log).values(at=NOW, username=username, action=action))
    migrate(engine, "0003")  # what 0004 does after it: tests/store/test_login_locked_audit.py
    kept = sorted((user, action) for _, user, action, _ in audit.entries(engine))
    assert kept == sorted([(UNKNOWN_USER, "login_failed"), (UNKNOWN_USER, "login_failed"),
                           ("anna", "login_failed"), ("anna", "login")])
