"""Staff accounts (argon2, lockout), the audit log, line closures and insight counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from store import audit, closures, insight
from store.schema import staff_users
from store.staff_users import LOCK_MINUTES, MAX_FAILED, LoginResult, check_login, create_user

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


def test_password_is_stored_as_an_argon2_hash(store) -> None:
    create_user(store, "anna", PASSWORD)
    with store.connect() as connection:
        stored = connection.execute(select(staff_users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert check_login(store, "anna", PASSWORD, NOW) is LoginResult.OK
    assert check_login(store, "anna", "wrong password!", NOW) is LoginResult.WRONG
    assert check_login(store, "nobody", PASSWORD, NOW) is LoginResult.UNKNOWN


def test_short_passwords_are_refused(store) -> None:
    with pytest.raises(ValueError, match="at least"):
        create_user(store, "anna", "kort")


def test_lockout_after_repeated_failures_even_for_the_right_password(store) -> None:
    create_user(store, "anna", PASSWORD)
    results = [check_login(store, "anna", f"guess {i} xxxxxx", NOW) for i in range(MAX_FAILED)]
    assert results[:-1] == [LoginResult.WRONG] * (MAX_FAILED - 1) and results[-1] is LoginResult.LOCKED_NOW
    assert check_login(store, "anna", PASSWORD, NOW + timedelta(minutes=LOCK_MINUTES - 1)) is LoginResult.LOCKED
    assert check_login(store, "anna", "guess x xxxxxx", NOW + timedelta(minutes=LOCK_MINUTES - 1)) is LoginResult.LOCKED
    assert check_login(store, "anna", PASSWORD, NOW + timedelta(minutes=LOCK_MINUTES + 1)) is LoginResult.OK


def test_a_success_resets_the_failure_count(store) -> None:
    create_user(store, "anna", PASSWORD)
    for i in range(MAX_FAILED - 1):
        check_login(store, "anna", f"guess {i} xxxxxx", NOW)
    assert check_login(store, "anna", PASSWORD, NOW) is LoginResult.OK
    assert check_login(store, "anna", "one more wrong x", NOW) is LoginResult.WRONG


def test_audit_log_newest_first_and_unknown_actions_refused(store) -> None:
    audit.record(store, NOW, "anna", "lookup", "K7F3QX")
    audit.record(store, NOW + timedelta(minutes=1), "anna", "close_line", "1")
    assert [(user, action, subject) for _, user, action, subject in audit.entries(store)] == [
        ("anna", "close_line", "1"), ("anna", "lookup", "K7F3QX")]
    assert audit.entries(store)[0][0] == NOW + timedelta(minutes=1)
    with pytest.raises(ValueError):
        audit.record(store, NOW, "anna", "read_everything")


def test_closures_give_closed_days_and_can_be_reopened(store) -> None:
    first = closures.close_line(store, date(2026, 12, 24), date(2026, 12, 31), "  kerstvakantie ", "anna")
    closures.close_line(store, date(2026, 12, 1), date(2026, 12, 1), "", "bert")
    days = closures.closed_days(store, date(2026, 12, 1))
    assert days[date(2026, 12, 1)] == "" and days[date(2026, 12, 24)] == "kerstvakantie"
    assert date(2026, 12, 2) not in days and len(days) == 9
    assert [c.reason for c in closures.current_and_future(store, date(2026, 12, 2))] == ["kerstvakantie"]
    assert closures.reopen(store, first) and not closures.reopen(store, first)
    assert closures.closed_days(store, date(2026, 12, 2)) == {}
    with pytest.raises(ValueError):
        closures.close_line(store, date(2026, 12, 2), date(2026, 12, 1), "", "anna")


def test_insight_counts_add_up_per_week(store) -> None:
    monday = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
    for _ in range(3):
        insight.count(store, monday, "conversation")
    insight.count(store, monday + timedelta(days=2), "outcome", "engage_consultant")
    insight.count(store, monday + timedelta(days=7), "conversation", amount=2)
    weeks = insight.weekly(store, monday - timedelta(days=1))
    assert weeks == {
        date(2026, 11, 30): {("conversation", ""): 3, ("outcome", "engage_consultant"): 1},
        date(2026, 12, 7): {("conversation", ""): 2},
    }
    with pytest.raises(ValueError):
        insight.count(store, monday, "message_text")
