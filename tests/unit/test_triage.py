"""Unit tests for actions/triage.py: reading triage answers from a parent's message."""

from __future__ import annotations

from datetime import date

import pytest

from actions.decision import BOOLEAN_SLOTS, TriageAnswers
from actions.triage import (
    HINTS,
    Turn,
    extract_answers,
    read_turn,
    read_yes_no,
)
from tests.rasa_domain import domain_dict

TODAY = date(2026, 12, 1)  # a Tuesday

# Known answers part-way through the home path: the next question is about the prospect.
HOME_PO = TriageAnswers(situation="child_at_home", school_type="po")
HOME_PO_6 = TriageAnswers(situation="child_at_home", school_type="po", weeks_at_home=6.0)
PROSPECTS_ASKED = (
    "prospect_of_return",
    "alternative_school_found",
    "contacted_swv",
    "contacted_board",
)


# --- The first story (the form is activated, nothing requested yet) -----------------------------


def test_first_story_fills_situation_school_and_weeks() -> None:
    text = "hij zit al zes weken thuis, hij zit op de basisschool"
    updates = extract_answers(text, "child_at_home", None, TriageAnswers(), TODAY)
    assert updates == {"situation": "child_at_home", "school_type": "po", "weeks_at_home": 6.0}


def test_first_story_after_start_triage_does_not_repeat_the_known_situation() -> None:
    text = "hij zit al zes weken thuis, hij zit op de basisschool"
    known = TriageAnswers(situation="child_at_home")
    assert extract_answers(text, "child_at_home", None, known, TODAY) == {
        "school_type": "po",
        "weeks_at_home": 6.0,
    }


def test_first_story_with_weeks_and_a_secondary_school() -> None:
    text = "mijn dochter zit al 3 weken thuis, 2e klas vmbo"
    updates = extract_answers(text, "child_at_home", None, TriageAnswers(situation="child_at_home"), TODAY)
    assert updates == {"school_type": "vo", "weeks_at_home": 3.0}


def test_first_story_without_details_gives_only_the_situation() -> None:
    updates = extract_answers("Mijn kind zit thuis en gaat niet naar school", "child_at_home", None, TriageAnswers(), TODAY)
    assert updates == {"situation": "child_at_home"}


def test_weeks_are_only_read_for_a_child_at_home() -> None:
    text = "er is al zes weken geen passende school voor hem, hij zat op de basisschool"
    updates = extract_answers(text, "no_school_place", None, TriageAnswers(), TODAY)
    assert updates == {"situation": "no_school_place", "school_type": "po"}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 1), 8.7),  # 61 days since 1 October
        (date(2026, 10, 15), 2.0),  # 14 days since 1 October
    ],
)
def test_since_a_date_is_counted_from_the_injected_today(today: date, expected: float) -> None:
    text = "mijn zoon zit sinds 1 oktober thuis"
    updates = extract_answers(text, "child_at_home", None, TriageAnswers(situation="child_at_home"), today)
    assert updates == {"weeks_at_home": expected}


def test_since_a_date_as_the_answer_to_the_weeks_question() -> None:
    updates = extract_answers("sinds 1 oktober", "inform", "weeks_at_home", HOME_PO, TODAY)
    assert updates == {"weeks_at_home": 8.7}


# --- A bare number ------------------------------------------------------------------------------


def test_bare_number_is_not_weeks_when_weeks_were_not_asked() -> None:
    known = TriageAnswers(situation="child_at_home")
    assert extract_answers("2", "inform", "school_type", known, TODAY) == {}
    assert extract_answers("2", "inform", None, known, TODAY) == {}


def test_bare_number_is_weeks_when_weeks_were_asked() -> None:
    assert extract_answers("2", "inform", "weeks_at_home", HOME_PO, TODAY) == {"weeks_at_home": 2.0}
    assert extract_answers("al zes", "inform", "weeks_at_home", HOME_PO, TODAY) == {"weeks_at_home": 6.0}


def test_part_time_lessons_are_not_a_duration() -> None:
    updates = extract_answers("hij krijgt 2 uur per week les thuis", "inform", "weeks_at_home", HOME_PO, TODAY)
    assert "weeks_at_home" not in updates


# --- Yes / no -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slot", BOOLEAN_SLOTS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [("ja", True), ("ja hoor", True), ("klopt", True), ("nee", False), ("nee nog niet", False), ("helaas niet", False)],
)
def test_yes_no_fills_the_requested_boolean_slot(slot: str, text: str, expected: bool) -> None:
    assert extract_answers(text, "inform", slot, HOME_PO_6, TODAY) == {slot: expected}


@pytest.mark.parametrize("requested", [None, "school_type", "weeks_at_home", "situation"])
@pytest.mark.parametrize("text", ["ja", "nee", "ja hoor", "nee nog niet"])
def test_yes_no_fills_nothing_when_no_boolean_was_asked(requested: str, text: str) -> None:
    updates = extract_answers(text, "affirm" if text.startswith("ja") else "deny", requested, HOME_PO, TODAY)
    assert not set(updates) & set(BOOLEAN_SLOTS)


def test_yes_fills_only_the_asked_contact_not_the_other() -> None:
    known = TriageAnswers(situation="opp_problem", school_type="po")
    assert extract_answers("ja", "affirm", "contacted_swv", known, TODAY) == {"contacted_swv": True}
    assert extract_answers("ja", "affirm", "contacted_board", known, TODAY) == {"contacted_board": True}


