"""Reading the triage answers out of a parent's message (pure; no Rasa objects).

The form asks one question at a time, but parents often say more than was asked ("hij zit al zes
weken thuis, op de basisschool"). `extract_answers` fills every slot the message answers plainly,
and the yes/no slot only when that was the question. `read_turn` adds what the form does with
it: a message meant for a rule (a question, stop, a crisis) gives the form nothing; "weet ik niet"
marks the question as unknown; an answer that cannot be read gets a hint the first time, the
question with buttons the second time, and counts as "weet ik niet" the third time: no loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Tuple

from actions.answer_cues import (
    named_exclusion,
    parse_cluster_1_or_2,
    parse_receives_education,
    read_weeks,
    says_at_home_now,
)
from actions.decision import BOOLEAN_SLOTS, TriageAnswers
from actions.intents import LEAVING_INTENTS, SITUATIONS, TRIAGE_DIGRESSIONS
from actions.parsing import is_unknown_answer, parse_school_type, parse_yes_no
from actions.school_calendar import SchoolCalendar, WeeksRange

TIME_WORDS = re.compile(r"(we+k|wk|maand|dag|jaar|sinds|vanaf|half|vakantie|schooljaar|zomer|herfst|kerst)", re.IGNORECASE)
# Unreadable answers to one question before the question comes with buttons, and before it counts
# as "weet ik niet".
ATTEMPTS_BEFORE_BUTTONS = 2
ATTEMPTS_BEFORE_UNKNOWN = 3

# What to say when the answer to a question could not be read (the first time).
HINTS = {
    "situation": "utter_hint_situation",
    "school_type": "utter_hint_school_type",
    "weeks_at_home": "utter_hint_weeks",
    "receives_education": "utter_hint_yes_no",
    "prospect_of_return": "utter_hint_yes_no",
    "alternative_school_found": "utter_hint_yes_no",
    "cluster_1_or_2": "utter_hint_yes_no",
    "contacted_swv": "utter_hint_yes_no",
    "contacted_board": "utter_hint_yes_no",
}
# The question again, with buttons that include "Weet ik niet" (the second time).
QUESTIONS_WITH_BUTTONS = {
    "situation": "utter_explain_situation",
    "school_type": "utter_explain_school_type",
    "weeks_at_home": "utter_explain_weeks",
}
YES_NO_WITH_BUTTONS = "utter_explain_yes_no"
ASK_LONGER_THAN_THRESHOLD = "utter_ask_weeks_longer_than_threshold"


@dataclass(frozen=True)
class TurnState:
    """What the form remembers between messages, besides the answers."""

    unread: int = 0
    pending_range: Optional[WeeksRange] = None


@dataclass
class Turn:
    """What the form takes from one message: form slot values (`answers`, with `requested: None`
    for an answer that could not be read), other slots to set (`extras`), and a response to send
    before the form asks again (`reply`)."""

    answers: Dict[str, Any] = field(default_factory=dict)
    extras: Dict[str, Any] = field(default_factory=dict)
    reply: Optional[str] = None


def read_yes_no(text: str, intent: Optional[str], slot: str) -> Optional[bool]:
    """A yes/no answer from the text, then from the intent; None for "weet ik niet"."""
    answer = parse_yes_no(text)
    if answer is None and is_unknown_answer(text):
        return None  # checked before the intent: the classifier may well call it a `deny`
    if answer is None and intent in ("affirm", "deny"):
        answer = intent == "affirm"
    return answer


def weeks_value(found: WeeksRange, threshold: float) -> Optional[float]:
    """One number for a range, or None when the range straddles the threshold (ask instead)."""
    if found.low <= threshold < found.high:
        return None
    return round((found.low + found.high) / 2, 1)


def extract_answers(
    text: str,
    intent: Optional[str],
    requested: Optional[str],
    known: TriageAnswers,
    today: date,
    calendar: Optional[SchoolCalendar] = None,
    threshold: float = 4.0,
    pending_range: Optional[WeeksRange] = None,
) -> Dict[str, Any]:
    """The slot values this message gives, for slots not known yet or the one asked for.

    A straddling estimate of weeks ("sinds de herfstvakantie" when the region matters) is returned
    as `weeks_range` instead of a value; "ja" or "nee" to the question that follows settles it.
    """
    updates: Dict[str, Any] = {}

    def may_fill(slot: str) -> bool:
        return requested == slot or getattr(known, slot) is None

    if may_fill("situation") and intent in SITUATIONS:
        updates["situation"] = intent
    school_type = parse_school_type(text)
    if school_type and may_fill("school_type"):
        updates["school_type"] = school_type
    cluster = parse_cluster_1_or_2(text)
    if cluster is not None and may_fill("cluster_1_or_2"):
        updates["cluster_1_or_2"] = cluster
    at_home = updates.get("situation", known.situation) == "child_at_home" or known.at_home_now
    if may_fill("receives_education") and at_home:
        education = parse_receives_education(text)
        if education is not None:
            updates["receives_education"] = education
    if may_fill("weeks_at_home") and (at_home or says_at_home_now(text)):
        updates.update(_weeks(text, requested, today, calendar, threshold, pending_range))
    if requested in BOOLEAN_SLOTS:
        answer = read_yes_no(text, intent, requested)
        if answer is not None:
            updates[requested] = answer
    return updates


def _weeks(
    text: str,
    requested: Optional[str],
    today: date,
    calendar: Optional[SchoolCalendar],
    threshold: float,
    pending_range: Optional[WeeksRange],
) -> Dict[str, Any]:
    asked = requested == "weeks_at_home"
    if asked and pending_range is not None:
        longer = parse_yes_no(text)
        if longer is not None:
            value = pending_range.high if longer else min(pending_range.low, threshold)
            return {"weeks_at_home": value, "weeks_range": None}
    # A bare number only counts as weeks when weeks were asked ("2" may answer anything).
    if not (asked or TIME_WORDS.search(text)):
        return {}
    found = read_weeks(text, today, calendar or SchoolCalendar(()))
    if found is None:
        return {}
    estimate = weeks_value(found, threshold)
    if estimate is None:
        return {"weeks_range": [found.low, found.high]}
    return {"weeks_at_home": estimate, **({"weeks_range": None} if pending_range else {})}


def read_turn(
    text: str,
    intent: Optional[str],
    requested: Optional[str],
    known: TriageAnswers,
    today: date,
    state: TurnState = TurnState(),
    calendar: Optional[SchoolCalendar] = None,
    threshold: float = 4.0,
) -> Turn:
    """What the form takes from this message.

    Empty when the message is for a rule instead: stop, goodbye or a crisis while a question is
    open, or a question (TRIAGE_DIGRESSIONS) that does not answer the open one; the form then
    gives way to the rule.
    """
    if requested and intent in LEAVING_INTENTS:
        return Turn()
    found = extract_answers(text, intent, requested, known, today, calendar, threshold, state.pending_range)
    turn = Turn(answers={slot: value for slot, value in found.items() if slot != "weeks_range"})
    if "weeks_range" in found:
        turn.extras["weeks_range"] = found["weeks_range"]
    if not known.at_home_now and says_at_home_now(text):
        turn.extras["at_home_now"] = True
    exclusion = named_exclusion(text)
    if exclusion and not known.exclusion:
        turn.extras["exclusion"] = exclusion
    if not requested or requested in turn.answers:
        if state.unread:
            turn.extras["unread_answers"] = 0
        return turn
    if intent in TRIAGE_DIGRESSIONS:
        return Turn()
    turn.answers[requested] = None
    if turn.extras.get("weeks_range") and requested == "weeks_at_home":
        return turn  # the form asks "Is dat langer dan 4 weken?" (question_for)
    unread = state.unread + 1
    if is_unknown_answer(text) or unread >= ATTEMPTS_BEFORE_UNKNOWN:
        turn.extras["unknown_answers"] = sorted(known.unknown | {requested})
        if state.unread:
            turn.extras["unread_answers"] = 0
        return turn
    turn.extras["unread_answers"] = unread
    if unread < ATTEMPTS_BEFORE_BUTTONS:
        turn.reply = HINTS[requested]
    return turn


def question_for(slot: str, state: TurnState) -> str:
    """The response that asks `slot`: the plain question, "Is dat langer dan 4 weken?" after an
    estimate on both sides of the line, or the question with buttons after two unreadable answers."""
    if slot == "weeks_at_home" and state.pending_range is not None:
        return ASK_LONGER_THAN_THRESHOLD
    if state.unread >= ATTEMPTS_BEFORE_BUTTONS:
        return QUESTIONS_WITH_BUTTONS.get(slot, YES_NO_WITH_BUTTONS)
    return f"utter_ask_{slot}"


def turn_state(unread: Any, pending: Any) -> TurnState:
    """The state from the slot values (ignoring values of the wrong kind)."""
    count = int(unread) if isinstance(unread, (int, float)) and not isinstance(unread, bool) else 0
    pending_range = None
    if isinstance(pending, Sequence) and len(pending) == 2 and all(isinstance(v, (int, float)) for v in pending):
        pending_range = WeeksRange(float(pending[0]), float(pending[1]))
    return TurnState(max(0, count), pending_range)


def ambiguous_situation(ranking: List[Dict[str, Any]], margin: float) -> bool:
    """True when the top two situations in the intent ranking are within `margin` of each other."""
    scores: List[Tuple[float, str]] = sorted(
        ((float(entry.get("confidence") or 0.0), str(entry.get("name"))) for entry in ranking
         if entry.get("name") in SITUATIONS),
        reverse=True,
    )
    return len(scores) >= 2 and scores[0][0] - scores[1][0] < margin
