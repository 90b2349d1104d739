"""The decision table: can the parent call in an onderwijsconsulent now?

Pure functions over the triage answers. Sources: the advice line's page
(`bron-onderwijsconsulenten.txt`, "Inzet" and "Voorwaarden") and `feiten.md` §2-4. The
threshold (4 weeks) is read from content/advieslijn.yml (`triage.weeks_threshold`).

0. The parent's words name an exclusion (a legal procedure, a child who stays home for lack of
   motivation, a dispute about repeating a year or the level; feiten.md §2) → not_for_consultant.
1. Higher education (`ho`) → not_for_consultant.
2. Child at home (the situation, or the parent's words say the child is at home now):
   - 4 weeks or less → contact_swv_and_board_first (a consultant comes into view after 4 weeks);
   - more than 4 weeks with a prospect of return or another school found → call_advieslijn;
   - more than 4 weeks, no prospect, no other school and no education at all → engage_consultant
     (contact with SWV and board is not required then);
   - otherwise row 4 decides.
3. No school place, OPP problem, other conflict: row 4 decides.
4. Contact with the board, and with the SWV unless the school is MBO (no SWV) or a cluster 1 or 2
   special school (feiten.md §4) → engage_consultant; otherwise contact_swv_and_board_first,
   naming what is missing.

"Weet ik niet" (`unknown`): an unknown contact counts as not made yet, an unknown cluster as
"not cluster 1 or 2" (the SWV step stays); any other unknown answer the table needs gives
call_advieslijn, naming that answer.

`evaluate` walks the table and stops at the first answer it still needs, so the form asks only
what the decision needs, in the order of the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, FrozenSet, List, Mapping, Optional, Tuple, Union

from actions.facts import load_facts
from actions.intents import SITUATIONS

SCHOOL_TYPES = ("po", "vo", "so", "mbo", "ho")
BOOLEAN_SLOTS = (
    "receives_education",
    "prospect_of_return",
    "alternative_school_found",
    "contacted_swv",
    "contacted_board",
    "cluster_1_or_2",
    "at_home_now",
)
MAX_WEEKS = 520.0
EXCLUSIONS = ("legal_procedure", "motivation", "repeat_or_level")


def weeks_threshold() -> float:
    """Weeks at home after which a consultant can be called in (content/advieslijn.yml)."""
    return float(load_facts().get("triage.weeks_threshold"))


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
    EXCLUSION = "exclusion"
    UNKNOWN_ANSWER = "unknown_answer"


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
    cluster_1_or_2: Optional[bool] = None
    at_home_now: Optional[bool] = None
    exclusion: Optional[str] = None
    # Questions the parent answered with "weet ik niet" (slot names).
    unknown: FrozenSet[str] = frozenset()


@dataclass(frozen=True)
class Advice:
    """The outcome, the reason for it, which contacts are still missing ("swv", "board"), and
    the exclusion or the unknown answer it rests on."""

    outcome: Outcome
    reason: Reason
    missing_contacts: Tuple[str, ...] = ()
    about: Optional[str] = None


def answers_from_slots(slots: Mapping[str, Any]) -> TriageAnswers:
    """Build answers from slot values, dropping any value that is not a valid answer.

    Slot values can come from anywhere (an old tracker, a typed message, a bug), so every value
    the table relies on is checked here again.
    """
    situation = slots.get("situation")
    school_type = slots.get("school_type")
    exclusion = slots.get("exclusion")
    unknown = slots.get("unknown_answers")
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
        exclusion=exclusion if exclusion in EXCLUSIONS else None,
        unknown=frozenset(str(name) for name in unknown) if isinstance(unknown, list) else frozenset(),
        **booleans,
    )


def evaluate(answers: TriageAnswers, threshold: Optional[float] = None) -> Tuple[List[str], Union[Advice, str]]:
    """Walk the table.

    Returns:
        The slots the walk looked at, in order, and either the `Advice` or the name of the first
        slot whose answer is still needed.
    """
    limit = weeks_threshold() if threshold is None else threshold
    consulted: List[str] = []

    def need(slot: str) -> bool:
        consulted.append(slot)
        return getattr(answers, slot) is None and slot not in answers.unknown

    def unknown(slot: str) -> Advice:
        return Advice(Outcome.CALL_ADVIESLIJN, Reason.UNKNOWN_ANSWER, about=slot)

    if answers.exclusion:
        return consulted, Advice(Outcome.NOT_FOR_CONSULTANT, Reason.EXCLUSION, about=answers.exclusion)
    for slot in ("situation", "school_type"):
        if need(slot):
            return consulted, slot
        if getattr(answers, slot) is None:
            return consulted, unknown(slot)
    if answers.school_type == "ho":
        return consulted, Advice(Outcome.NOT_FOR_CONSULTANT, Reason.HIGHER_EDUCATION)

    if answers.situation == "child_at_home" or answers.at_home_now:
        if need("weeks_at_home"):
            return consulted, "weeks_at_home"
        if answers.weeks_at_home is None:
            return consulted, unknown("weeks_at_home")
        if answers.weeks_at_home <= limit:
            return consulted, Advice(
                Outcome.CONTACT_SWV_AND_BOARD_FIRST,
                Reason.HOME_FOUR_WEEKS_OR_LESS,
                _required_contacts(answers),
            )
        for slot, reason in (
            ("prospect_of_return", Reason.PROSPECT_OF_RETURN),
            ("alternative_school_found", Reason.ALTERNATIVE_SCHOOL),
        ):
            if need(slot):
                return consulted, slot
            value = getattr(answers, slot)
            if value is None:
                return consulted, unknown(slot)
            if value:
                return consulted, Advice(Outcome.CALL_ADVIESLIJN, reason)
        if need("receives_education"):
            return consulted, "receives_education"
        if answers.receives_education is None:
            return consulted, unknown("receives_education")
        if not answers.receives_education:
            return consulted, Advice(Outcome.ENGAGE_CONSULTANT, Reason.HOME_WITHOUT_EDUCATION)

    return _precondition(answers, consulted, need)


def _required_contacts(answers: TriageAnswers) -> Tuple[str, ...]:
    """MBO has no samenwerkingsverband, and cluster 1 and 2 schools need no SWV step: only the
    board is required there."""
    if answers.school_type == "mbo" or (answers.school_type == "so" and answers.cluster_1_or_2):
        return ("board",)
    return ("swv", "board")


def _precondition(
    answers: TriageAnswers, consulted: List[str], need: Any
) -> Tuple[List[str], Union[Advice, str]]:
    """Row 4: contact with the SWV (not for MBO or cluster 1 and 2) and with the board."""
    if answers.school_type == "so" and need("cluster_1_or_2"):
        return consulted, "cluster_1_or_2"
    required = _required_contacts(answers)
    if "swv" in required and need("contacted_swv"):
        return consulted, "contacted_swv"
    if need("contacted_board"):
        return consulted, "contacted_board"
    done = {"swv": answers.contacted_swv, "board": answers.contacted_board}
    missing = tuple(contact for contact in required if not done[contact])
    if missing:
        return consulted, Advice(Outcome.CONTACT_SWV_AND_BOARD_FIRST, Reason.CONTACTS_MISSING, missing)
    if required == ("board",):
        return consulted, Advice(Outcome.ENGAGE_CONSULTANT, Reason.MBO_BOARD_CONTACTED, about=answers.school_type)
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
