"""Feedback on the ending (actions/feedback_actions.py): "Heeft dit je geholpen?" on the ending's
last message, a short thank-you, "why?" once after "nee" with fixed buttons, counted once per
conversation in the real store (the test run's SQLite) and never any typed words."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict

import pytest
from sqlalchemy import func, select

from actions import staff_store
from actions.advice_actions import ActionFinishTriage
from actions.clock import fixed_clock
from actions.feedback_actions import REASONS, ActionFeedback, ActionFeedbackReason, feedback_answer, reason_of
from store.schema import fallback_messages, insight_counts
from tests.rasa_domain import domain_dict

DOMAIN = domain_dict()
ENDED = {"situation": "child_at_home", "school_type": "vo", "weeks_at_home": 6.0, "prospect_of_return": False,
         "alternative_school_found": False, "receives_education": False, "advice_outcome": "engage_consultant"}
REASON_BUTTONS = DOMAIN["responses"]["utter_feedback_ask_reason"][0]["buttons"]
# What each reason's button says, so the order of REASONS cannot drift from the buttons' order.
REASON_WORDS = {"unclear": "duidelijk", "not_my_situation": "past niet", "missing_information": "mis",
                "rather_not_say": "liever niet"}


def moment(hour: int) -> datetime:
    """A moment of its own per test (2031), so the counters of one test are not another's."""
    return datetime(2031, 3, 4, hour, 5, tzinfo=timezone.utc)


def counted(kind: str, name: str, at: datetime) -> int:
    hour = at.replace(minute=0)
    with staff_store.engine().connect() as connection:
        total = connection.execute(select(func.sum(insight_counts.c.count)).where(
            insight_counts.c.kind == kind, insight_counts.c.name == name, insight_counts.c.hour == hour)).scalar()
    return int(total or 0)


