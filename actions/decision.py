"""The decision table: can the parent call in an onderwijsconsulent now?

Pure functions over the triage answers. Sources: the advice line's page
(`bron-onderwijsconsulenten.txt`, "Inzet" and "Voorwaarden") and `feiten.md` §2-4.

1. Higher education (`ho`) → not_for_consultant.
2. Child at home:
   - 4 weeks or less → contact_swv_and_board_first (a consultant comes into view after 4 weeks);
   - more than 4 weeks with a prospect of return or another school found → call_advieslijn;
   - more than 4 weeks, no prospect, no other school and no education at all → engage_consultant
     (contact with SWV and board is not required then);
   - otherwise row 4 decides.
3. No school place, OPP problem, other conflict: row 4 decides.
4. Contact with the board, and with the SWV unless the school is MBO (which has no SWV)
   → engage_consultant; otherwise contact_swv_and_board_first, naming what is missing.

`evaluate` walks the table and stops at the first answer it still needs, so the form asks only
what the decision needs, in the order of the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, List, Mapping, Optional, Tuple, Union

from actions.intents import SITUATIONS

SCHOOL_TYPES = ("po", "vo", "so", "mbo", "ho")
BOOLEAN_SLOTS = (
    "receives_education",
    "prospect_of_return",
    "alternative_school_found",
    "contacted_swv",
    "contacted_board",
)
WEEKS_THRESHOLD = 4.0
MAX_WEEKS = 520.0


class Outcome(str, Enum):
    """The values of the `advice_outcome` slot (a contract with the acceptance tests)."""

    ENGAGE_CONSULTANT = "engage_consultant"
    CONTACT_SWV_AND_BOARD_FIRST = "contact_swv_and_board_first"
    NOT_FOR_CONSULTANT = "not_for_consultant"
    CALL_ADVIESLIJN = "call_advieslijn"


class Reason(str, Enum):
    """Why the table gave its outcome (actions/advice_actions.py picks the responses for it)."""

    HIGHER_EDUCATION = "higher_education"
    HOME_FOUR_WEEKS_OR_LESS = "home_four_weeks_or_less"
    PROSPECT_OF_RETURN = "prospect_of_return"
    ALTERNATIVE_SCHOOL = "alternative_school"
    HOME_WITHOUT_EDUCATION = "home_without_education"
    CONTACTS_MADE = "contacts_made"
    MBO_BOARD_CONTACTED = "mbo_board_contacted"
    CONTACTS_MISSING = "contacts_missing"


@dataclass(frozen=True)
class TriageAnswers:
    """What the parent told us. `None` means not known yet."""

    situation: Optional[str] = None
    school_type: Optional[str] = None
    weeks_at_home: Optional[float] = None
    receives_education: Optional[bool] = None
    prospect_of_return: Optional[bool] = None
    alternative_school_found: Optional[bool] = None
    contacted_swv: Optional[bool] = None
    contacted_board: Optional[bool] = None


@dataclass(frozen=True)
class Advice:
    """The outcome, the reason for it, and which contacts are still missing ("swv", "board")."""

    outcome: Outcome
    reason: Reason
    missing_contacts: Tuple[str, ...] = ()


def answers_from_slots(slots: Mapping[str, Any]) -> TriageAnswers:
    """Build answers from slot values, dropping any value that is not a valid answer.

    Slot values can come from anywhere (an old tracker, a typed message, a bug), so every value
    the table relies on is checked here again.
    """
    situation = slots.get("situation")
    school_type = slots.get("school_type")
    weeks = slots.get("weeks_at_home")
    valid_weeks: Optional[float] = None
    if isinstance(weeks, (int, float)) and not isinstance(weeks, bool):
        if 0 <= float(weeks) <= MAX_WEEKS:
            valid_weeks = float(weeks)
    booleans = {
        name: slots.get(name) if isinstance(slots.get(name), bool) else None
        for name in BOOLEAN_SLOTS
    }
    return TriageAnswers(
        situation=situation if situation in SITUATIONS else None,
        school_type=school_type if school_type in SCHOOL_TYPES else None,
        weeks_at_home=valid_weeks,
        **booleans,
    )


def evaluate(answers: TriageAnswers) -> Tuple[List[str], Union[Advice, str]]:
    """Walk the table.

    Returns:
        The slots the walk looked at, in order, and either the `Advice` or the name of the first
        slot whose answer is still needed.
    """
    consulted: List[str] = []

    def need(slot: str) -> bool:
        consulted.append(slot)
        return getattr(answers, slot) is None

    if need("situation"):
        return consulted, "situation"
    if need("school_type"):
        return consulted, "school_type"
    if answers.school_type == "ho":
        return consulted, Advice(Outcome.NOT_FOR_CONSULTANT, Reason.HIGHER_EDUCATION)

    if answers.situation == "child_at_home":
        if need("weeks_at_home"):
            return consulted, "weeks_at_home"
        assert answers.weeks_at_home is not None
        if answers.weeks_at_home <= WEEKS_THRESHOLD:
            return consulted, Advice(
                Outcome.CONTACT_SWV_AND_BOARD_FIRST,
                Reason.HOME_FOUR_WEEKS_OR_LESS,
                _required_contacts(answers.school_type),
            )
        if need("prospect_of_return"):
            return consulted, "prospect_of_return"
        if answers.prospect_of_return:
            return consulted, Advice(Outcome.CALL_ADVIESLIJN, Reason.PROSPECT_OF_RETURN)
        if need("alternative_school_found"):
            return consulted, "alternative_school_found"
        if answers.alternative_school_found:
            return consulted, Advice(Outcome.CALL_ADVIESLIJN, Reason.ALTERNATIVE_SCHOOL)
        if need("receives_education"):
            return consulted, "receives_education"
        if not answers.receives_education:
            return consulted, Advice(Outcome.ENGAGE_CONSULTANT, Reason.HOME_WITHOUT_EDUCATION)

    return _precondition(answers, consulted, need)


def _required_contacts(school_type: Optional[str]) -> Tuple[str, ...]:
    """MBO has no samenwerkingsverband: only the board is required there."""
    return ("board",) if school_type == "mbo" else ("swv", "board")


def _precondition(
    answers: TriageAnswers, consulted: List[str], need: Any
) -> Tuple[List[str], Union[Advice, str]]:
    """Row 4: contact with the SWV (not for MBO) and with the board."""
    required = _required_contacts(answers.school_type)
    if "swv" in required and need("contacted_swv"):
        return consulted, "contacted_swv"
    if need("contacted_board"):
        return consulted, "contacted_board"
    done = {"swv": answers.contacted_swv, "board": answers.contacted_board}
    missing = tuple(contact for contact in required if not done[contact])
    if missing:
        return consulted, Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, missing)
    if answers.school_type == "mbo":
        return consulted, Advice(Outcome.ENGAGE_CONSULTANT, Reason.MBO_BOARD_CONTACTED)
    return consulted, Advice(Outcome.ENGAGE_CONSULTANT, Reason.CONTACTS_MADE)


def decide(answers: TriageAnswers) -> Optional[Advice]:
    """The advice, or None while an answer the table needs is missing."""
    _, result = evaluate(answers)
    return result if isinstance(result, Advice) else None


def next_question(answers: TriageAnswers) -> Optional[str]:
    """The slot to ask next, or None when the table has its answer."""
    _, result = evaluate(answers)
    return result if isinstance(result, str) else None


def slots_on_path(answers: TriageAnswers) -> List[str]:
    """The slots the table looks at for these answers, in its order; the last one is the next
    question while the outcome is open (ValidateTriageForm.required_slots)."""
    consulted, _ = evaluate(answers)
    return consulted
