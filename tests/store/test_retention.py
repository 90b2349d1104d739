"""Retention with an injected clock: a triage is found on day 29 and gone on day 31."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from store import audit, closures, fallbacks, retention
from store.schema import fallback_messages, triage_records
from store.triage_records import find_triage, save_triage

SAVED = datetime(2026, 11, 2, 14, 45, tzinfo=timezone.utc)


def _rows(store, table) -> int:
    with store.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_day_29_found_day_31_gone(store) -> None:
    code = save_triage(store, {"school_type": "po"}, "call_advieslijn", "", SAVED)
    day29, day31 = SAVED + timedelta(days=29), SAVED + timedelta(days=31)
    assert retention.purge(store, day29)["triage_records"] == 0
    assert find_triage(store, code, day29) is not None
    assert retention.purge(store, day31)["triage_records"] == 1
    assert _rows(store, triage_records) == 0
    assert find_triage(store, code, day31) is None


def test_expired_but_not_yet_purged_looks_like_unknown(store) -> None:
    code = save_triage(store, {}, "call_advieslijn", "", SAVED)
    assert find_triage(store, code, SAVED + timedelta(days=31)) is None
    assert find_triage(store, "K7F3QX", SAVED) is None


def test_retention_days_from_the_environment(store, monkeypatch) -> None:
    monkeypatch.setenv(retention.RETENTION_ENV, "7")
    code = save_triage(store, {}, "call_advieslijn", "", SAVED)
    retention.purge(store, SAVED + timedelta(days=6))
    assert find_triage(store, code, SAVED + timedelta(days=6)) is not None
    retention.purge(store, SAVED + timedelta(days=8))
    assert _rows(store, triage_records) == 0


def test_fallbacks_ended_closures_and_old_audit_go_too(store, monkeypatch) -> None:
    monkeypatch.setattr(fallbacks, "redact", lambda text: text)  # redaction has its own tests
    fallbacks.store_fallback(store, "kan ik met iemand praten", SAVED)
    closures.close_line(store, date(2026, 11, 1), date(2026, 11, 2), "", "anna")
    audit.record(store, SAVED, "anna", "lookup", "K7F3QX")
    counts = retention.purge(store, SAVED + timedelta(days=31))
    assert counts["fallback_messages"] == 1 and counts["line_closures"] == 1
    assert counts["audit_log"] == 0 and _rows(store, fallback_messages) == 0
    assert retention.purge(store, SAVED + timedelta(days=366))["audit_log"] == 1


def test_the_periodic_task_purges_without_being_called(store) -> None:
    save_triage(store, {}, "call_advieslijn", "", SAVED)
    clock = lambda: SAVED + timedelta(days=31)  # noqa: E731

    async def run_briefly() -> None:
        task = asyncio.create_task(retention.run_periodically(store, clock, interval=0.05))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if _rows(store, triage_records) == 0:
                break
        task.cancel()

    asyncio.run(run_briefly())
    assert _rows(store, triage_records) == 0
