"""Every bot text is a domain response: its shape, its values, its language, and who sends it.

Facts (phone numbers, URLs, times) come only from content/advieslijn.yml; texts use "je"; every
response is sent by a rule, the form or an action, and every response an action sends exists and
gets a value for each placeholder. Rasa's validator no longer warns about responses that only an
action sends (patches/unused_responses.py): the test here does that job, and more strictly.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path
from typing import Dict, Iterator, Set, Tuple

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_actions import UNKNOWN_TOPICS, details_for, ending_responses
from actions.decision import BOOLEAN_SLOTS, EXCLUSIONS, SCHOOL_TYPES, Advice, TriageAnswers, decide
from actions.facts import load_facts
from actions.intents import ANSWERED_QUESTIONS, SITUATIONS, answer_response
from actions.messages import common_values
from actions.responses import ResponseError, placeholders, utter
from actions.triage import ASK_LONGER_THAN_THRESHOLD, HINTS, QUESTIONS_WITH_BUTTONS, YES_NO_WITH_BUTTONS
from actions.triage_actions import FORM_SLOTS
from tests.actions.conftest import SDK_MESSAGE_KEYS, rendered
from tests.rasa_domain import domain_dict

ROOT = Path(__file__).resolve().parents[2]
ACTIONS_DIR = ROOT / "actions"
DOMAIN = domain_dict()
RESPONSES = DOMAIN["responses"]

# Values the actions add to common_values for particular responses (actions/messages.py and the
# summary in actions/advice_actions.py).
ACTION_VALUES = {
    "hours": "op werkdagen van 10 tot 13 uur",
    "closes_at": "13 uur",
    "next_opening": "morgen om 10 uur",
    "closed_reason": ", want het is Eerste Kerstdag",
    "summary": "- Situatie: mijn kind zit thuis",
    "handoff": "De advieslijn is nu open.",
    "contacts": "het bestuur van de school",
    "unknown_topic": "hoe lang je kind al thuis zit",
    "code": "K7F-3QX",
    "code_days": "30",
}
PHONE = re.compile(r"\d{3}-\d{7}|\d{3}-\d{3} ?\d{2} ?\d{2}|0800|\b112\b|\b113\b")
CLOCK_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
FORMAL_YOU = re.compile(r"(?<![\w'-])(u|uw|U|Uw|UW)(?![\w'-])")


def _all_texts() -> Iterator[Tuple[str, str]]:
    """(where, text) for every text and button of every response."""
    for name, variants in RESPONSES.items():
        for index, variant in enumerate(variants):
            yield f"{name}[{index}]", variant.get("text", "")
            for button in variant.get("buttons") or []:
                yield f"{name}[{index}].button", f"{button['title']} {button['payload']}"


ALL_TEXTS = list(_all_texts())


def _values() -> Dict[str, str]:
    return {**common_values(load_facts()), **ACTION_VALUES}


# --- Shape --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_shape(name: str) -> None:
    assert name.startswith("utter_"), name
    for variant in RESPONSES[name]:
        assert set(variant) <= {"text", "buttons"}, name
        assert isinstance(variant["text"], str) and variant["text"].strip(), name
        for button in variant.get("buttons") or []:
            assert set(button) == {"title", "payload"}, name
            assert button["title"].strip() and button["payload"].strip(), name
            # A payload is what the parent "types"; never an intent shortcut that skips the NLU.
            assert not button["payload"].startswith("/"), name


# --- Values -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_is_filled_by_rasa_without_leftover_braces(name: str) -> None:
    text = rendered({"response": name, **_values()})["text"]
    assert "{" not in text and "}" not in text, text
    assert text.strip()


def test_every_placeholder_is_a_known_value() -> None:
    used = {value for name in RESPONSES for value in placeholders(DOMAIN, name)}
    assert used <= set(_values()), used - set(_values())
    # A value must not be one of the keys rasa-sdk's utter_message uses itself.
    assert not used & SDK_MESSAGE_KEYS


def test_common_values_come_from_the_facts_file() -> None:
    facts = load_facts()
    values = common_values(facts)
    assert values["phone"] == facts.text("advieslijn.phone")
    assert values["oc_website"] == facts.text("onderwijsconsulenten.website")
    assert values["oc_phone"] == facts.text("onderwijsconsulenten.phone")
    assert values["emergency"] == facts.text("crisis.emergency")
    for name in ("phone", "contact_form", "oc_website", "oc_phone", "emergency", "veilig_thuis", "kindertelefoon"):
        assert values[name], name


def test_utter_sends_the_response_with_only_the_values_it_needs() -> None:
    dispatcher = CollectingDispatcher()
    utter(dispatcher, DOMAIN, "utter_handoff_open", _values())
    (message,) = dispatcher.messages
    assert message["response"] == "utter_handoff_open"
    assert {key for key in message if key not in SDK_MESSAGE_KEYS} == placeholders(DOMAIN, "utter_handoff_open")
    assert load_facts().text("advieslijn.phone") in rendered(message)["text"]


def test_utter_refuses_a_missing_value() -> None:
    with pytest.raises(ResponseError, match="phone"):
        utter(CollectingDispatcher(), DOMAIN, "utter_handoff_open", {"closes_at": "13:00"})


def test_utter_refuses_an_unknown_response() -> None:
    with pytest.raises(ResponseError, match="utter_no_such_text"):
        utter(CollectingDispatcher(), DOMAIN, "utter_no_such_text")


# --- No facts typed into texts; "je", not "u" ---------------------------------------------------


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[where for where, _ in ALL_TEXTS])
def test_no_fact_is_typed_into_a_text(where: str, text: str) -> None:
    assert not PHONE.search(text), f"{where}: phone number in text"
    assert "http" not in text.lower() and "www." not in text.lower(), f"{where}: URL in text"
    assert not CLOCK_TIME.search(text), f"{where}: clock time in text"


def test_fact_patterns_would_catch_typed_facts() -> None:
    """Guard against a pattern that silently matches nothing."""
    assert PHONE.search("Bel 030-2255050") and PHONE.search("bel 0800-0113") and PHONE.search("bel 112")
    assert CLOCK_TIME.search("tot 13:00") and CLOCK_TIME.search("om 9:30")
    assert not PHONE.search("langer dan 4 weken")


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[where for where, _ in ALL_TEXTS])
def test_texts_use_je_not_u(where: str, text: str) -> None:
    assert not FORMAL_YOU.search(text), f"{where}: formal 'u'/'uw' in {text!r}"


def test_formal_you_pattern() -> None:
    assert FORMAL_YOU.search("Kunt u dat zeggen?") and FORMAL_YOU.search("Uw kind")
    assert not FORMAL_YOU.search("Kun je dat zeggen? uur, universiteit, jouw")


# --- Every response is sent by someone; everything sent exists ----------------------------------


def sent_by_rules() -> Set[str]:
    """Responses named as steps of the rules (data/rules/*.yml)."""
    names: Set[str] = set()
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            names |= {step["action"] for step in rule["steps"] if str(step.get("action", "")).startswith("utter_")}
    return names


def asked_by_the_form() -> Set[str]:
    """Rasa's form asks each slot with utter_ask_<slot>."""
    return {f"utter_ask_{slot}" for slot in DOMAIN["forms"]["triage_form"]["required_slots"]}


def _named_in(folder: Path) -> Set[str]:
    """Response names written in folder/*.py ("utter_..." literals)."""
    names: Set[str] = set()
    for path in sorted(folder.glob("*.py")):
        names |= set(re.findall(r"\"(utter_\w+)\"", path.read_text(encoding="utf-8")))
    return names


def named_in_actions() -> Set[str]:
    """Response names written in actions/*.py."""
    return _named_in(ACTIONS_DIR)


def sent_by_the_rasa_server() -> Set[str]:
    """Responses the Rasa server sends itself, also when the action server is down: the service
    message (channels/service.py) and the turn cap's notice (patches/turn_cap.py); and nginx's
    answer over a rate limit, which harness/scaled.py writes into its config."""
    return _named_in(ROOT / "channels") | _named_in(ROOT / "patches") | _named_in(ROOT / "harness")


def _reachable_advice() -> Set[Advice]:
    found: Set[Advice] = set()
    for situation, school, weeks in itertools.product(SITUATIONS, SCHOOL_TYPES, (2.0, 10.0)):
        for bools in itertools.product((True, False), repeat=len(BOOLEAN_SLOTS)):
            advice = decide(TriageAnswers(situation, school, weeks, **dict(zip(BOOLEAN_SLOTS, bools))))
            assert advice is not None
            found.add(advice)
    for exclusion in EXCLUSIONS:
        found.add(decide(TriageAnswers(exclusion=exclusion)))  # type: ignore[arg-type]
    for slot in UNKNOWN_TOPICS:
        answers = TriageAnswers("child_at_home", "po", 10.0, False, False, False)
        advice = decide(dataclasses.replace(answers, **{slot: None}, unknown=frozenset({slot})))
        assert advice is not None, slot
        found.add(advice)
    return found


def sent_by_actions() -> Set[str]:
    """Every response an action can send: the literal names and the ones made from a list."""
    names = named_in_actions() | {answer_response(intent) for intent in ANSWERED_QUESTIONS}
    for advice in _reachable_advice() | {None}:  # type: ignore[operator]
        names |= set(ending_responses(advice)) | set(details_for(advice))
    asked = {ASK_LONGER_THAN_THRESHOLD, YES_NO_WITH_BUTTONS} | set(QUESTIONS_WITH_BUTTONS.values())
    return names | set(HINTS.values()) | asked


def test_the_scanners_read_something() -> None:
    assert {"utter_greet", "utter_triage_stopped"} <= sent_by_rules()
    assert {"utter_triage_intro", "utter_crisis_help", "utter_handoff_closed", "utter_outcome_unknown"} <= named_in_actions()
    assert "utter_ask_contacted_board" in asked_by_the_form()
    assert {"utter_service_unavailable", "utter_conversation_restarted"} <= sent_by_the_rasa_server()


def test_every_response_is_used_by_a_rule_the_form_or_an_action() -> None:
    unused = sorted(
        set(RESPONSES) - sent_by_rules() - asked_by_the_form() - sent_by_actions() - sent_by_the_rasa_server()
    )
    assert not unused, f"responses that nothing sends (dead, or misspelt where used): {unused}"


def test_every_response_an_action_or_rule_sends_exists() -> None:
    sent = sent_by_rules() | asked_by_the_form() | sent_by_actions() | sent_by_the_rasa_server()
    missing = sorted(sent - set(RESPONSES))
    assert not missing, f"responses sent but missing from domain/: {missing}"


def test_no_response_name_is_made_in_code_except_the_answers() -> None:
    """Names built at run time escape the scan above; only answer_response() and question_for()
    may build one."""
    made = []
    for path in sorted(ACTIONS_DIR.glob("*.py")):
        made += re.findall(r"f\"(utter_\w*)\{", path.read_text(encoding="utf-8"))
    # utter_ask_<slot>: the form's questions, checked by asked_by_the_form().
    assert sorted(made) == ["utter_answer_", "utter_ask_"], made


def test_every_form_slot_has_a_question() -> None:
    assert set(FORM_SLOTS) == set(DOMAIN["forms"]["triage_form"]["required_slots"])
    assert asked_by_the_form() <= set(RESPONSES)


def test_every_reachable_reason_for_engaging_has_a_response() -> None:
    reasons = {advice.reason.value for advice in _reachable_advice() if advice.outcome.value == "engage_consultant"}
    assert reasons == {"contacts_made", "mbo_board_contacted", "home_without_education"}
