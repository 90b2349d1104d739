"""Reading the triage answers out of a parent's message (pure; no Rasa objects).

The form asks one question at a time, but parents often say more than was asked ("hij zit al zes
weken thuis, op de basisschool"). `extract_answers` fills every slot the message answers, and the
yes/no slot only when that was the question. `read_turn` adds what the form does with it: a
message meant for a rule (a question, stop, a crisis) gives the form nothing, and an answer that
cannot be read marks the question for a hint.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, Optional

from actions.decision import BOOLEAN_SLOTS, TriageAnswers
from actions.intents import LEAVING_INTENTS, SITUATIONS, TRIAGE_DIGRESSIONS
from actions.parsing import is_unknown_answer, parse_school_type, parse_weeks, parse_yes_no

TIME_WORDS = re.compile(r"(we+k|wk|maand|dag|jaar|sinds|vanaf|half)", re.IGNORECASE)

# What to say when the answer to a question could not be read.
HINTS = {
    "situation": "utter_hint_situation",
    "school_type": "utter_hint_school_type",
    "weeks_at_home": "utter_hint_weeks",
    "receives_education": "utter_hint_yes_no",
    "prospect_of_return": "utter_hint_yes_no",
    "alternative_school_found": "utter_hint_yes_no",
    "contacted_swv": "utter_hint_yes_no",
    "contacted_board": "utter_hint_yes_no",
}
UNKNOWN_EDUCATION_HINT = "utter_hint_unknown_education"


def read_yes_no(text: str, intent: Optional[str], slot: str) -> Optional[bool]:
    """A yes/no answer from the text, then from the intent.

    "Weet ik niet" counts as "no" for the contacts and the prospects (no contact you know of, no
    school in sight); for `receives_education` it stays unknown, because a parent can check.
    """
    answer = parse_yes_no(text)
    if answer is None and is_unknown_answer(text):
        # Checked before the intent: the classifier may well call "weet ik niet" a `deny`.
        return None if slot == "receives_education" else False
    if answer is None and intent in ("affirm", "deny"):
        answer = intent == "affirm"
    return answer


def extract_answers(
    text: str,
    intent: Optional[str],
    requested: Optional[str],
    known: TriageAnswers,
    today: date,
) -> Dict[str, Any]:
    """The slot values this message gives, for slots not known yet or the one asked for."""
    updates: Dict[str, Any] = {}

    def may_fill(slot: str) -> bool:
        return requested == slot or getattr(known, slot) is None

    if may_fill("situation") and intent in SITUATIONS:
        updates["situation"] = intent
    school_type = parse_school_type(text)
    if school_type and may_fill("school_type"):
        updates["school_type"] = school_type
    situation = updates.get("situation", known.situation)
    if situation == "child_at_home" and may_fill("weeks_at_home"):
        # A bare number only counts as weeks when weeks were asked ("2" may answer anything).
        if requested == "weeks_at_home" or TIME_WORDS.search(text):
            weeks = parse_weeks(text, today)
        else:
            weeks = None
        if weeks is not None:
            updates["weeks_at_home"] = weeks
    if requested in BOOLEAN_SLOTS:
        answer = read_yes_no(text, intent, requested)
        if answer is not None:
            updates[requested] = answer
    return updates


def read_turn(
    text: str,
    intent: Optional[str],
    requested: Optional[str],
    known: TriageAnswers,
    today: date,
) -> Dict[str, Any]:
    """What the form takes from this message.

    Empty when the message is for a rule instead: stop, goodbye or a crisis while a question is
    open, or a question (TRIAGE_DIGRESSIONS) that does not answer the open one; the form then
    gives way to the rule. Otherwise the answers, with `requested: None` when the answer to the
    open question could not be read (the form then gives a hint and asks again).
    """
    if requested and intent in LEAVING_INTENTS:
        return {}
    updates = extract_answers(text, intent, requested, known, today)
    if requested and requested not in updates:
        if intent in TRIAGE_DIGRESSIONS:
            return {}
        updates[requested] = None
    return updates


def hint_for(slot: str, text: str) -> str:
    """The response that helps a parent answer `slot` after an unreadable answer."""
    if slot == "receives_education" and is_unknown_answer(text):
        return UNKNOWN_EDUCATION_HINT
    return HINTS[slot]
