"""Tests for actions/triage_actions.py: starting the triage and validating the triage form."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

import pytest

from actions.clock import fixed_clock
from tests.actions.conftest import CLOCK, HOME_PO_6, OPP_PO, response_text
from actions.triage_actions import (
    CUE_SLOTS,
    FORM_NAME,
    START_ACTION,
    STATE_SLOTS,
    TRIAGE_SLOTS,
    ActionStartTriage,
    ValidateTriageForm,
    actions_this_turn,
)




def text_of(name: str) -> str:
    return response_text(name)


def previous_bot_turn(h: Any, user_text: str = "Mijn kind zit thuis", requested: str = "contacted_swv") -> List[Dict[str, Any]]:
    """Events of an earlier turn in which the form asked a question."""
    return [
        h.action("action_listen"),
        h.user(user_text, "child_at_home"),
        h.action(START_ACTION),
        h.action(FORM_NAME),
        {"event": "active_loop", "name": FORM_NAME},
        h.slot("requested_slot", requested),
    ]


# --- actions_this_turn --------------------------------------------------------------------------


def test_actions_this_turn_empty() -> None:
    assert actions_this_turn([]) == []


def test_actions_this_turn_stops_at_the_latest_user_message(h: Any) -> None:
    events = previous_bot_turn(h) + [
        h.action("action_listen"),
        h.user("wat is een onderwijsconsulent?", "ask_consultant"),
        h.action("action_extract_slots"),
        h.slot("situation", "child_at_home"),
        h.action("action_answer_question"),
        {"event": "bot", "text": "Een onderwijsconsulent..."},
    ]
    assert actions_this_turn(events) == ["action_extract_slots", "action_answer_question"]


def test_actions_this_turn_right_after_the_user_message_is_empty(h: Any) -> None:
    events = previous_bot_turn(h) + [h.action("action_listen"), h.user("ja", "affirm")]
    assert actions_this_turn(events) == []


def test_actions_this_turn_without_a_user_message_takes_all_actions(h: Any) -> None:
    events = [h.action("action_session_start"), h.slot("x", 1), h.action("action_listen")]
    assert actions_this_turn(events) == ["action_session_start", "action_listen"]


def test_actions_this_turn_skips_action_events_without_a_name(h: Any) -> None:
    events = [h.user("hoi", "greet"), {"event": "action", "name": None}, h.action("utter_greet")]
    assert actions_this_turn(events) == ["utter_greet"]


# --- ActionStartTriage --------------------------------------------------------------------------


def test_start_triage_name_is_in_the_domain(domain: Dict[str, Any]) -> None:
    assert ActionStartTriage().name() == "action_start_triage" == START_ACTION
    assert START_ACTION in domain["actions"]
    assert ValidateTriageForm(clock=CLOCK).name() == "validate_triage_form"
    assert "validate_triage_form" in domain["actions"]


def test_triage_slots_cover_every_form_slot(domain: Dict[str, Any]) -> None:
    form_slots = set(domain["forms"]["triage_form"]["required_slots"])
    assert form_slots | set(CUE_SLOTS) | set(STATE_SLOTS) | {"advice_outcome"} == set(TRIAGE_SLOTS)
    assert set(TRIAGE_SLOTS) <= set(domain["slots"])


@pytest.mark.parametrize("intent", ["no_school_place", "opp_problem", "child_at_home", "school_conflict"])
def test_start_triage_resets_and_records_the_situation(intent: str, make_tracker: Any, run_action: Any, h: Any) -> None:
    earlier = {
        "situation": "school_conflict",
        "school_type": "mbo",
        "weeks_at_home": 10.0,
        "receives_education": True,
        "prospect_of_return": False,
        "alternative_school_found": False,
        "contacted_swv": True,
        "contacted_board": True,
        "advice_outcome": "engage_consultant",
    }
    tracker = make_tracker(slots=earlier, text="het gaat over school", intent=intent, active_loop=None)
    dispatcher, events = run_action(ActionStartTriage(), tracker)
    sets = h.slot_sets(events)
    assert sets[: len(TRIAGE_SLOTS)] == [(slot, None) for slot in TRIAGE_SLOTS]
    assert sets[len(TRIAGE_SLOTS) :] == [("situation", intent)]
    assert h.texts_of(dispatcher) == [text_of("utter_triage_intro")]


@pytest.mark.parametrize("intent", ["ask_how_to_engage", "inform", "greet", None])
def test_start_triage_without_a_situation_intent_only_resets(intent: Any, make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(slots={"situation": "opp_problem"}, text="ik wil het weten", intent=intent, active_loop=None)
    _, events = run_action(ActionStartTriage(), tracker)
    assert h.slot_sets(events) == [(slot, None) for slot in TRIAGE_SLOTS]


# --- ValidateTriageForm: activation -------------------------------------------------------------


def activation_events(h: Any, text: str, intent: str) -> List[Dict[str, Any]]:
    """The form's first validation: right after action_start_triage for the first story."""
    return [
        h.action("action_session_start"),
        h.action("action_listen"),
        h.user(text, intent),
        h.action("action_extract_slots"),
        h.action(START_ACTION),
        *[h.slot(slot, None) for slot in TRIAGE_SLOTS],
        h.slot("situation", intent),
    ]


