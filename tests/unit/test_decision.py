"""Unit tests for actions/decision.py: the decision table, row by row.

Sources for the rows: bron-onderwijsconsulenten.txt ("Inzet", "Voorwaarden") and feiten.md §2-4.
"""

from __future__ import annotations

import itertools
from typing import Any, Dict

import pytest

from actions.decision import (
    BOOLEAN_SLOTS,
    SCHOOL_TYPES,
    SITUATIONS,
    Advice,
    Outcome,
    Reason,
    TriageAnswers,
    answers_from_slots,
    decide,
    evaluate,
    next_question,
    slots_on_path,
)
from tests.rasa_domain import domain_dict


ENGAGE = Outcome.ENGAGE_CONSULTANT
CONTACT_FIRST = Outcome.CONTACT_SWV_AND_BOARD_FIRST
NOT_FOR = Outcome.NOT_FOR_CONSULTANT
CALL = Outcome.CALL_ADVIESLIJN

# Schools with a samenwerkingsverband; mbo has none and ho is not for a consultant at all.
SWV_SCHOOLS = ("po", "vo", "so")
NON_HOME_SITUATIONS = ("no_school_place", "opp_problem", "school_conflict")
# The order in which the table asks a parent, written out on purpose (not imported from
# actions.triage_actions.FORM_SLOTS): the slot names are issue 3's contract (cluster_1_or_2 came with
# issue 12), and the order is behaviour, the walk of decision.evaluate(), which keeps it in its
# branches and not in a list. The tests below hold that walk and domain/triage.yml's required_slots
# to it; a change here is a change in what parents are asked first, made together with the table.
FULL_ASK_ORDER = [
    "situation",
    "school_type",
    "weeks_at_home",
    "prospect_of_return",
    "alternative_school_found",
    "receives_education",
    "cluster_1_or_2",
    "contacted_swv",
    "contacted_board",
]
# On a basisschool the cluster question (special schools only) is not asked.
PO_ASK_ORDER = [slot for slot in FULL_ASK_ORDER if slot != "cluster_1_or_2"]


def home(**kwargs: Any) -> TriageAnswers:
    """A child at home on a basisschool, longer than 4 weeks, unless overridden."""
    values: Dict[str, Any] = {"situation": "child_at_home", "school_type": "po", "weeks_at_home": 6.0}
    values.update(kwargs)
    return TriageAnswers(**values)


def home_with_education(**kwargs: Any) -> TriageAnswers:
    """At home > 4 weeks, no prospect, no other school, but some education: row 4 decides."""
    values: Dict[str, Any] = {
        "prospect_of_return": False,
        "alternative_school_found": False,
        "receives_education": True,
    }
    values.update(kwargs)
    return home(**values)


# --- Contract strings ---------------------------------------------------------------------------


def test_outcome_values_are_the_slot_contract() -> None:
    assert {o.value for o in Outcome} == {
        "engage_consultant",
        "contact_swv_and_board_first",
        "not_for_consultant",
        "call_advieslijn",
    }


def test_outcome_values_match_the_advice_outcome_slot_in_the_domain() -> None:
    domain = domain_dict()
    assert set(domain["slots"]["advice_outcome"]["values"]) == {o.value for o in Outcome}
    assert set(domain["slots"]["situation"]["values"]) == set(SITUATIONS)
    assert set(domain["slots"]["school_type"]["values"]) == set(SCHOOL_TYPES)


def test_form_required_slots_follow_the_asking_order_of_the_table() -> None:
    domain = domain_dict()
    assert domain["forms"]["triage_form"]["required_slots"] == FULL_ASK_ORDER


# --- Row 1: higher education --------------------------------------------------------------------


@pytest.mark.parametrize("situation", SITUATIONS)
def test_higher_education_is_not_for_a_consultant_in_every_situation(situation: str) -> None:
    answers = TriageAnswers(situation=situation, school_type="ho")
    assert decide(answers) == Advice(NOT_FOR, Reason.HIGHER_EDUCATION)
    # Nothing else is asked: not the weeks, not the contacts.
    assert slots_on_path(answers) == ["situation", "school_type"]
    assert next_question(answers) is None


