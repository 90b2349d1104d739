"""The intent groups of actions/intents.py agree with the domain, the rules and the responses.

Rasa needs the names in YAML (domain/, data/rules/); the actions need them in Python. The lists
are kept once, in actions/intents.py, and this test proves every YAML place says the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Set

import yaml

from actions.intents import (
    ANSWERED_QUESTIONS,
    FEEDBACK_ANSWERS,
    FEEDBACK_YES_NO,
    LEAVING_INTENTS,
    REASON_ANSWERS,
    SITUATIONS,
    TRIAGE_DIGRESSIONS,
    answer_response,
)
from tests.rasa_domain import domain_dict

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = domain_dict()
FORM = "triage_form"


def rules(name: str) -> List[Dict[str, Any]]:
    return yaml.safe_load((ROOT / "data" / "rules" / f"{name}.yml").read_text(encoding="utf-8"))["rules"]


def intents_of(rule: Dict[str, Any]) -> Set[str]:
    """The intents that start a rule: one `intent` step, or an `or` of them."""
    first = rule["steps"][0]
    if "or" in first:
        return {step["intent"] for step in first["or"]}
    return {first["intent"]} if "intent" in first else set()


def in_triage(rule: Dict[str, Any]) -> bool:
    return {"active_loop": FORM} in rule.get("condition", [])


def test_every_group_is_made_of_domain_intents() -> None:
    intents = set(DOMAIN["intents"])
    for group in (SITUATIONS, ANSWERED_QUESTIONS, TRIAGE_DIGRESSIONS, LEAVING_INTENTS):
        assert set(group) <= intents, set(group) - intents
        assert len(set(group)) == len(group)
    assert not set(TRIAGE_DIGRESSIONS) & set(LEAVING_INTENTS)
    assert set(ANSWERED_QUESTIONS) <= set(TRIAGE_DIGRESSIONS)


def test_the_situations_start_the_triage_and_are_the_slot_values() -> None:
    (start,) = [rule for rule in rules("triage") if not in_triage(rule) and {"action": "action_start_triage"} in rule["steps"]]
    assert intents_of(start) == set(SITUATIONS)
    assert DOMAIN["slots"]["situation"]["values"] == list(SITUATIONS)


def test_the_answered_questions_have_a_rule_and_a_response() -> None:
    outside = [rule for rule in rules("questions") if {"action": "action_answer_question"} in rule["steps"]]
    inside = [rule for rule in rules("triage") if in_triage(rule) and {"action": "action_answer_question"} in rule["steps"]]
    assert [intents_of(rule) for rule in outside] == [set(ANSWERED_QUESTIONS)]
    assert [intents_of(rule) for rule in inside] == [set(ANSWERED_QUESTIONS)]
    for intent in ANSWERED_QUESTIONS:
        assert answer_response(intent) in DOMAIN["responses"], intent


def test_digressions_resume_the_triage_and_leaving_intents_end_it() -> None:
    resuming: Set[str] = set()
    leaving: Set[str] = set()
    for rule in filter(in_triage, rules("triage")):
        steps = rule["steps"]
        if steps[-2:] == [{"action": FORM}, {"active_loop": FORM}]:
            resuming |= intents_of(rule)
        elif {"active_loop": None} in steps and "intent" in str(steps[0]):
            leaving |= intents_of(rule)
    assert resuming == set(TRIAGE_DIGRESSIONS)
    assert leaving == set(LEAVING_INTENTS)


def test_the_feedback_rules_use_the_feedback_groups() -> None:
    feedback = rules("feedback")
    answering = [rule for rule in feedback if rule["steps"][-1] == {"action": "action_feedback"}]
    assert [intents_of(rule) for rule in answering if "intent" in str(rule["steps"][0])] == [set(FEEDBACK_ANSWERS)]
    (after_ending,) = [rule for rule in answering if rule["steps"][0] == {"action": "action_finish_triage"}]
    assert {step["intent"] for step in after_ending["steps"][1]["or"]} == set(FEEDBACK_YES_NO)
    (after_question,) = [rule for rule in feedback if rule["steps"][0] == {"action": "action_feedback"}]
    assert {step["intent"] for step in after_question["steps"][1]["or"]} == set(REASON_ANSWERS)
    assert {"action": "action_feedback_reason"} in after_question["steps"]
    intents = set(DOMAIN["intents"])
    assert set(FEEDBACK_ANSWERS) | set(FEEDBACK_YES_NO) | set(REASON_ANSWERS) <= intents
    # Questions, situations and a crisis after "why?" keep their own answer.
    assert not set(REASON_ANSWERS) & (set(TRIAGE_DIGRESSIONS) | set(SITUATIONS) | set(LEAVING_INTENTS))