def test_activation_fills_from_the_first_story(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    text = "hij zit al zes weken thuis, hij zit op de basisschool"
    tracker = make_tracker(
        slots={"situation": "child_at_home"},
        text=text,
        intent="child_at_home",
        events=activation_events(h, text, "child_at_home"),
        latest_action_name=START_ACTION,
    )
    dispatcher, events = run_action(form, tracker)
    assert h.slot_sets(events) == [
        ("school_type", "po"),
        ("weeks_at_home", 6.0),
        ("requested_slot", "prospect_of_return"),
    ]
    assert dispatcher.messages == []  # the form asks the question (utter_ask_prospect_of_return)


def test_activation_with_only_the_situation_asks_the_school_type(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    text = "We hebben problemen met het OPP"
    tracker = make_tracker(
        slots={"situation": "opp_problem"},
        text=text,
        intent="opp_problem",
        events=activation_events(h, text, "opp_problem"),
    )
    dispatcher, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("requested_slot", "school_type")]
    assert dispatcher.messages == []  # no hint: nothing was asked yet


def test_activation_ignores_a_requested_slot_left_from_an_earlier_triage(
    form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    text = "ja, mijn kind zit thuis"
    tracker = make_tracker(
        slots={"situation": "child_at_home", "requested_slot": "contacted_swv"},
        text=text,
        intent="child_at_home",
        events=activation_events(h, text, "child_at_home"),
    )
    dispatcher, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("at_home_now", True), ("requested_slot", "school_type")]
    assert dispatcher.messages == []


def test_activation_for_mbo_goes_straight_to_the_board(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    text = "er is geen plek voor mijn zoon op het mbo"
    tracker = make_tracker(
        slots={"situation": "no_school_place"},
        text=text,
        intent="no_school_place",
        events=activation_events(h, text, "no_school_place"),
    )
    _, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("school_type", "mbo"), ("requested_slot", "contacted_board")]


# --- ValidateTriageForm: answers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "value"),
    [("ja hoor", "affirm", True), ("nee nog niet", "deny", False)],
)
def test_yes_no_answer_fills_the_requested_slot(
    text: str, intent: str, value: bool, form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    tracker = make_tracker(
        slots={**OPP_PO, "requested_slot": "contacted_swv"},
        text=text,
        intent=intent,
        events=previous_bot_turn(h) + [h.action("action_listen"), h.user(text, intent)],
        latest_action_name="action_listen",
    )
    dispatcher, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("contacted_swv", value), ("requested_slot", "contacted_board")]
    assert dispatcher.messages == []


