"""The insight broker keeps only kind, name and hour; the report and the NLU export from the store."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.loading import load_data
from sqlalchemy import select

from actions.feedback_actions import REASONS
from insight import export_nlu, report, weekly
from insight.broker import InsightEventBroker, counts_of
from store import fallbacks, insight
from store.schema import insight_counts
from tests.store.conftest import empty_store

MONDAY = datetime(2026, 11, 30, 9, 15, tzinfo=timezone.utc)
USER_EVENT = {"event": "user", "sender_id": "secret-sender-42", "timestamp": MONDAY.timestamp(),
              "text": "Ik ben Jan de Vries, 0612345678", "parse_data": {
                  "intent": {"name": "inform_child_at_home", "confidence": 0.9},
                  "entities": [{"entity": "name", "value": "Jan"}], "text": "Ik ben Jan de Vries, 0612345678"},
              "metadata": {"ip": "10.1.2.3"}}


def test_counts_of_each_kind_of_event() -> None:
    assert counts_of({"event": "session_started"}) == [("conversation", "")]
    assert counts_of(USER_EVENT) == [("intent", "inform_child_at_home")]
    # Situation and outcome are counted by the action that stores a finished triage (staff_store).
    assert counts_of({"event": "slot", "name": "advice_outcome", "value": "engage_consultant"}) == []
    assert counts_of({"event": "slot", "name": "situation", "value": "child_at_home"}) == []
    assert counts_of({"event": "slot", "name": "weeks_at_home", "value": 6}) == []
    assert counts_of({"event": "action", "name": "action_fallback"}) == [("fallback", "")]
    assert counts_of({"event": "action", "name": "action_crisis_help"}) == [("crisis", "")]
    assert counts_of({"event": "bot", "text": "Bel ons", "metadata": {"utter_action": "utter_handoff_closed"}}) == [
        ("handoff", "closed")]
    assert counts_of({"event": "bot", "text": "hallo", "metadata": {"utter_action": "utter_greet"}}) == []


def test_feedback_intents_count_as_intents_only() -> None:
    """Feedback is counted once per conversation by actions/feedback_actions.py; counted here from
    the intent as well, a second click would count twice."""
    for intent in ("feedback_helped", "feedback_not_helped", "feedback_reason"):
        event = {**USER_EVENT, "parse_data": {"intent": {"name": intent}, "text": "Ik mis informatie"}}
        assert counts_of(event) == [("intent", intent)]
    assert counts_of({"event": "slot", "name": "feedback", "value": "no"}) == []
    assert counts_of({"event": "bot", "metadata": {"utter_action": "utter_feedback_ask_reason"}}) == []


def test_feedback_reasons_are_a_kind_with_an_overview_column_each(tmp_path: Path) -> None:
    engine = empty_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    for name in REASONS:
        insight.count(engine, MONDAY, "feedback_reason", name)
    insight.count(engine, MONDAY, "feedback", "no", 4)
    weeks = insight.weekly(engine, MONDAY - timedelta(days=1))
    columns, rows = weekly.overview_rows(weeks)
    (week, values), = rows
    shown = dict(zip(columns, values))
    assert shown["geholpen: nee"] == 4
    assert [shown[label] for key, label in weekly.COLUMNS if key[0] == "feedback_reason"] == [1] * len(REASONS)
    assert {key[1] for key, _ in weekly.COLUMNS if key[0] == "feedback_reason"} == set(REASONS)
    assert ("feedback_redenen.png", "Waarom hielp het niet?") in [(f, t) for f, t, _ in report.CHARTS]


def test_broker_writes_only_counts(tmp_path: Path) -> None:
    engine = empty_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    broker = InsightEventBroker(engine, flush_seconds=3600)
    for event in [{"event": "session_started", "sender_id": "secret-sender-42", "timestamp": MONDAY.timestamp()},
                  USER_EVENT, USER_EVENT,
                  {"event": "slot", "name": "advice_outcome", "value": "call_advieslijn", "timestamp": MONDAY.timestamp()}]:
        broker.publish(event)
    asyncio.run(broker.close())
    with engine.connect() as connection:
        rows = connection.execute(select(insight_counts)).all()
    dumped = repr(rows)
    for secret in ("secret-sender", "Jan", "0612345678", "10.1.2.3", ":15"):
        assert secret not in dumped
    weeks = insight.weekly(engine, MONDAY - timedelta(days=1))
    assert weeks[MONDAY.date()] == {("conversation", ""): 1, ("intent", "inform_child_at_home"): 2}


def test_report_writes_html_and_png_charts(tmp_path: Path) -> None:
    weeks = {MONDAY.date(): {("conversation", ""): 12, ("handoff", "closed"): 3, ("feedback", "yes"): 4}}
    index = report.write_report(weeks, out=tmp_path, now=MONDAY)
    html = index.read_text(encoding="utf-8")
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == sorted(name for name, _, _ in report.CHARTS)
    assert all((tmp_path / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert "<td>12</td>" in html and "week 49" in html and "lang='nl'" in html
    assert "Er zijn nog geen" in report.write_report({}, out=tmp_path / "leeg").read_text(encoding="utf-8")


def test_export_nlu_writes_rasa_yaml_outside_data(tmp_path: Path, monkeypatch) -> None:
    engine = empty_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setattr(fallbacks, "redact", lambda text: text)
    monkeypatch.setattr(export_nlu, "open_store", lambda: engine)
    first = fallbacks.store_fallback(engine, "mag mijn kind [PERSOON-1] thuisblijven", MONDAY)
    second = fallbacks.store_fallback(engine, "wat kost dat", MONDAY)
    fallbacks.store_fallback(engine, "zonder label", MONDAY)
    fallbacks.set_label(engine, first, "ask_child_at_home_rights", "anna")
    fallbacks.set_label(engine, second, "ask_costs", "anna")
    out = tmp_path / "review" / "nlu_review.yml"
    assert export_nlu.export(out) == 2
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["version"] == "3.1"
    data = load_data(str(out))
    assert sorted((m.get("intent"), m.get("text")) for m in data.training_examples) == [
        ("ask_child_at_home_rights", "mag mijn kind [PERSOON-1] thuisblijven"), ("ask_costs", "wat kost dat")]
    assert export_nlu.OUT.parent.name == "review" and "data" not in export_nlu.OUT.parts
