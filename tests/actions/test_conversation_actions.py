"""Tests for actions/conversation_actions.py: hand-off, fallback, answers and crisis numbers.

Times are injected with actions.clock.fixed_clock; facts come from content/advieslijn.yml.
"""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Action

import actions.advice_actions
import actions.conversation_actions
import actions.triage_actions
from actions.clock import fixed_clock
from actions.conversation_actions import (
    ANSWERED_QUESTIONS,
    ActionAnswerQuestion,
    ActionCrisisHelp,
    ActionFallback,
    ActionHandoff,
    consecutive_fallbacks,
)
from actions.facts import Facts, parse_facts
from actions.messages import contact_form_phrase
from tests.actions.conftest import response_text
from tests.rasa_domain import domain_dict

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RESPONSES = domain_dict()["responses"]

TUESDAY_OPEN = datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)
TUESDAY_CLOSING_SOON = datetime(2026, 12, 1, 12, 50, tzinfo=AMSTERDAM)
TUESDAY_CLOSED = datetime(2026, 12, 1, 13, 0, tzinfo=AMSTERDAM)
FRIDAY_AFTERNOON = datetime(2026, 12, 4, 13, 30, tzinfo=AMSTERDAM)
CHRISTMAS_DAY = datetime(2026, 12, 25, 11, 0, tzinfo=AMSTERDAM)  # a Friday


def prefix(key: str) -> str:
    """The text of response utter_<key> up to its first placeholder."""
    return RESPONSES[f"utter_{key}"][0]["text"].split("{")[0]


def handoff(moment: datetime, make_tracker: Any, run_action: Any, h: Any) -> List[str]:
    tracker = make_tracker(text="hoe kan ik jullie bereiken", intent="ask_contact", active_loop=None)
    dispatcher, events = run_action(ActionHandoff(clock=fixed_clock(moment)), tracker)
    assert events == []
    return h.texts_of(dispatcher)


# --- ActionHandoff ------------------------------------------------------------------------------


