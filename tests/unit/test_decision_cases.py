"""Unit tests for the rows the decision table got with issue 12: exclusions, "weet ik niet",
cluster 1 and 2 special schools, the at-home path for any situation, the threshold in content/."""

from __future__ import annotations

import pytest

from actions.decision import (
    EXCLUSIONS,
    SITUATIONS,
    Advice,
    Outcome,
    Reason,
    TriageAnswers,
    answers_from_slots,
    decide,
    evaluate,
    next_question,
    weeks_threshold,
)
from actions.facts import load_facts

ENGAGE = Outcome.ENGAGE_CONSULTANT
CONTACT_FIRST = Outcome.CONTACT_SWV_AND_BOARD_FIRST
CALL = Outcome.CALL_ADVIESLIJN


def test_the_threshold_is_read_from_the_content_file() -> None:
    assert weeks_threshold() == float(load_facts().get("triage.weeks_threshold")) == 4.0


def test_a_different_threshold_moves_the_line() -> None:
    answers = TriageAnswers(situation="child_at_home", school_type="po", weeks_at_home=5.0)
    _, at_four = evaluate(answers, threshold=4.0)
    _, at_six = evaluate(answers, threshold=6.0)
    assert at_four == "prospect_of_return"
    assert isinstance(at_six, Advice) and at_six.reason is Reason.HOME_FOUR_WEEKS_OR_LESS


@pytest.mark.parametrize("exclusion", EXCLUSIONS)
@pytest.mark.parametrize("situation", SITUATIONS)
def test_a_named_exclusion_ends_the_triage_before_any_question(exclusion: str, situation: str) -> None:
    """feiten.md §2: a consultant does not take these cases, whatever else is true."""
    answers = TriageAnswers(situation=situation, school_type="vo", contacted_swv=True, contacted_board=True, exclusion=exclusion)
    assert decide(answers) == Advice(Outcome.NOT_FOR_CONSULTANT, Reason.EXCLUSION, about=exclusion)
    assert decide(TriageAnswers(exclusion=exclusion)) == Advice(Outcome.NOT_FOR_CONSULTANT, Reason.EXCLUSION, about=exclusion)


@pytest.mark.parametrize(
    "slot",
    ["situation", "school_type", "weeks_at_home", "prospect_of_return", "alternative_school_found", "receives_education"],
)
def test_weet_ik_niet_on_the_path_gives_call_the_advice_line_naming_the_answer(slot: str) -> None:
    known = dict(situation="child_at_home", school_type="po", weeks_at_home=10.0,
                 prospect_of_return=False, alternative_school_found=False, receives_education=False)
    known[slot] = None  # type: ignore[assignment]
    answers = TriageAnswers(**known, unknown=frozenset({slot}))  # type: ignore[arg-type]
    assert decide(answers) == Advice(CALL, Reason.UNKNOWN_ANSWER, about=slot)
    assert next_question(answers) is None


def test_weet_ik_niet_about_contacts_counts_as_no_contact_yet() -> None:
    answers = TriageAnswers(situation="opp_problem", school_type="po", contacted_board=True, unknown=frozenset({"contacted_swv"}))
    assert decide(answers) == Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("swv",))


def test_cluster_1_or_2_needs_only_the_board() -> None:
    """feiten.md §4: the SWV step does not apply to cluster 1 and 2 schools."""
    asked = TriageAnswers(situation="no_school_place", school_type="so")
    assert next_question(asked) == "cluster_1_or_2"
    cluster = TriageAnswers(situation="no_school_place", school_type="so", cluster_1_or_2=True)
    assert next_question(cluster) == "contacted_board"
    done = TriageAnswers(situation="no_school_place", school_type="so", cluster_1_or_2=True, contacted_board=True)
    assert decide(done) == Advice(ENGAGE, Reason.MBO_BOARD_CONTACTED, about="so")
    other = TriageAnswers(situation="no_school_place", school_type="so", cluster_1_or_2=False)
    assert next_question(other) == "contacted_swv"
    unknown = TriageAnswers(situation="no_school_place", school_type="so", unknown=frozenset({"cluster_1_or_2"}))
    assert next_question(unknown) == "contacted_swv"


@pytest.mark.parametrize("situation", ["no_school_place", "opp_problem", "school_conflict"])
def test_at_home_now_checks_the_at_home_path_before_swv_and_board(situation: str) -> None:
    """Issue 12 part 7: whatever the situation, a child at home now without education for weeks
    needs no SWV step."""
    answers = TriageAnswers(situation=situation, school_type="vo", at_home_now=True)
    assert next_question(answers) == "weeks_at_home"
    home_long = TriageAnswers(
        situation=situation, school_type="vo", at_home_now=True, weeks_at_home=8.0,
        prospect_of_return=False, alternative_school_found=False, receives_education=False,
    )
    assert decide(home_long) == Advice(ENGAGE, Reason.HOME_WITHOUT_EDUCATION)


def test_the_new_slots_are_read_from_slot_values_and_checked() -> None:
    answers = answers_from_slots({
        "exclusion": "repeat_or_level", "unknown_answers": ["weeks_at_home"], "at_home_now": True, "cluster_1_or_2": "ja",
    })
    assert answers.exclusion == "repeat_or_level"
    assert answers.unknown == frozenset({"weeks_at_home"})
    assert answers.at_home_now is True
    assert answers.cluster_1_or_2 is None  # not a bool
    assert answers_from_slots({"exclusion": "anything", "unknown_answers": "x"}).exclusion is None
    assert answers_from_slots({"unknown_answers": "x"}).unknown == frozenset()
