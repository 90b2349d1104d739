"""The bot's hook-ups to the staff store: the triage code in the ending, the line closures in the
hand-off, and redacted fallback messages only when switched on. Real store (the test run's SQLite)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from actions import staff_store
from actions.advice_actions import ActionFinishTriage
from actions.clock import fixed_clock
from actions.conversation_actions import ActionFallback, ActionHandoff
from store import closures, codes
from store.schema import fallback_messages, triage_records
from store.triage_records import find_triage

TUESDAY_OPEN = datetime(2026, 12, 1, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
CODE = re.compile(r"Je code is ([%s]{3}-[%s]{3})\." % (codes.ALPHABET, codes.ALPHABET))


@pytest.fixture
def clean_closures():
    engine = staff_store.engine()
    with engine.begin() as connection:
        connection.execute(closures.line_closures.delete())
    yield engine
    with engine.begin() as connection:
        connection.execute(closures.line_closures.delete())


def test_finished_triage_is_stored_and_the_code_shown(make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {"situation": "child_at_home", "school_type": "vo", "weeks_at_home": 6.0, "contacted_swv": True,
             "contacted_board": True, "receives_education": False, "prospect_of_return": False,
             "alternative_school_found": False, "requested_slot": None}
    tracker = make_tracker(slots=slots, text="Ik ben Jan, bel me op 0612345678", intent="deny", active_loop=None,
                           latest_action_name="triage_form")
    dispatcher, _ = run_action(ActionFinishTriage(clock=fixed_clock(TUESDAY_OPEN)), tracker)
    texts = h.texts_of(dispatcher)
    summary = next(t for t in texts if t.startswith("Samenvatting"))
    shown = CODE.search(summary)
    assert shown, summary
    record = find_triage(staff_store.engine(), shown.group(1), TUESDAY_OPEN)
    assert record is not None and record.outcome == "engage_consultant" and record.reason == "home_without_education"
    assert record.answers["school_type"] == "vo" and "requested_slot" not in record.answers
    assert record.created_hour == TUESDAY_OPEN.astimezone(timezone.utc).replace(minute=0)
    with staff_store.engine().connect() as connection:
        row = connection.execute(select(triage_records).where(triage_records.c.code == codes.normalize(shown.group(1)))).one()
    stored = json.dumps([str(value) for value in row])
    assert "Jan" not in stored and "0612345678" not in stored and '"t"' not in stored  # no text, no sender id


def test_ending_without_a_store_still_gives_the_advice(make_tracker: Any, run_action: Any, h: Any, monkeypatch) -> None:
    def broken() -> Any:
        raise OSError("database down")

    monkeypatch.setattr(staff_store, "engine", broken)
    slots = {"situation": "child_at_home", "school_type": "vo", "weeks_at_home": 6.0, "contacted_swv": True,
             "contacted_board": True, "receives_education": False}
    tracker = make_tracker(slots=slots, text="nee", intent="deny", active_loop=None)
    dispatcher, _ = run_action(ActionFinishTriage(clock=fixed_clock(TUESDAY_OPEN)), tracker)
    texts = h.texts_of(dispatcher)
    assert any(t.startswith("Samenvatting") and "Je code" not in t for t in texts)


def handoff_texts(make_tracker: Any, run_action: Any, h: Any) -> list:
    tracker = make_tracker(text="hoe kan ik jullie bereiken", intent="ask_contact", active_loop=None)
    dispatcher, _ = run_action(ActionHandoff(clock=fixed_clock(TUESDAY_OPEN)), tracker)
    return h.texts_of(dispatcher)


def test_closure_for_today_shows_at_the_next_handoff(clean_closures, make_tracker, run_action, h, facts) -> None:
    phone = facts.text("advieslijn.phone")
    assert h.response_text("utter_handoff_open", **{"phone": phone}).split("{")[0][:20] in handoff_texts(
        make_tracker, run_action, h)[0]
    closure = closures.close_line(clean_closures, date(2026, 12, 1), date(2026, 12, 1), "een trainingsdag", "anna")
    closed = handoff_texts(make_tracker, run_action, h)
    assert "gesloten" in closed[0] and "een extra sluitingsdag (een trainingsdag)" in closed[0]
    assert "morgen" in closed[0]  # the next opening skips the closed day
    assert phone not in closed[0] and "contactformulier" in closed[0]  # nobody picks up: no phone today
    closures.reopen(clean_closures, closure)
    assert "gesloten" not in handoff_texts(make_tracker, run_action, h)[0]


def kept_fallbacks() -> int:
    with staff_store.engine().connect() as connection:
        return connection.execute(select(func.count()).select_from(fallback_messages)).scalar_one()


def test_fallback_is_kept_only_when_switched_on(make_tracker: Any, run_action: Any, monkeypatch) -> None:
    before = kept_fallbacks()
    monkeypatch.setenv("ADVIESLIJN_STORE_FALLBACKS", "0")
    tracker = make_tracker(text="blub blub", intent="nlu_fallback", active_loop=None)
    run_action(ActionFallback(clock=fixed_clock(TUESDAY_OPEN)), tracker)
    assert kept_fallbacks() == before
    monkeypatch.setenv("ADVIESLIJN_STORE_FALLBACKS", "1")
    monkeypatch.setattr("store.fallbacks.redact", lambda text: "[redacted] " + text[-4:])
    run_action(ActionFallback(clock=fixed_clock(TUESDAY_OPEN + timedelta(minutes=1))), tracker)
    assert kept_fallbacks() == before + 1


def test_a_switch_value_that_is_neither_on_nor_off_keeps_nothing_and_says_why(
        make_tracker: Any, run_action: Any, monkeypatch, caplog: pytest.LogCaptureFixture) -> None:
    before = kept_fallbacks()
    monkeypatch.setenv("ADVIESLIJN_STORE_FALLBACKS", "maybe")
    tracker = make_tracker(text="blub blub", intent="nlu_fallback", active_loop=None)
    with caplog.at_level("ERROR", logger="actions.staff_store"):
        dispatcher, _ = run_action(ActionFallback(clock=fixed_clock(TUESDAY_OPEN)), tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_rephrase"]  # the parent is answered
    assert kept_fallbacks() == before
    assert "ADVIESLIJN_STORE_FALLBACKS='maybe': not an on or off word; allowed: on (1, on, true, yes, ja) or off" in caplog.text
    assert "blub" not in caplog.text