def run(run_action: Any, make_tracker: Any, action: Any, slots: Dict[str, Any], text: str, intent: str):
    tracker = make_tracker(slots=slots, text=text, intent=intent, active_loop=None)
    dispatcher, events = run_action(action, tracker)
    return dispatcher.messages, {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def test_the_reason_buttons_are_the_fixed_reasons_in_order() -> None:
    assert len(REASON_BUTTONS) == len(REASONS) == len(REASON_WORDS)
    for name, button in zip(REASONS, REASON_BUTTONS):
        assert REASON_WORDS[name] in button["payload"].lower(), (name, button)
        assert reason_of(button["payload"], DOMAIN) == name
        assert reason_of(f"  {button['title'].upper()}! ", DOMAIN) == name  # the title typed, loosely
    for typed in ("het was niet duidelijk want mijn zoon Jan", "0612345678", "", "ja"):
        assert reason_of(typed, DOMAIN) is None


def test_only_feedback_intents_and_yes_no_are_answers() -> None:
    assert [feedback_answer(i) for i in ("feedback_helped", "affirm", "feedback_not_helped", "deny")] == [
        "yes", "yes", "no", "no"]
    assert feedback_answer("greet") is None and feedback_answer(None) is None


@pytest.mark.parametrize("with_store", [True, False])
def test_the_question_rides_on_the_endings_last_message(make_tracker: Any, run_action: Any, h: Any,
                                                         monkeypatch, with_store: bool) -> None:
    if not with_store:  # no code: the ending's other last message, utter_summary_handoff
        monkeypatch.setattr(staff_store, "engine", lambda: (_ for _ in ()).throw(OSError("down")))
    slots = {key: value for key, value in ENDED.items() if key != "advice_outcome"}
    tracker = make_tracker(slots=slots, text="nee", intent="deny", active_loop=None, latest_action_name="triage_form")
    dispatcher, _ = run_action(ActionFinishTriage(clock=fixed_clock(moment(1))), tracker)
    messages = dispatcher.messages
    assert len(messages) == 3  # the ending stays at three messages
    assert [m["response"] for m in messages[:-1]] == ["utter_outcome_engage_home_without_education",
                                                    "utter_next_register"]
    last = h.rendered(messages[-1])
    assert messages[-1]["response"] == ("utter_summary_handoff_with_code" if with_store else "utter_summary_handoff")
    assert last["text"].endswith("Heeft dit je geholpen?")
    assert [b["title"] for b in last["buttons"]] == ["Ja, dit hielp", "Nee, dit hielp niet", "Meer uitleg"]
    assert not any(h.rendered(m).get("buttons") for m in messages[:-1])


def test_yes_is_thanked_and_counted_once(make_tracker: Any, run_action: Any) -> None:
    at = moment(2)
    messages, slots = run(run_action, make_tracker, ActionFeedback(fixed_clock(at)), ENDED, "Ja, dit heeft me geholpen",
                          "feedback_helped")
    assert [m["response"] for m in messages] == ["utter_feedback_thanks"] and slots == {"feedback": "yes"}
    assert counted("feedback", "yes", at) == 1
    # A second click, or "nee" afterwards: thanked, not counted again, no question, no ending.
    for intent in ("feedback_helped", "feedback_not_helped"):
        messages, slots = run(run_action, make_tracker, ActionFeedback(fixed_clock(at)), {**ENDED, "feedback": "yes"},
                              "nog een keer", intent)
        assert [m["response"] for m in messages] == ["utter_feedback_already_given"] and slots == {}
    assert counted("feedback", "yes", at) == 1 and counted("feedback", "no", at) == 0


def test_no_asks_why_once_and_counts_the_button(make_tracker: Any, run_action: Any, h: Any) -> None:
    at = moment(3)
    messages, slots = run(run_action, make_tracker, ActionFeedback(fixed_clock(at)), ENDED, "nee", "deny")
    assert [m["response"] for m in messages] == ["utter_feedback_ask_reason"]
    assert [b["title"] for b in h.rendered(messages[0])["buttons"]] == [b["title"] for b in REASON_BUTTONS]
    assert slots == {"feedback": "no", "feedback_reason_asked": True}
    assert counted("feedback", "no", at) == 1

    asked = {**ENDED, **slots}
    messages, slots = run(run_action, make_tracker, ActionFeedbackReason(fixed_clock(at)), asked, "Ik mis informatie",
                          "feedback_reason")
    assert [m["response"] for m in messages] == ["utter_feedback_reason_thanks"]
    assert slots == {"feedback_reason_asked": False}
    assert counted("feedback_reason", "missing_information", at) == 1
    # The question is closed: a reason now is thanked for, not counted.
    run(run_action, make_tracker, ActionFeedbackReason(fixed_clock(at)), {**asked, **slots}, "Ik mis informatie",
        "feedback_reason")
    assert counted("feedback_reason", "missing_information", at) == 1


def test_a_typed_reason_is_thanked_for_and_not_stored(make_tracker: Any, run_action: Any) -> None:
    at = moment(4)
    typed = "Mijn zoon Pieter Bakker past nergens in, bel me op 0612345678"
    with staff_store.engine().connect() as connection:
        fallbacks_before = connection.execute(select(func.count()).select_from(fallback_messages)).scalar()
    asked = {**ENDED, "feedback": "no", "feedback_reason_asked": True}
    for intent in ("nlu_fallback", "inform", "feedback_reason"):
        messages, slots = run(run_action, make_tracker, ActionFeedbackReason(fixed_clock(at)), asked, typed, intent)
        assert [m["response"] for m in messages] == ["utter_feedback_reason_thanks"], intent
        assert slots == {"feedback_reason_asked": False}
    with staff_store.engine().connect() as connection:
        rows = connection.execute(select(insight_counts).where(insight_counts.c.hour == at.replace(minute=0))).all()
        fallbacks_after = connection.execute(select(func.count()).select_from(fallback_messages)).scalar()
    assert rows == [] and fallbacks_after == fallbacks_before


@pytest.mark.parametrize(("intent", "response"), [("feedback_helped", "utter_feedback_no_outcome_helped"),
                                                  ("feedback_not_helped", "utter_feedback_no_outcome_not_helped")])
def test_feedback_without_an_outcome_is_answered_not_counted(make_tracker: Any, run_action: Any, intent: str,
                                                             response: str) -> None:
    at = moment(5)
    messages, slots = run(run_action, make_tracker, ActionFeedback(fixed_clock(at)), {}, "dit heeft me geholpen", intent)
    assert [m["response"] for m in messages] == [response] and slots == {}
    assert counted("feedback", "yes", at) == counted("feedback", "no", at) == 0


def test_feedback_without_a_store_still_gets_its_answer(make_tracker: Any, run_action: Any, monkeypatch) -> None:
    monkeypatch.setattr(staff_store, "engine", lambda: (_ for _ in ()).throw(OSError("down")))
    messages, slots = run(run_action, make_tracker, ActionFeedback(fixed_clock(moment(6))), ENDED, "nee", "deny")
    assert [m["response"] for m in messages] == ["utter_feedback_ask_reason"] and slots["feedback"] == "no"