def test_answer_read_after_action_extract_slots(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    events = previous_bot_turn(h) + [h.action("action_listen"), h.user("ja", "affirm"), h.action("action_extract_slots")]
    tracker = make_tracker(slots={**OPP_PO, "requested_slot": "contacted_swv"}, text="ja", intent="affirm", events=events)
    _, result = run_action(form, tracker)
    assert h.slot_sets(result) == [("contacted_swv", True), ("requested_slot", "contacted_board")]


def test_last_answer_completes_the_form(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(
        slots={**OPP_PO, "contacted_swv": True, "requested_slot": "contacted_board"},
        text="ja",
        intent="affirm",
    )
    dispatcher, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("contacted_board", True), ("requested_slot", None)]
    assert dispatcher.messages == []


def test_home_without_education_completes_without_contacts(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {**HOME_PO_6, "prospect_of_return": False, "alternative_school_found": False, "requested_slot": "receives_education"}
    tracker = make_tracker(slots=slots, text="nee, helemaal niet", intent="deny")
    _, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("receives_education", False), ("requested_slot", None)]


def test_weeks_answer_uses_the_injected_clock_in_amsterdam_time(make_tracker: Any, run_action: Any, h: Any) -> None:
    # 23:30 UTC on 30 November is already 1 December in Amsterdam: 61 days since 1 October.
    form = ValidateTriageForm(clock=fixed_clock(datetime.fromisoformat("2026-11-30T23:30:00+00:00")))
    tracker = make_tracker(
        slots={"situation": "child_at_home", "school_type": "po", "requested_slot": "weeks_at_home"},
        text="sinds 1 oktober",
        intent="inform",
    )
    _, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("weeks_at_home", 8.7), ("requested_slot", "prospect_of_return")]


def test_short_stay_at_home_completes_the_form(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(
        slots={"situation": "child_at_home", "school_type": "vo", "requested_slot": "weeks_at_home"},
        text="3",
        intent="inform",
    )
    _, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("weeks_at_home", 3.0), ("requested_slot", None)]


def test_invalid_slot_value_from_the_tracker_is_asked_again(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(
        slots={"situation": "child_at_home", "school_type": "po", "weeks_at_home": "10", "requested_slot": "prospect_of_return"},
        text="nee",
        intent="deny",
    )
    _, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("prospect_of_return", False), ("requested_slot", "weeks_at_home")]


# --- ValidateTriageForm: unreadable answers get a hint, not a rejection -------------------------


@pytest.mark.parametrize(
    ("slots", "requested", "text", "intent", "hint"),
    [
        (OPP_PO, "contacted_swv", "hmm lastig", "inform", "utter_hint_yes_no"),
        ({**OPP_PO, "contacted_swv": True}, "contacted_board", "de juf heeft gebeld", "nlu_fallback", "utter_hint_yes_no"),
        ({"situation": "child_at_home", "school_type": "po"}, "weeks_at_home", "sinds de verhuizing", "inform", "utter_hint_weeks"),
        ({"situation": "opp_problem"}, "school_type", "een gewone school", "inform", "utter_hint_school_type"),
        (
            {**HOME_PO_6, "prospect_of_return": False, "alternative_school_found": False},
            "receives_education",
            "dat wisselt",
            "inform",
            "utter_hint_yes_no",
        ),
    ],
)
def test_unreadable_answer_sends_a_hint_and_asks_again(
    slots: Dict[str, Any],
    requested: str,
    text: str,
    intent: str,
    hint: str,
    form: ValidateTriageForm,
    make_tracker: Any,
    run_action: Any,
    h: Any,
) -> None:
    tracker = make_tracker(slots={**slots, "requested_slot": requested}, text=text, intent=intent)
    dispatcher, events = run_action(form, tracker)
    assert h.texts_of(dispatcher) == [text_of(hint)]  # then the form asks utter_ask_<slot> again
    # Not rejected: the requested slot is (re)set to None and asked again; one unreadable answer.
    assert h.slot_sets(events) == [(requested, None), ("unread_answers", 1), ("requested_slot", requested)]


