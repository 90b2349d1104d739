"""Unit tests for the bot texts (content/texts.yml, domain.yml responses) and actions/texts.py.

Facts (phone numbers, URLs, times) come only from content/advieslijn.yml; texts use "je"; every
text the code sends exists and renders with the values the actions pass.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_actions import advice_responses
from actions.conversation_actions import ANSWERED_QUESTIONS
from actions.decision import BOOLEAN_SLOTS, SCHOOL_TYPES, SITUATIONS, Advice, TriageAnswers, decide
from actions.facts import load_facts
from actions.messages import common_values
from actions.texts import TextError, load_texts, placeholders, render, say
from actions.triage import HINTS, UNKNOWN_EDUCATION_HINT
from tests.rasa_domain import domain_dict

ROOT = Path(__file__).resolve().parents[2]
ACTIONS_DIR = ROOT / "actions"
DOMAIN = domain_dict()
ASKED_SLOTS = tuple(DOMAIN["forms"]["triage_form"]["required_slots"])
TEXTS = load_texts()

# Values the actions add to common_values for particular texts (see actions/messages.py and
# ActionTriageSummary).
ACTION_VALUES = {
    "hours": "op werkdagen van 10:00 tot 13:00",
    "closes_at": "13:00",
    "next_opening": "morgen om 10:00",
    "closed_reason": ", want het is Eerste Kerstdag",
    "summary": "- Situatie: mijn kind zit thuis",
}

PHONE = re.compile(r"\d{3}-\d{7}|\d{3}-\d{3} ?\d{2} ?\d{2}|0800|\b112\b|\b113\b")
CLOCK_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
FORMAL_YOU = re.compile(r"(?<![\w'-])(u|uw|U|Uw|UW)(?![\w'-])")


def _domain_texts() -> Iterator[Tuple[str, str]]:
    """(where, text) for every text and button in the domain's responses."""
    for name, variants in DOMAIN["responses"].items():
        for index, variant in enumerate(variants):
            yield f"{name}[{index}]", variant.get("text", "")
            for button in variant.get("buttons") or []:
                yield f"{name}[{index}].button", f"{button['title']} {button['payload']}"


def _content_texts() -> Iterator[Tuple[str, str]]:
    """(where, text) for every text and button in content/texts.yml."""
    for key, entry in TEXTS.items():
        yield key, entry["text"]
        for button in entry.get("buttons") or []:
            yield f"{key}.button", f"{button['title']} {button['payload']}"


ALL_TEXTS = list(_content_texts()) + list(_domain_texts())


# --- Shape of the texts file --------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_text_entry_shape(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) <= {"text", "buttons"}, key
    assert isinstance(entry["text"], str) and entry["text"].strip(), key
    for button in entry.get("buttons") or []:
        assert set(button) == {"title", "payload"}, key
        assert button["title"].strip() and button["payload"].strip(), key
        # A payload is what the parent "types"; never an intent shortcut that skips the NLU.
        assert not button["payload"].startswith("/"), key


# --- Rendering ----------------------------------------------------------------------------------


def _values() -> Dict[str, str]:
    return {**common_values(load_facts()), **ACTION_VALUES}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_renders_without_leftover_braces(key: str) -> None:
    message = render(key, _values())
    assert "{" not in message["text"] and "}" not in message["text"], message["text"]
    assert message["text"].strip()


def test_every_placeholder_is_a_known_value() -> None:
    known = set(_values())
    used = {name for entry in TEXTS.values() for name in placeholders(entry["text"])}
    assert used <= known, used - known


def test_common_values_come_from_the_facts_file() -> None:
    facts = load_facts()
    values = common_values(facts)
    assert values["phone"] == facts.text("advieslijn.phone")
    assert values["oc_website"] == facts.text("onderwijsconsulenten.website")
    assert values["oc_phone"] == facts.text("onderwijsconsulenten.phone")
    assert values["emergency"] == facts.text("crisis.emergency")
    for name in ("phone", "contact_form", "oc_website", "oc_phone", "emergency", "veilig_thuis", "kindertelefoon"):
        assert values[name], name


def test_render_refuses_a_missing_value() -> None:
    with pytest.raises(TextError, match="phone"):
        render("handoff_open", {"closes_at": "13:00"})


def test_render_refuses_an_unknown_key() -> None:
    with pytest.raises(TextError, match="no_such_text"):
        render("no_such_text")


def test_render_copies_the_buttons() -> None:
    message = render("ask_contacted_swv")
    assert [b["payload"] for b in message["buttons"]] == ["ja", "nee"]
    message["buttons"][0]["payload"] = "changed"
    assert render("ask_contacted_swv")["buttons"][0]["payload"] == "ja"


def test_say_sends_text_and_buttons() -> None:
    dispatcher = CollectingDispatcher()
    say(dispatcher, "hint_yes_no")
    say(dispatcher, "ask_situation")
    assert dispatcher.messages[0]["text"] == TEXTS["hint_yes_no"]["text"]
    assert dispatcher.messages[0]["buttons"] == []
    assert len(dispatcher.messages[1]["buttons"]) == len(TEXTS["ask_situation"]["buttons"])


# --- No facts typed into texts ------------------------------------------------------------------


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


