"""Unit tests for actions/summary.py: the summary a parent reads out or pastes in the form."""

from __future__ import annotations

import pytest

from actions.decision import SCHOOL_TYPES, SITUATIONS, Advice, Outcome, Reason, TriageAnswers, decide
from actions.summary import (
    SCHOOL_LABELS,
    SITUATION_LABELS,
    outcome_label,
    summary_lines,
    summary_text,
)

FULL_HOME = TriageAnswers(
    situation="child_at_home",
    school_type="vo",
    weeks_at_home=6.0,
    prospect_of_return=False,
    alternative_school_found=False,
    receives_education=True,
    contacted_swv=True,
    contacted_board=False,
)


def test_nothing_known_gives_an_empty_summary() -> None:
    assert summary_lines(TriageAnswers(), None) == []
    assert summary_text(TriageAnswers(), None) == ""


def test_full_home_path_lists_every_answer_in_order() -> None:
    advice = decide(FULL_HOME)
    assert advice == Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, ("board",))
    assert summary_lines(FULL_HOME, advice) == [
        "- Situatie: mijn kind zit thuis",
        "- School: voortgezet onderwijs (middelbare school)",
        "- Zit thuis: 6 weken",
        "- Uitzicht op terugkeer naar de eigen school: nee",
        "- Andere school gevonden: nee",
        "- Krijgt nu onderwijs: ja",
        "- Contact met het samenwerkingsverband (SWV): ja",
        "- Contact met het bestuur van de school: nee",
        "- Uitkomst (eerste inschatting): eerst contact opnemen met het bestuur van de school",
    ]


def test_summary_text_joins_the_lines() -> None:
    advice = decide(FULL_HOME)
    assert summary_text(FULL_HOME, advice) == "\n".join(summary_lines(FULL_HOME, advice))
    assert summary_text(FULL_HOME, advice).count("\n") == 8


def test_unanswered_questions_are_left_out() -> None:
    answers = TriageAnswers(situation="opp_problem", school_type="po", contacted_swv=False)
    text = summary_text(answers, decide(answers))
    assert "Zit thuis" not in text
    assert "Krijgt nu onderwijs" not in text
    assert "Uitzicht op terugkeer" not in text
    assert "Contact met het bestuur van de school" not in text
    assert "- Contact met het samenwerkingsverband (SWV): nee" in text


def test_unfinished_triage_says_the_advice_is_not_known_yet() -> None:
    answers = TriageAnswers(situation="school_conflict")
    assert summary_lines(answers, decide(answers)) == [
        "- Situatie: een conflict met school over de ondersteuning",
        "- Uitkomst (eerste inschatting): nog niet bekend (de vragen zijn niet afgerond)",
    ]


@pytest.mark.parametrize(
    ("weeks", "label"),
    [(6.0, "6 weken"), (1.0, "1 week"), (8.7, "ongeveer 9 weken"), (0.0, "minder dan een week")],
)
def test_weeks_are_written_in_words(weeks: float, label: str) -> None:
    answers = TriageAnswers(situation="child_at_home", weeks_at_home=weeks)
    assert f"- Zit thuis: {label}" in summary_lines(answers, None)


@pytest.mark.parametrize(
    ("advice", "label"),
    [
        (Advice(Outcome.ENGAGE_CONSULTANT, Reason.CONTACTS_MADE), "een onderwijsconsulent inschakelen"),
        (Advice(Outcome.NOT_FOR_CONSULTANT, Reason.HIGHER_EDUCATION), "niet iets voor een onderwijsconsulent"),
        (Advice(Outcome.CALL_ADVIESLIJN, Reason.PROSPECT_OF_RETURN), "bespreken met de advieslijn"),
        (
            Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, ("swv", "board")),
            "eerst contact opnemen met het samenwerkingsverband (SWV) van de school en het bestuur van de school",
        ),
        (
            Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, ("swv",)),
            "eerst contact opnemen met het samenwerkingsverband (SWV) van de school",
        ),
        (
            Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, ("board",)),
            "eerst contact opnemen met het bestuur van de school",
        ),
        (
            Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.HOME_FOUR_WEEKS_OR_LESS, ("board",)),
            "eerst contact opnemen met het bestuur van de school",
        ),
    ],
)
def test_outcome_label(advice: Advice, label: str) -> None:
    assert outcome_label(advice) == label


def test_contact_first_without_named_contacts_falls_back_to_the_school() -> None:
    advice = Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, ())
    assert outcome_label(advice) == "eerst contact opnemen met de school"


def test_every_situation_and_school_type_has_a_label() -> None:
    assert set(SITUATION_LABELS) == set(SITUATIONS)
    assert set(SCHOOL_LABELS) == set(SCHOOL_TYPES)
    for situation in SITUATIONS:
        assert f"- Situatie: {SITUATION_LABELS[situation]}" in summary_lines(TriageAnswers(situation=situation), None)
    for school in SCHOOL_TYPES:
        assert f"- School: {SCHOOL_LABELS[school]}" in summary_lines(TriageAnswers(school_type=school), None)


def test_higher_education_summary() -> None:
    answers = TriageAnswers(situation="no_school_place", school_type="ho")
    assert summary_lines(answers, decide(answers)) == [
        "- Situatie: geen (passende) school voor mijn kind",
        "- School: hbo of universiteit",
        "- Uitkomst (eerste inschatting): niet iets voor een onderwijsconsulent",
    ]


def test_the_result_is_called_uitkomst_never_advies() -> None:
    text = summary_text(FULL_HOME, decide(FULL_HOME))
    assert "Uitkomst (eerste inschatting)" in text
    assert "dvies" not in text


def test_unknown_answers_and_a_named_exclusion_are_listed() -> None:
    answers = TriageAnswers(
        situation="child_at_home", school_type="po", weeks_at_home=8.0,
        unknown=frozenset({"prospect_of_return"}), exclusion="repeat_or_level",
    )
    lines = summary_lines(answers, decide(answers))
    assert "- Uitzicht op terugkeer naar de eigen school: weet ik niet" in lines
    assert "- Genoemd: zittenblijven of het niveau" in lines
    assert lines[-1] == "- Uitkomst (eerste inschatting): niet iets voor een onderwijsconsulent"