@pytest.mark.parametrize("situation", SITUATIONS)
def test_higher_education_wins_even_when_all_other_answers_point_elsewhere(situation: str) -> None:
    answers = TriageAnswers(
        situation=situation,
        school_type="ho",
        weeks_at_home=20.0,
        receives_education=False,
        prospect_of_return=False,
        alternative_school_found=False,
        contacted_swv=True,
        contacted_board=True,
    )
    assert decide(answers) == Advice(NOT_FOR, Reason.HIGHER_EDUCATION)


# --- Row 2: child at home -----------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [0.0, 3.0, 3.9, 4.0])
@pytest.mark.parametrize(
    ("school", "missing"), [("po", ("swv", "board")), ("vo", ("swv", "board")), ("so", ("swv", "board")), ("mbo", ("board",))]
)
def test_home_four_weeks_or_less_contacts_first(weeks: float, school: str, missing: tuple) -> None:
    answers = home(school_type=school, weeks_at_home=weeks)
    assert decide(answers) == Advice(CONTACT_FIRST, Reason.HOME_FOUR_WEEKS_OR_LESS, missing)
    # Prospect, school and contacts are not asked: the short stay decides.
    assert slots_on_path(answers) == ["situation", "school_type", "weeks_at_home"]


def test_exactly_four_weeks_is_not_more_than_four_weeks() -> None:
    at_four = decide(home(weeks_at_home=4.0, prospect_of_return=False, alternative_school_found=False, receives_education=False))
    just_over = decide(home(weeks_at_home=4.1, prospect_of_return=False, alternative_school_found=False, receives_education=False))
    assert at_four is not None and at_four.reason is Reason.HOME_FOUR_WEEKS_OR_LESS
    assert just_over == Advice(ENGAGE, Reason.HOME_WITHOUT_EDUCATION)


def test_just_over_four_weeks_asks_for_the_prospect() -> None:
    assert next_question(home(weeks_at_home=4.1)) == "prospect_of_return"


@pytest.mark.parametrize("school", ("po", "vo", "so", "mbo"))
def test_home_with_prospect_of_return_calls_the_advieslijn(school: str) -> None:
    answers = home(school_type=school, weeks_at_home=4.1, prospect_of_return=True)
    assert decide(answers) == Advice(CALL, Reason.PROSPECT_OF_RETURN)
    assert "alternative_school_found" not in slots_on_path(answers)


def test_home_with_an_alternative_school_calls_the_advieslijn() -> None:
    answers = home(weeks_at_home=10.0, prospect_of_return=False, alternative_school_found=True)
    assert decide(answers) == Advice(CALL, Reason.ALTERNATIVE_SCHOOL)
    assert "receives_education" not in slots_on_path(answers)
    assert "contacted_swv" not in slots_on_path(answers)


@pytest.mark.parametrize("school", ("po", "vo", "so", "mbo"))
def test_home_without_education_engages_without_asking_contacts(school: str) -> None:
    answers = home(
        school_type=school,
        weeks_at_home=8.0,
        prospect_of_return=False,
        alternative_school_found=False,
        receives_education=False,
    )
    assert decide(answers) == Advice(ENGAGE, Reason.HOME_WITHOUT_EDUCATION)
    assert next_question(answers) is None
    path = slots_on_path(answers)
    assert "contacted_swv" not in path and "contacted_board" not in path
    assert path == FULL_ASK_ORDER[:6]


def test_home_without_education_engages_even_when_no_contacts_were_made() -> None:
    answers = home(
        prospect_of_return=False,
        alternative_school_found=False,
        receives_education=False,
        contacted_swv=False,
        contacted_board=False,
    )
    assert decide(answers) == Advice(ENGAGE, Reason.HOME_WITHOUT_EDUCATION)


@pytest.mark.parametrize(
    ("swv", "board", "expected"),
    [
        (True, True, Advice(ENGAGE, Reason.CONTACTS_MADE)),
        (True, False, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("board",))),
        (False, True, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("swv",))),
        (False, False, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("swv", "board"))),
    ],
)
def test_home_with_education_falls_through_to_the_precondition(swv: bool, board: bool, expected: Advice) -> None:
    answers = home_with_education(contacted_swv=swv, contacted_board=board)
    assert decide(answers) == expected
    assert slots_on_path(answers) == PO_ASK_ORDER


