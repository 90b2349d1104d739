"""What the form does with a turn (actions/triage.py read_turn, question_for): no loops, "weet ik
niet" at every question, answers to another question kept, dates as parents say them, the
"langer dan 4 weken?" question, at home now, exclusions, and asking when the situation is unclear.
The issue's conversation (issue 12) is played turn by turn."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, Optional

import pytest

from actions.answer_cues import named_exclusion, parse_cluster_1_or_2, parse_receives_education, says_at_home_now
from actions.decision import TriageAnswers, answers_from_slots, decide, next_question
from actions.school_calendar import calendar_from_data
from actions.triage import (
    ASK_LONGER_THAN_THRESHOLD,
    YES_NO_WITH_BUTTONS,
    TurnState,
    ambiguous_situation,
    question_for,
    read_turn,
    turn_state,
)

TODAY = date(2031, 12, 1)  # Monday
CALENDAR = calendar_from_data({
    "periods": [
        # noord and midden back on 27 October (5.0 weeks), zuid on 3 November (4.0 weeks)
        {"name": "herfstvakantie", "verified": True,
         "noord": ["2031-10-18", "2031-10-26"], "midden": ["2031-10-18", "2031-10-26"], "zuid": ["2031-10-25", "2031-11-02"]},
        {"name": "zomervakantie", "verified": True,
         "noord": ["2031-07-05", "2031-08-17"], "midden": ["2031-07-05", "2031-08-17"], "zuid": ["2031-07-05", "2031-08-17"]},
    ],
})
HOME_VO = TriageAnswers(situation="child_at_home", school_type="vo")


def play(slots: Dict[str, Any], text: str, intent: Optional[str], requested: Optional[str]):
    """One turn, reading the form's state from `slots` as the action does; returns the turn and
    the slots after it."""
    turn = read_turn(
        text, intent, requested, answers_from_slots(slots), TODAY,
        turn_state(slots.get("unread_answers"), slots.get("weeks_range")), CALENDAR, 4.0,
    )
    return turn, {**slots, **turn.answers, **turn.extras}


def test_the_issue_conversation_ends_without_a_loop() -> None:
    """"sinds de herfstvakantie" is read; "nee, ze krijgt helemaal geen les meer" answers the
    education question; unreadable answers get a hint, then buttons, then count as unknown."""
    slots: Dict[str, Any] = {}
    first = "Hoi, mijn dochter van 14 zit al sinds de zomervakantie thuis, school zegt dat ze haar niet kunnen helpen"
    turn, slots = play(slots, first, "child_at_home", None)
    assert slots["situation"] == "child_at_home" and slots["weeks_at_home"] == 15.0
    assert slots["at_home_now"] is True
    slots["school_type"] = "vo"
    assert next_question(answers_from_slots(slots)) == "prospect_of_return"
    turn, slots = play(slots, "nee, ze krijgt helemaal geen les meer", "deny", "prospect_of_return")
    assert turn.answers == {"prospect_of_return": False, "receives_education": False}
    assert next_question(answers_from_slots(slots)) == "alternative_school_found"
    turn, slots = play(slots, "tja", "inform", "alternative_school_found")
    assert turn.reply == "utter_hint_yes_no" and slots["unread_answers"] == 1
    assert question_for("alternative_school_found", turn_state(1, None)) == "utter_ask_alternative_school_found"
    turn, slots = play(slots, "ze wil gewoon naar school", "inform", "alternative_school_found")
    assert turn.reply is None and slots["unread_answers"] == 2
    assert question_for("alternative_school_found", turn_state(2, None)) == YES_NO_WITH_BUTTONS
    turn, slots = play(slots, "pff", "inform", "alternative_school_found")
    assert slots["unknown_answers"] == ["alternative_school_found"] and slots["unread_answers"] == 0
    advice = decide(answers_from_slots(slots))
    assert advice is not None and advice.outcome.value == "call_advieslijn"
    assert advice.about == "alternative_school_found"


@pytest.mark.parametrize("text", ["weet ik niet", "Geen idee", "misschien", "Weet ik niet"])
@pytest.mark.parametrize("requested", ["school_type", "weeks_at_home", "prospect_of_return", "contacted_board"])
def test_dont_know_is_understood_at_every_question(text: str, requested: str) -> None:
    known = TriageAnswers(situation="child_at_home", school_type="vo" if requested != "school_type" else None)
    turn = read_turn(text, "deny", requested, known, TODAY, TurnState(), CALENDAR, 4.0)
    assert turn.answers == {requested: None}
    assert turn.extras == {"unknown_answers": [requested]}
    assert turn.reply is None


def test_a_straddling_holiday_estimate_asks_if_it_is_longer_than_four_weeks() -> None:
    turn = read_turn("sinds de herfstvakantie", "inform", "weeks_at_home", HOME_VO, TODAY, TurnState(), CALENDAR, 4.0)
    assert turn.answers == {"weeks_at_home": None}
    assert turn.extras["weeks_range"] == [4.0, 5.0]
    assert turn.reply is None and "unread_answers" not in turn.extras
    state = turn_state(0, turn.extras["weeks_range"])
    assert question_for("weeks_at_home", state) == ASK_LONGER_THAN_THRESHOLD
    yes = read_turn("ja", "affirm", "weeks_at_home", HOME_VO, TODAY, state, CALENDAR, 4.0)
    assert yes.answers == {"weeks_at_home": 5.0}
    no = read_turn("nee", "deny", "weeks_at_home", HOME_VO, TODAY, state, CALENDAR, 4.0)
    assert no.answers == {"weeks_at_home": 4.0}
    assert no.extras["weeks_range"] is None


def test_an_estimate_on_one_side_of_the_line_is_taken() -> None:
    turn = read_turn("sinds de zomer", "inform", "weeks_at_home", HOME_VO, TODAY, TurnState(), CALENDAR, 4.0)
    assert turn.answers == {"weeks_at_home": 15.0}


def test_the_buttons_after_two_unreadable_weeks_are_read() -> None:
    for text, weeks in (("langer dan 4 weken", 4.5), ("korter dan 4 weken", 3.5)):
        turn = read_turn(text, "inform", "weeks_at_home", HOME_VO, TODAY, TurnState(unread=2), CALENDAR, 4.0)
        assert turn.answers == {"weeks_at_home": weeks}


def test_cues_in_the_first_message() -> None:
    turn = read_turn(
        "onze zoon zit thuis, hij moet blijven zitten en dat willen we niet", "school_conflict", None,
        TriageAnswers(), TODAY, TurnState(), CALENDAR, 4.0,
    )
    assert turn.extras["at_home_now"] is True
    assert turn.extras["exclusion"] == "repeat_or_level"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nee, ze krijgt helemaal geen les meer", False),
        ("hij krijgt nu geen onderwijs", False),
        ("thuis zonder les", False),
        ("ze krijgt wel een beetje les thuis", True),
        ("2 uur per week naar school", True),
        ("nee", None),
        ("ze zit thuis", None),
    ],
)
def test_receives_education_from_plain_phrases_only(text: str, expected: Optional[bool]) -> None:
    assert parse_receives_education(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hij zit nu thuis", True),
        ("ze zit al sinds de herfstvakantie thuis", True),
        ("hij gaat al weken niet meer naar school", True),
        ("ze is geschorst", True),
        ("ze is een thuiszitter", True),
        ("hij zit niet thuis, hij gaat naar school", False),
        ("we hebben ruzie over het opp", False),
    ],
)
def test_at_home_now(text: str, expected: bool) -> None:
    assert says_at_home_now(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we hebben een advocaat ingeschakeld", "legal_procedure"),
        ("hij heeft gewoon geen zin in school", "motivation"),
        ("ze moet blijven zitten", "repeat_or_level"),
        ("de school wil dat hij doubleert", "repeat_or_level"),
        ("ruzie over het vmbo-advies", "repeat_or_level"),
        ("de school wil hem niet meer hebben", None),
        ("we willen naar de geschillencommissie", None),
    ],
)
def test_named_exclusion(text: str, expected: Optional[str]) -> None:
    assert named_exclusion(text) == expected


def test_cluster_cues() -> None:
    assert parse_cluster_1_or_2("een cluster 2 school") is True
    assert parse_cluster_1_or_2("school voor slechthorende kinderen") is True
    assert parse_cluster_1_or_2("cluster 4") is False
    assert parse_cluster_1_or_2("speciaal onderwijs") is None


def test_ambiguous_situation_from_the_ranking() -> None:
    close = [{"name": "school_conflict", "confidence": 0.41}, {"name": "child_at_home", "confidence": 0.35},
             {"name": "greet", "confidence": 0.1}]
    clear = [{"name": "child_at_home", "confidence": 0.8}, {"name": "school_conflict", "confidence": 0.1}]
    assert ambiguous_situation(close, 0.25) is True
    assert ambiguous_situation(clear, 0.25) is False
    assert ambiguous_situation([{"name": "child_at_home", "confidence": 0.5}], 0.25) is False
    assert ambiguous_situation([], 0.25) is False