def test_handoff_while_open(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    texts = handoff(TUESDAY_OPEN, make_tracker, run_action, h)
    assert len(texts) == 2
    assert texts[0].startswith(prefix("handoff_open"))
    assert facts.text("advieslijn.phone") in texts[0]
    assert "tot 13 uur" in texts[0]
    # The opening hours follow, with the hours from the facts file, as parents say them.
    hours = facts.section("opening_hours")
    assert texts[1].startswith(prefix("opening_hours"))
    opens, closes = (int(hours[key].split(":")[0]) for key in ("open", "close"))
    assert f"van {opens} tot {closes} uur" in texts[1]
    assert "op werkdagen" in texts[1]


def test_handoff_reads_a_utc_clock_in_amsterdam_time(make_tracker: Any, run_action: Any, h: Any) -> None:
    # 09:30 UTC is 10:30 in Amsterdam (winter time): open.
    texts = handoff(datetime.fromisoformat("2026-12-01T09:30:00+00:00"), make_tracker, run_action, h)
    assert texts[0].startswith(prefix("handoff_open"))


def test_handoff_closing_soon_also_offers_the_contact_form(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    texts = handoff(TUESDAY_CLOSING_SOON, make_tracker, run_action, h)
    assert len(texts) == 1
    assert texts[0].startswith(prefix("handoff_closing_soon"))
    assert "13 uur" in texts[0]
    assert facts.text("advieslijn.phone") in texts[0]
    assert contact_form_phrase(facts) in texts[0]


def test_handoff_at_closing_time_is_closed_until_tomorrow(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    texts = handoff(TUESDAY_CLOSED, make_tracker, run_action, h)
    assert len(texts) == 1
    assert texts[0].startswith("De advieslijn is nu gesloten. ")  # no reason on a working day
    assert "morgen om 10 uur" in texts[0]
    assert facts.text("advieslijn.phone") in texts[0]
    assert contact_form_phrase(facts) in texts[0]


def test_handoff_on_friday_afternoon_points_to_monday(make_tracker: Any, run_action: Any, h: Any) -> None:
    texts = handoff(FRIDAY_AFTERNOON, make_tracker, run_action, h)
    assert len(texts) == 1
    assert "maandag om 10 uur" in texts[0]
    assert "morgen" not in texts[0]


def test_handoff_on_christmas_day(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    texts = handoff(CHRISTMAS_DAY, make_tracker, run_action, h)
    assert len(texts) == 1
    assert "gesloten, want het is Eerste Kerstdag" in texts[0]
    # Saturday is also Tweede Kerstdag, then Sunday: open again Monday 28 December.
    assert "maandag om 10 uur" in texts[0]
    assert facts.text("advieslijn.phone") in texts[0]


def test_contact_form_phrase_with_and_without_a_url() -> None:
    """An unknown URL is not invented: the organisation's website is named instead."""
    without = parse_facts('advieslijn: {organisation: "Vereniging X", contact_form_url: ""}')
    with_url = parse_facts('advieslijn: {organisation: "Vereniging X", contact_form_url: "https://x.example/contact"}')
    assert contact_form_phrase(without) == "het contactformulier op de website van Vereniging X"
    assert contact_form_phrase(with_url) == "het contactformulier: https://x.example/contact"


# --- consecutive_fallbacks ----------------------------------------------------------------------


def test_consecutive_fallbacks_counts(h: Any) -> None:
    u = h.user("bla", "nlu_fallback")
    fb, listen = h.action("action_fallback"), h.action("action_listen")
    greet = h.action("utter_greet")
    assert consecutive_fallbacks([]) == 1
    assert consecutive_fallbacks([listen, u]) == 1
    assert consecutive_fallbacks([listen, u, fb, listen, u]) == 2
    assert consecutive_fallbacks([listen, u, fb, listen, u, fb, listen, u]) == 3
    # An understood turn in between starts the count again.
    assert consecutive_fallbacks([listen, u, fb, listen, h.user("hoi", "greet"), greet, listen, u]) == 1
    assert consecutive_fallbacks([u, fb, listen, u, greet, listen, u, fb, listen, u]) == 2
    # Actions before the first user message (session start) do not count.
    assert consecutive_fallbacks([fb, h.action("action_session_start"), listen, u]) == 1


# --- ActionFallback -----------------------------------------------------------------------------


def fallback(events: List[Dict[str, Any]], make_tracker: Any, run_action: Any, moment: datetime = TUESDAY_OPEN) -> Any:
    tracker = make_tracker(text="blabla", intent="nlu_fallback", events=events, active_loop=None)
    return run_action(ActionFallback(clock=fixed_clock(moment)), tracker)


def test_first_fallback_asks_to_rephrase_with_buttons(make_tracker: Any, run_action: Any, h: Any) -> None:
    events = [h.action("action_session_start"), h.action("action_listen"), h.user("blabla", "nlu_fallback")]
    dispatcher, result = fallback(events, make_tracker, run_action)
    assert result == []
    assert len(dispatcher.messages) == 1
    message = h.rendered(dispatcher.messages[0])
    assert message["text"] == RESPONSES["utter_fallback_rephrase"][0]["text"]
    assert [b["payload"] for b in message["buttons"]] == [b["payload"] for b in RESPONSES["utter_fallback_rephrase"][0]["buttons"]]
    assert len(message["buttons"]) >= 4


def test_second_fallback_in_a_row_hands_off(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    events = [
        h.action("action_listen"),
        h.user("blabla", "nlu_fallback"),
        h.action("action_fallback"),
        h.action("action_listen"),
        h.user("nog steeds blabla", "nlu_fallback"),
    ]
    dispatcher, _ = fallback(events, make_tracker, run_action)
    texts = h.texts_of(dispatcher)
    assert texts[0] == RESPONSES["utter_fallback_handoff"][0]["text"]
    assert texts[1].startswith(prefix("handoff_open"))
    assert facts.text("advieslijn.phone") in texts[1]
    assert all(not h.rendered(message).get("buttons") for message in dispatcher.messages)


def test_second_fallback_when_closed_hands_off_to_the_contact_form(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    events = [
        h.action("action_listen"),
        h.user("blabla", "nlu_fallback"),
        h.action("action_fallback"),
        h.action("action_listen"),
        h.user("nog steeds blabla", "nlu_fallback"),
    ]
    dispatcher, _ = fallback(events, make_tracker, run_action, moment=FRIDAY_AFTERNOON)
    texts = h.texts_of(dispatcher)
    assert texts[0] == RESPONSES["utter_fallback_handoff"][0]["text"]
    assert "maandag om 10 uur" in texts[1]
    assert facts.text("advieslijn.phone") in texts[1]
    assert contact_form_phrase(facts) in texts[1]


def test_fallback_after_an_understood_turn_asks_to_rephrase_again(make_tracker: Any, run_action: Any, h: Any) -> None:
    events = [
        h.action("action_listen"),
        h.user("blabla", "nlu_fallback"),
        h.action("action_fallback"),
        h.action("action_listen"),
        h.user("wat is een onderwijsconsulent?", "ask_consultant"),
        h.action("action_answer_question"),
        h.action("action_listen"),
        h.user("blabla", "nlu_fallback"),
    ]
    dispatcher, _ = fallback(events, make_tracker, run_action)
    assert h.texts_of(dispatcher) == [RESPONSES["utter_fallback_rephrase"][0]["text"]]


# --- ActionAnswerQuestion -----------------------------------------------------------------------


def answer(intent: Any, make_tracker: Any, run_action: Any) -> Any:
    tracker = make_tracker(text="een vraag", intent=intent, active_loop=None)
    return run_action(ActionAnswerQuestion(), tracker)


def test_the_five_answered_questions() -> None:
    assert set(ANSWERED_QUESTIONS) == {
        "ask_consultant",
        "ask_care_consultant",
        "ask_how_to_engage",
        "ask_consent_privacy",
        "school_proposes_consultant",
    }


@pytest.mark.parametrize(
    ("intent", "must_contain"),
    [
        ("ask_consultant", ["onafhankelijk", "gratis", "niet op te volgen", "{oc_website}"]),
        ("ask_care_consultant", ["onderwijszorgconsulent", "{oc_website}"]),
        ("ask_how_to_engage", ["4 weken", "samenwerkingsverband", "bestuur", "{oc_website}", "{oc_phone}"]),
        ("ask_consent_privacy", ["toestemming", "voor alles", "{dos_and_donts}"]),
        ("school_proposes_consultant", ["akkoord", "gezag"]),
    ],
)
def test_answer_question(intent: str, must_contain: List[str], make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    dispatcher, events = answer(intent, make_tracker, run_action)
    assert events == []
    (text,) = h.texts_of(dispatcher)
    assert text == response_text(f"utter_answer_{intent}")
    values = {
        "{oc_website}": facts.text("onderwijsconsulenten.website"),
        "{oc_phone}": facts.text("onderwijsconsulenten.phone"),
        "{dos_and_donts}": facts.text("links.dos_and_donts_information_exchange"),
    }
    for expected in must_contain:
        assert values.get(expected, expected) in text, expected


@pytest.mark.parametrize("intent", ["greet", "ask_contact", "ask_summary", "nlu_fallback", None])
def test_unexpected_intent_asks_how_to_help(intent: Any, make_tracker: Any, run_action: Any, domain: Dict[str, Any]) -> None:
    dispatcher, events = answer(intent, make_tracker, run_action)
    assert events == []
    assert len(dispatcher.messages) == 1
    assert dispatcher.messages[0]["response"] == "utter_how_can_i_help"
    assert "utter_how_can_i_help" in domain["responses"]


# --- ActionCrisisHelp ---------------------------------------------------------------------------


def test_crisis_help_gives_every_crisis_number(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    tracker = make_tracker(text="mijn kind wil niet meer leven", intent="urgent_help")
    dispatcher, events = run_action(ActionCrisisHelp(), tracker)
    assert events == []
    (text,) = h.texts_of(dispatcher)
    crisis = facts.section("crisis")
    assert set(crisis) == {"emergency", "suicide_prevention", "suicide_prevention_free", "kindertelefoon", "veilig_thuis"}
    for number in crisis.values():
        assert str(number) in text, number
    assert {str(n) for n in crisis.values()} == {"112", "113", "0800-0113", "0800-0432", "0800-2000"}
    # The emergency number comes first.
    assert text.index(str(crisis["emergency"])) == min(text.index(str(n)) for n in crisis.values())


def test_crisis_help_outside_the_triage_leaves_the_door_open(make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(text="hij wordt nergens aangenomen", intent="urgent_help", active_loop=None)
    dispatcher, _ = run_action(ActionCrisisHelp(), tracker)
    numbers, follow_up = h.texts_of(dispatcher)
    assert "112" in numbers and "112" not in follow_up
    assert "school" in follow_up and follow_up.endswith("wat er speelt.")


# --- Registration -------------------------------------------------------------------------------


def test_every_action_name_is_in_the_domain(domain: Dict[str, Any]) -> None:
    names = set()
    for module in (actions.advice_actions, actions.conversation_actions, actions.triage_actions):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                names.add(cls().name())
    names |= {cls().name() for cls in actions.triage_actions.ASK_ACTIONS.values()}
    assert {"action_handoff", "action_fallback", "action_answer_question", "action_crisis_help"} <= names
    assert names <= set(domain["actions"]), names - set(domain["actions"])