def test_home_with_education_asks_the_swv_then_the_board() -> None:
    assert next_question(home_with_education()) == "contacted_swv"
    assert next_question(home_with_education(contacted_swv=False)) == "contacted_board"


@pytest.mark.parametrize(
    ("board", "expected"),
    [
        (True, Advice(ENGAGE, Reason.MBO_BOARD_CONTACTED, about="mbo")),
        (False, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("board",))),
    ],
)
def test_home_with_education_on_mbo_needs_only_the_board(board: bool, expected: Advice) -> None:
    answers = home_with_education(school_type="mbo", contacted_board=board)
    assert decide(answers) == expected
    assert "contacted_swv" not in slots_on_path(answers)


# --- Rows 3 and 4: no school place, OPP problem, other conflict ---------------------------------


@pytest.mark.parametrize("situation", NON_HOME_SITUATIONS)
@pytest.mark.parametrize("school", SWV_SCHOOLS)
@pytest.mark.parametrize(
    ("swv", "board", "expected"),
    [
        (True, True, Advice(ENGAGE, Reason.CONTACTS_MADE)),
        (True, False, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("board",))),
        (False, True, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("swv",))),
        (False, False, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("swv", "board"))),
    ],
)
def test_precondition_for_other_situations(situation: str, school: str, swv: bool, board: bool, expected: Advice) -> None:
    cluster = False if school == "so" else None
    answers = TriageAnswers(situation=situation, school_type=school, contacted_swv=swv, contacted_board=board, cluster_1_or_2=cluster)
    assert decide(answers) == expected
    # Only the situation, the school (with its cluster for special schools) and the two contacts
    # are asked: no weeks, no prospect.
    asked_cluster = ["cluster_1_or_2"] if school == "so" else []
    assert slots_on_path(answers) == ["situation", "school_type", *asked_cluster, "contacted_swv", "contacted_board"]


@pytest.mark.parametrize("situation", NON_HOME_SITUATIONS)
def test_other_situations_ignore_weeks_and_prospects(situation: str) -> None:
    """Answers about staying at home do not change the advice for another situation."""
    answers = TriageAnswers(
        situation=situation,
        school_type="vo",
        weeks_at_home=30.0,
        receives_education=False,
        prospect_of_return=False,
        alternative_school_found=False,
        contacted_swv=False,
        contacted_board=True,
    )
    assert decide(answers) == Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("swv",))


@pytest.mark.parametrize("situation", NON_HOME_SITUATIONS)
@pytest.mark.parametrize(
    ("board", "expected"),
    [
        (True, Advice(ENGAGE, Reason.MBO_BOARD_CONTACTED, about="mbo")),
        (False, Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("board",))),
    ],
)
def test_mbo_needs_only_the_board(situation: str, board: bool, expected: Advice) -> None:
    answers = TriageAnswers(situation=situation, school_type="mbo", contacted_board=board)
    assert decide(answers) == expected
    assert slots_on_path(answers) == ["situation", "school_type", "contacted_board"]


@pytest.mark.parametrize("swv", [True, False])
def test_mbo_ignores_an_swv_answer(swv: bool) -> None:
    """MBO has no samenwerkingsverband: an SWV answer never blocks or enables the advice."""
    engaged = TriageAnswers(situation="opp_problem", school_type="mbo", contacted_swv=swv, contacted_board=True)
    blocked = TriageAnswers(situation="opp_problem", school_type="mbo", contacted_swv=swv, contacted_board=False)
    assert decide(engaged) == Advice(ENGAGE, Reason.MBO_BOARD_CONTACTED, about="mbo")
    assert decide(blocked) == Advice(CONTACT_FIRST, Reason.CONTACTS_MISSING, ("board",))


def test_mbo_asks_the_board_right_after_the_school_type() -> None:
    assert next_question(TriageAnswers(situation="no_school_place", school_type="mbo")) == "contacted_board"


