"""Tests for the form's loop guard and cues (actions/triage_actions.py with actions/triage.py):
a hint, then the question with buttons, then "weet ik niet"; answers to another question; the
"langer dan 4 weken?" question; an unclear first situation."""

from __future__ import annotations

from typing import Any

import pytest

from actions.triage_actions import ASK_ACTIONS, ActionStartTriage, ValidateTriageForm
from tests.actions.conftest import HOME_PO_6, OPP_PO, response_text



def text_of(name: str) -> str:
    return response_text(name)


# --- No loops: a hint, then the question with buttons, then "weet ik niet" ------------------------


def test_the_second_unreadable_answer_sends_no_hint_and_the_question_comes_with_buttons(
    form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    slots = {**OPP_PO, "requested_slot": "contacted_swv", "unread_answers": 1}
    dispatcher, events = run_action(form, make_tracker(slots=slots, text="hmm lastig", intent="inform"))
    assert dispatcher.messages == []
    assert h.slot_sets(events) == [("contacted_swv", None), ("unread_answers", 2), ("requested_slot", "contacted_swv")]
    asked, _ = run_action(ASK_ACTIONS["contacted_swv"](), make_tracker(slots={**slots, "unread_answers": 2}))
    (message,) = asked.messages
    assert message["response"] == "utter_explain_yes_no"
    assert "Weet ik niet" in [button["title"] for button in h.rendered(message)["buttons"]]


def test_the_third_unreadable_answer_counts_as_dont_know_and_the_form_ends(
    form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any
) -> None:
    slots = {**HOME_PO_6, "requested_slot": "prospect_of_return", "unread_answers": 2}
    dispatcher, events = run_action(form, make_tracker(slots=slots, text="pff", intent="inform"))
    assert dispatcher.messages == []
    assert h.slot_sets(events) == [
        ("prospect_of_return", None),
        ("unknown_answers", ["prospect_of_return"]),
        ("unread_answers", 0),
        ("requested_slot", None),
    ]


@pytest.mark.parametrize("text", ["weet ik niet", "geen idee", "misschien"])
def test_dont_know_ends_the_question_at_once(text: str, form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {**OPP_PO, "requested_slot": "contacted_swv"}
    dispatcher, events = run_action(form, make_tracker(slots=slots, text=text, intent="deny"))
    assert dispatcher.messages == []
    # An unknown contact counts as not made: the board is asked next.
    assert h.slot_sets(events) == [("contacted_swv", None), ("unknown_answers", ["contacted_swv"]), ("requested_slot", "contacted_board")]


def test_an_answer_to_another_question_is_kept(form: ValidateTriageForm, make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {"situation": "child_at_home", "school_type": "vo", "requested_slot": "weeks_at_home"}
    dispatcher, events = run_action(form, make_tracker(slots=slots, text="nee, ze krijgt helemaal geen les meer", intent="deny"))
    assert h.slot_sets(events) == [
        ("weeks_at_home", None), ("receives_education", False), ("unread_answers", 1), ("requested_slot", "weeks_at_home"),
    ]
    assert h.texts_of(dispatcher) == [text_of("utter_hint_weeks")]


def test_ask_actions_send_the_plain_question_or_the_longer_than_question(make_tracker: Any, run_action: Any, h: Any) -> None:
    plain, _ = run_action(ASK_ACTIONS["weeks_at_home"](), make_tracker(slots={}))
    assert [message["response"] for message in plain.messages] == ["utter_ask_weeks_at_home"]
    pending, _ = run_action(ASK_ACTIONS["weeks_at_home"](), make_tracker(slots={"weeks_range": [3.5, 4.5]}))
    assert h.texts_of(pending) == ["Dat hangt af van de regio. Is dat langer dan 4 weken?"]


def test_ambiguous_first_message_leaves_the_situation_open(make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(text="ze zit thuis en we hebben ruzie met school", intent="school_conflict", active_loop=None)
    tracker.latest_message["intent_ranking"] = [
        {"name": "school_conflict", "confidence": 0.45}, {"name": "child_at_home", "confidence": 0.40},
    ]
    _, events = run_action(ActionStartTriage(), tracker)
    assert ("situation", "school_conflict") not in h.slot_sets(events)