@pytest.mark.parametrize("slot", PROSPECTS_ASKED + ("receives_education",))
@pytest.mark.parametrize("intent", ["inform", "deny", "affirm", None])
def test_dont_know_gives_no_value(slot: str, intent: str) -> None:
    """"Weet ik niet" is never read as yes or no (read_turn marks it as unknown; the decision
    table decides what an unknown answer means)."""
    for text in ("weet ik niet", "geen idee", "misschien"):
        assert extract_answers(text, intent, slot, HOME_PO_6, TODAY) == {}
        assert read_yes_no(text, intent, slot) is None


@pytest.mark.parametrize(("intent", "expected"), [("affirm", True), ("deny", False)])
def test_intent_decides_when_the_words_do_not(intent: str, expected: bool) -> None:
    text = "het swv hebben we gesproken" if expected else "dat was lastig"
    updates = extract_answers(text, intent, "contacted_swv", HOME_PO_6, TODAY)
    assert updates == {"contacted_swv": expected}


def test_words_win_over_the_intent() -> None:
    assert read_yes_no("nee nog niet", "affirm", "contacted_board") is False
    assert read_yes_no("ja hoor", "deny", "contacted_board") is True


@pytest.mark.parametrize("intent", ["inform", "greet", "nlu_fallback", None])
def test_unreadable_answer_gives_no_value(intent: str) -> None:
    assert extract_answers("het swv hebben we gesproken", intent, "contacted_swv", HOME_PO_6, TODAY) == {}
    assert extract_answers("hmm lastig", intent, "receives_education", HOME_PO_6, TODAY) == {}


# --- School type --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("vmbo", "vo"), ("basisschool", "po"), ("mbo", "mbo"), ("speciaal onderwijs", "so"), ("hbo of universiteit", "ho")],
)
def test_requested_school_type(text: str, expected: str) -> None:
    known = TriageAnswers(situation="opp_problem")
    assert extract_answers(text, "inform", "school_type", known, TODAY) == {"school_type": expected}


def test_unreadable_school_type_gives_no_value() -> None:
    known = TriageAnswers(situation="opp_problem")
    assert extract_answers("dat weet ik niet precies", "inform", "school_type", known, TODAY) == {}


# --- A known slot is not overwritten unless it is asked -----------------------------------------


def test_known_school_type_is_kept_when_another_slot_is_asked() -> None:
    known = TriageAnswers(situation="opp_problem", school_type="po")
    updates = extract_answers("ja, van de middelbare school", "affirm", "contacted_swv", known, TODAY)
    assert updates == {"contacted_swv": True}


def test_known_school_type_is_replaced_when_it_is_asked_again() -> None:
    known = TriageAnswers(situation="opp_problem", school_type="po")
    assert extract_answers("vmbo", "inform", "school_type", known, TODAY) == {"school_type": "vo"}


def test_known_weeks_are_kept_when_another_slot_is_asked() -> None:
    updates = extract_answers("nee, hij zit nu al acht weken thuis", "deny", "prospect_of_return", HOME_PO_6, TODAY)
    assert updates == {"prospect_of_return": False}


def test_known_situation_is_kept_when_another_situation_intent_comes_in() -> None:
    known = TriageAnswers(situation="opp_problem", school_type="po")
    updates = extract_answers("nee hij zit nu thuis", "child_at_home", "contacted_board", known, TODAY)
    assert updates == {"contacted_board": False}


def test_situation_is_filled_from_a_situation_intent_when_asked() -> None:
    assert extract_answers("we hebben problemen met het OPP", "opp_problem", "situation", TriageAnswers(), TODAY) == {
        "situation": "opp_problem"
    }


@pytest.mark.parametrize("intent", ["inform", "affirm", "ask_consultant", None])
def test_situation_is_only_filled_from_a_situation_intent(intent: str) -> None:
    assert "situation" not in extract_answers("het gaat over school", intent, "situation", TriageAnswers(), TODAY)


# --- Hints -------------------------------------------------------------------------------------


def test_every_form_question_has_a_hint_and_every_hint_is_a_response() -> None:
    domain = domain_dict()
    assert set(HINTS) == set(domain["forms"]["triage_form"]["required_slots"])
    for name in set(HINTS.values()):
        assert name in domain["responses"], name


# --- read_turn: what the form takes from a message ---------------------------------------------


def test_read_turn_keeps_the_answers() -> None:
    turn = read_turn("ja", "affirm", "prospect_of_return", HOME_PO_6, TODAY)
    assert turn.answers == {"prospect_of_return": True}
    assert turn.extras == {} and turn.reply is None


def test_read_turn_marks_an_unreadable_answer_for_a_hint() -> None:
    turn = read_turn("hmm lastig", "inform", "prospect_of_return", HOME_PO_6, TODAY)
    assert turn.answers == {"prospect_of_return": None}
    assert turn.reply == "utter_hint_yes_no"
    assert turn.extras == {"unread_answers": 1}


@pytest.mark.parametrize("intent", ["ask_consultant", "ask_contact", "ask_summary", "bot_challenge"])
def test_read_turn_leaves_a_question_to_its_rule(intent: str) -> None:
    assert read_turn("en wat doet de basisschool dan", intent, "prospect_of_return", HOME_PO_6, TODAY) == Turn()


@pytest.mark.parametrize("intent", ["urgent_help", "stop", "goodbye"])
def test_read_turn_leaves_stop_goodbye_and_crisis_to_their_rule_even_with_a_yes(intent: str) -> None:
    assert read_turn("nee, stop maar", intent, "prospect_of_return", HOME_PO_6, TODAY) == Turn()


def test_read_turn_without_a_question_only_reads_what_is_there() -> None:
    assert read_turn("op de basisschool", "child_at_home", None, TriageAnswers(), TODAY).answers == {
        "situation": "child_at_home",
        "school_type": "po",
    }