# --- next_question: order and only what is needed -----------------------------------------------


def test_next_question_walks_the_home_path_in_table_order() -> None:
    filled: Dict[str, Any] = {}
    asked = []
    answers_in_order = [
        ("situation", "child_at_home"),
        ("school_type", "vo"),
        ("weeks_at_home", 12.0),
        ("prospect_of_return", False),
        ("alternative_school_found", False),
        ("receives_education", True),
        ("contacted_swv", True),
        ("contacted_board", True),
    ]
    for slot, value in answers_in_order:
        question = next_question(TriageAnswers(**filled))
        asked.append(question)
        filled[slot] = value
    assert asked == PO_ASK_ORDER
    assert next_question(TriageAnswers(**filled)) is None
    assert decide(TriageAnswers(**filled)) == Advice(ENGAGE, Reason.CONTACTS_MADE)


@pytest.mark.parametrize("situation", NON_HOME_SITUATIONS)
def test_next_question_for_other_situations_skips_the_home_questions(situation: str) -> None:
    filled: Dict[str, Any] = {}
    asked = []
    for slot, value in [
        ("situation", situation),
        ("school_type", "po"),
        ("contacted_swv", True),
        ("contacted_board", False),
    ]:
        asked.append(next_question(TriageAnswers(**filled)))
        filled[slot] = value
    assert asked == ["situation", "school_type", "contacted_swv", "contacted_board"]
    assert next_question(TriageAnswers(**filled)) is None


def test_situation_is_asked_first_even_when_later_answers_are_known() -> None:
    answers = TriageAnswers(school_type="po", weeks_at_home=10.0, contacted_swv=True, contacted_board=True)
    assert next_question(answers) == "situation"
    assert decide(answers) is None
    assert slots_on_path(answers) == ["situation"]


def test_school_type_is_asked_before_the_weeks() -> None:
    answers = TriageAnswers(situation="child_at_home", weeks_at_home=10.0)
    assert next_question(answers) == "school_type"


def test_evaluate_returns_the_consulted_slots_and_the_pending_slot() -> None:
    consulted, result = evaluate(TriageAnswers(situation="child_at_home", school_type="po"))
    assert consulted == ["situation", "school_type", "weeks_at_home"]
    assert result == "weeks_at_home"


_WEEK_VALUES = (None, 0.0, 4.0, 4.1, 26.0)
_BOOL_VALUES = (None, True, False)


ANSWERED_BOOLEANS = [slot for slot in BOOLEAN_SLOTS if slot not in ("cluster_1_or_2", "at_home_now")]


def _all_answers():
    """Every combination; the cluster varies only for special schools, "at home now" only for the
    other situations (elsewhere they change nothing), to keep the walk to seconds."""
    for situation, school, weeks in itertools.product((None,) + SITUATIONS, (None,) + SCHOOL_TYPES, _WEEK_VALUES):
        clusters = _BOOL_VALUES if school == "so" else (None,)
        at_home = (None, True) if situation in NON_HOME_SITUATIONS else (None,)
        for bools, cluster, home_now in itertools.product(
            itertools.product(_BOOL_VALUES, repeat=len(ANSWERED_BOOLEANS)), clusters, at_home
        ):
            yield TriageAnswers(
                situation=situation,
                school_type=school,
                weeks_at_home=weeks,
                cluster_1_or_2=cluster,
                at_home_now=home_now,
                **dict(zip(ANSWERED_BOOLEANS, bools)),
            )