# --- "je", not "u" ------------------------------------------------------------------------------


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[where for where, _ in ALL_TEXTS])
def test_texts_use_je_not_u(where: str, text: str) -> None:
    assert not FORMAL_YOU.search(text), f"{where}: formal 'u'/'uw' in {text!r}"


def test_formal_you_pattern() -> None:
    assert FORMAL_YOU.search("Kunt u dat zeggen?") and FORMAL_YOU.search("Uw kind")
    assert not FORMAL_YOU.search("Kun je dat zeggen? uur, universiteit, jouw")


# --- Every key the code sends exists ------------------------------------------------------------


def _source(name: str) -> str:
    return (ACTIONS_DIR / name).read_text(encoding="utf-8")


def _action_sources() -> Dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(ACTIONS_DIR.glob("*.py"))}


def literal_keys() -> Set[str]:
    """Text keys written as literals in actions/*.py."""
    keys: Set[str] = set()
    for source in _action_sources().values():
        keys |= set(re.findall(r"\bsay\(\s*\w+\s*,\s*\"(\w+)\"", source))
        keys |= set(re.findall(r"\brender\(\s*\"(\w+)\"", source))
    # Keys chosen in code and passed on in a variable.
    keys |= set(re.findall(r"\"((?:outcome|reason|how_to|consent|tips)_\w+)\"", _source("advice_actions.py")))
    keys |= set(re.findall(r"\"(handoff_\w+)\"", _source("messages.py")))
    keys |= set(re.findall(r"\"(handoff_\w+|fallback_\w+|opening_\w+)\"", _source("conversation_actions.py")))
    keys |= set(re.findall(r"\"(hint_\w+)\"", _source("triage.py")))
    return keys


def _reachable_advice() -> Set[Advice]:
    found: Set[Advice] = set()
    for situation, school, weeks in itertools.product(SITUATIONS, SCHOOL_TYPES, (2.0, 10.0)):
        for bools in itertools.product((True, False), repeat=len(BOOLEAN_SLOTS)):
            answers = TriageAnswers(situation, school, weeks, **dict(zip(BOOLEAN_SLOTS, bools)))
            advice = decide(answers)
            assert advice is not None
            found.add(advice)
    return found


GENERATED_PREFIXES = {"ask_", "answer_", "reason_"}


def generated_keys() -> Set[str]:
    keys = {f"ask_{slot}" for slot in ASKED_SLOTS}
    keys |= {f"ask_{slot}" for slot in DOMAIN["forms"]["triage_form"]["required_slots"]}
    keys |= {f"answer_{intent}" for intent in ANSWERED_QUESTIONS}
    for advice in _reachable_advice():
        keys |= set(advice_responses(advice))
    keys |= set(HINTS.values()) | {UNKNOWN_EDUCATION_HINT}
    return keys


def test_literal_keys_are_found() -> None:
    keys = literal_keys()
    # A few the regexes must find, or they read nothing.
    assert {"triage_intro", "summary_empty", "crisis_help", "handoff_closed", "outcome_unknown", "hint_yes_no"} <= keys


def test_every_literal_text_key_exists() -> None:
    missing = sorted(literal_keys() - set(TEXTS))
    assert not missing, f"texts used in actions/*.py but missing from content/texts.yml: {missing}"


def test_every_generated_text_key_exists() -> None:
    missing = sorted(generated_keys() - set(TEXTS))
    assert not missing, f"generated text keys missing from content/texts.yml: {missing}"


def test_generated_keys_in_code_are_all_covered() -> None:
    """Every f-string key in the code has a known prefix this test enumerates."""
    prefixes: List[str] = []
    for source in _action_sources().values():
        prefixes += re.findall(r"\bsay\(\s*\w+\s*,\s*f\"(\w*)\{", source)
        prefixes += re.findall(r"\bf\"(reason_)\{", source)
    assert prefixes, "no generated keys found: the regex reads nothing"
    assert set(prefixes) <= GENERATED_PREFIXES, set(prefixes) - GENERATED_PREFIXES


def test_every_text_is_used_by_the_code() -> None:
    """A text no code sends is dead, or its key is misspelt where it is used."""
    unused = sorted(set(TEXTS) - literal_keys() - generated_keys())
    assert not unused, f"texts in content/texts.yml that no action sends: {unused}"


def test_every_reachable_reason_for_engaging_has_a_text() -> None:
    reasons = {advice.reason.value for advice in _reachable_advice() if advice.outcome.value == "engage_consultant"}
    assert reasons == {"contacts_made", "mbo_board_contacted", "home_without_education"}
    for reason in reasons:
        assert f"reason_{reason}" in TEXTS


def test_domain_responses_used_by_actions_exist() -> None:
    used: Set[str] = set()
    for source in _action_sources().values():
        used |= set(re.findall(r"response=\"(utter_\w+)\"", source))
    assert used, "no response= found: the regex reads nothing"
    assert used <= set(DOMAIN["responses"]), used - set(DOMAIN["responses"])


def test_every_form_slot_has_a_question_text() -> None:
    # The validation action asks the next question itself (text ask_<slot>).
    assert {f"ask_{slot}" for slot in ASKED_SLOTS} <= set(load_texts())