def test_unreadable_answer_keeps_other_answers_it_gives(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    """Asked for the situation, the parent names only the school: keep it, hint for the situation."""
    tracker = make_tracker(slots={"requested_slot": "situation"}, text="het gaat om de basisschool", intent="inform")
    dispatcher, events = run_action(form, tracker)
    assert h.texts_of(dispatcher) == [text_of("utter_hint_situation")]
    assert h.slot_sets(events) == [("situation", None), ("school_type", "po"), ("unread_answers", 1), ("requested_slot", "situation")]


# --- ValidateTriageForm: questions and leaving reject the form ----------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wat is een onderwijsconsulent?", "ask_consultant"),
        ("wat is een swv?", "ask_how_to_engage"),
        ("hoe kan ik jullie bellen?", "ask_contact"),
        ("kun je het samenvatten", "ask_summary"),
        ("ben jij een robot?", "bot_challenge"),
    ],
)
def test_question_without_an_answer_rejects_the_form(
    text: str, intent: str, form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    tracker = make_tracker(slots={**OPP_PO, "requested_slot": "contacted_swv"}, text=text, intent=intent)
    dispatcher, events = run_action(form, tracker)
    # No slot but the requested one: Rasa's form rejects the turn and a rule answers.
    assert h.slot_sets(events) == [("requested_slot", "contacted_swv")]
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mijn zoon wil zichzelf iets aandoen", "urgent_help"),
        ("nee, stop maar", "stop"),
        ("ja doei", "goodbye"),
    ],
)
def test_leaving_intents_reject_the_form_even_with_a_yes_no_word(
    text: str, intent: str, form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    tracker = make_tracker(slots={**OPP_PO, "requested_slot": "contacted_swv"}, text=text, intent=intent)
    dispatcher, events = run_action(form, tracker)
    assert h.slot_sets(events) == [("requested_slot", "contacted_swv")]
    assert dispatcher.messages == []


# --- ValidateTriageForm: resuming after a digression --------------------------------------------


@pytest.mark.parametrize(
    ("intent", "digression"),
    [
        ("ask_consultant", "action_answer_question"),
        ("ask_contact", "action_handoff"),
        ("ask_summary", "action_triage_summary"),
        ("bot_challenge", "utter_iamabot"),
    ],
)
def test_resuming_after_a_digression_only_asks_again(
    intent: str, digression: str, form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    # The message even contains "ja" and a school type: nothing may be read from it now.
    text = "ja, maar wat doet een onderwijsconsulent op de middelbare school eigenlijk"
    events = previous_bot_turn(h) + [
        h.action("action_listen"),
        h.user(text, intent),
        h.action(digression),
        {"event": "bot", "text": "..."},
    ]
    tracker = make_tracker(
        slots={**OPP_PO, "requested_slot": "contacted_swv"},
        text=text,
        intent=intent,
        events=events,
        latest_action_name=digression,
    )
    dispatcher, result = run_action(form, tracker)
    assert h.slot_sets(result) == [("requested_slot", "contacted_swv")]
    assert dispatcher.messages == []  # the form asks utter_ask_contacted_swv again


def test_resuming_with_everything_answered_completes(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {**OPP_PO, "contacted_swv": True, "contacted_board": False, "requested_slot": None}
    events = previous_bot_turn(h) + [
        h.action("action_listen"),
        h.user("wat is een onderwijsconsulent?", "ask_consultant"),
        h.action("action_answer_question"),
    ]
    tracker = make_tracker(slots=slots, text="wat is een onderwijsconsulent?", intent="ask_consultant", events=events)
    _, result = run_action(form, tracker)
    assert h.slot_sets(result) == [("requested_slot", None)]