def test_table_properties_over_all_answer_combinations() -> None:
    """Over every combination of answers, the walk is consistent and asks only unknown slots."""
    count = 0
    for answers in _all_answers():
        count += 1
        advice, question, path = decide(answers), next_question(answers), slots_on_path(answers)
        # Exactly one of: an advice, or a question.
        assert (advice is None) != (question is None), answers
        # The path is in asking order, without repeats.
        assert path == [slot for slot in FULL_ASK_ORDER if slot in path], answers
        if question is not None:
            # Asks an unknown slot, and it is the last one the walk looked at.
            assert getattr(answers, question) is None, answers
            assert path[-1] == question, answers
            # Every slot before it on the path is already known.
            assert all(getattr(answers, slot) is not None for slot in path[:-1]), answers
        else:
            assert all(getattr(answers, slot) is not None for slot in path), answers
            assert advice is not None
            if advice.outcome is not CONTACT_FIRST:
                assert advice.missing_contacts == (), answers
            else:
                assert advice.missing_contacts, answers
        if answers.school_type == "mbo" or (answers.school_type == "so" and answers.cluster_1_or_2):
            assert "contacted_swv" not in path, answers
        if answers.school_type != "so":
            assert "cluster_1_or_2" not in path, answers
        if answers.situation in NON_HOME_SITUATIONS and not answers.at_home_now:
            assert not {"weeks_at_home", "prospect_of_return", "alternative_school_found", "receives_education"} & set(path)
    assert count > 10000


# --- answers_from_slots -------------------------------------------------------------------------


def test_answers_from_slots_keeps_valid_values() -> None:
    slots = {
        "situation": "child_at_home",
        "school_type": "so",
        "weeks_at_home": 7,
        "receives_education": False,
        "prospect_of_return": True,
        "alternative_school_found": False,
        "contacted_swv": True,
        "contacted_board": False,
        "requested_slot": "contacted_board",
        "advice_outcome": "engage_consultant",
    }
    answers = answers_from_slots(slots)
    assert answers == TriageAnswers(
        situation="child_at_home",
        school_type="so",
        weeks_at_home=7.0,
        receives_education=False,
        prospect_of_return=True,
        alternative_school_found=False,
        contacted_swv=True,
        contacted_board=False,
    )
    assert isinstance(answers.weeks_at_home, float)


@pytest.mark.parametrize("weeks", [0, 0.0, 4, 4.5, 520, 520.0])
def test_answers_from_slots_accepts_weeks_in_range(weeks: float) -> None:
    assert answers_from_slots({"weeks_at_home": weeks}).weeks_at_home == float(weeks)


@pytest.mark.parametrize("weeks", [True, False, -1, -0.1, 520.1, 1000, "10", "6 weken", None, [6], float("nan")])
def test_answers_from_slots_drops_invalid_weeks(weeks: Any) -> None:
    assert answers_from_slots({"weeks_at_home": weeks}).weeks_at_home is None


@pytest.mark.parametrize("school", ["basisschool", "PO", "hbo", "", None, 1, "wo"])
def test_answers_from_slots_drops_unknown_school_types(school: Any) -> None:
    assert answers_from_slots({"school_type": school}).school_type is None


@pytest.mark.parametrize("situation", ["thuiszitter", "CHILD_AT_HOME", "affirm", "", None, 3])
def test_answers_from_slots_drops_unknown_situations(situation: Any) -> None:
    assert answers_from_slots({"situation": situation}).situation is None


@pytest.mark.parametrize("slot", BOOLEAN_SLOTS)
@pytest.mark.parametrize("value", ["true", "false", "ja", "nee", 1, 0, 1.0, "", [True]])
def test_answers_from_slots_drops_non_bool_booleans(slot: str, value: Any) -> None:
    assert getattr(answers_from_slots({slot: value}), slot) is None


@pytest.mark.parametrize("slot", BOOLEAN_SLOTS)
@pytest.mark.parametrize("value", [True, False])
def test_answers_from_slots_keeps_real_booleans(slot: str, value: bool) -> None:
    assert getattr(answers_from_slots({slot: value}), slot) is value


def test_invalid_slot_values_lead_back_to_a_question_not_an_advice() -> None:
    """A string "true" must never count as contact made (it would wrongly engage a consultant)."""
    slots = {
        "situation": "opp_problem",
        "school_type": "po",
        "contacted_swv": "true",
        "contacted_board": True,
    }
    answers = answers_from_slots(slots)
    assert decide(answers) is None
    assert next_question(answers) == "contacted_swv"


def test_answers_from_an_empty_tracker_ask_the_situation() -> None:
    answers = answers_from_slots({})
    assert answers == TriageAnswers()
    assert next_question(answers) == "situation"
