"""The end of the triage, in one place: the outcome, what to do now, the summary and the hand-off.

At most three messages after the last answer (domain/ending.yml):
  (a) the outcome as a first estimate with its one reason (`outcome_message`);
  (b) what to do now, with one phone number at most (`next_step`; left out when (c) says it);
  (c) the summary with the hand-off and a "Meer uitleg" button (`send_summary_and_handoff`).
More explanation only on request (`details_for`, ActionExplainOutcome). The pure choices come
first; the rasa-sdk wrappers are at the end.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.decision import Advice, Outcome, Reason, answers_from_slots, decide
from actions.facts import load_facts
from actions.messages import common_values, handoff_message
from actions.rasa_helpers import current_schedule
from actions.responses import render, utter
from actions.staff_store import closed_days, store_triage_code
from actions.summary import CONTACT_LABELS, summary_text
from store.retention import retention_days

Message = Tuple[str, Dict[str, str]]

# What the parent did not know, for "Ik weet nog niet ...".
UNKNOWN_TOPICS = {
    "situation": "wat er precies speelt",
    "school_type": "om welk soort school het gaat",
    "weeks_at_home": "hoe lang je kind al thuis zit",
    "prospect_of_return": "of je kind terug kan naar de eigen school",
    "alternative_school_found": "of er een andere school is gevonden",
    "receives_education": "of je kind nu les krijgt",
}
ENGAGE_RESPONSES = {
    (Reason.CONTACTS_MADE, None): "utter_outcome_engage_contacts_made",
    (Reason.MBO_BOARD_CONTACTED, "mbo"): "utter_outcome_engage_mbo",
    (Reason.MBO_BOARD_CONTACTED, "so"): "utter_outcome_engage_cluster",
    (Reason.HOME_WITHOUT_EDUCATION, None): "utter_outcome_engage_home_without_education",
}
EXCLUSION_RESPONSES = {
    "legal_procedure": "utter_outcome_exclusion_legal_procedure",
    "motivation": "utter_outcome_exclusion_motivation",
    "repeat_or_level": "utter_outcome_exclusion_repeat_or_level",
}
CALL_RESPONSES = {
    Reason.PROSPECT_OF_RETURN: "utter_outcome_call_advieslijn_prospect",
    Reason.ALTERNATIVE_SCHOOL: "utter_outcome_call_advieslijn_alternative",
}


def contacts_phrase(missing: Tuple[str, ...]) -> str:
    """'het samenwerkingsverband (SWV) van de school en het bestuur van de school'."""
    return " en ".join(CONTACT_LABELS[contact] for contact in missing)


def outcome_message(advice: Optional[Advice]) -> Message:
    """(a): the response that states the outcome with its reason, and its extra values."""
    if advice is None:
        return "utter_outcome_unknown", {"unknown_topic": UNKNOWN_TOPICS["situation"]}
    if advice.reason is Reason.UNKNOWN_ANSWER:
        return "utter_outcome_unknown", {"unknown_topic": UNKNOWN_TOPICS[advice.about or "situation"]}
    if advice.outcome is Outcome.ENGAGE_CONSULTANT:
        about = advice.about if advice.reason is Reason.MBO_BOARD_CONTACTED else None
        return ENGAGE_RESPONSES[(advice.reason, about)], {}
    if advice.outcome is Outcome.CONTACT_SWV_AND_BOARD_FIRST:
        contacts = {"contacts": contacts_phrase(advice.missing_contacts)}
        if advice.reason is Reason.HOME_FOUR_WEEKS_OR_LESS:
            return "utter_outcome_contact_first_short_home", contacts
        return "utter_outcome_contact_first", contacts
    if advice.reason is Reason.EXCLUSION:
        return EXCLUSION_RESPONSES[advice.about or ""], {}
    if advice.reason is Reason.HIGHER_EDUCATION:
        return "utter_outcome_higher_education", {}
    return CALL_RESPONSES[advice.reason], {}


def next_step(advice: Optional[Advice]) -> Optional[str]:
    """(b): what to do now; None when the next step is the advice line, which (c) names."""
    if advice is None:
        return None
    if advice.outcome is Outcome.ENGAGE_CONSULTANT:
        return "utter_next_register"
    if advice.outcome is Outcome.CONTACT_SWV_AND_BOARD_FIRST:
        return "utter_next_contacts"
    return None


def details_for(advice: Optional[Advice]) -> List[str]:
    """More explanation on request ("Meer uitleg"), for the outcome given."""
    if advice is None:
        return ["utter_details_none"]
    if advice.outcome is Outcome.ENGAGE_CONSULTANT:
        return ["utter_details_register", "utter_consent_advice"]
    if advice.outcome is Outcome.CONTACT_SWV_AND_BOARD_FIRST:
        return ["utter_details_contacts"]
    return ["utter_details_other_routes"]


def ending_responses(advice: Optional[Advice]) -> List[str]:
    """The names of the ending's messages, in order (three at most)."""
    step = next_step(advice)
    return [outcome_message(advice)[0], *([step] if step else []), "utter_summary_handoff"]  # or _with_code


# --- rasa-sdk wrappers --------------------------------------------------------------------------


def give_outcome(dispatcher: CollectingDispatcher, domain: DomainDict, slots: Dict[str, Any]) -> List[EventType]:
    """(a) and (b); sets `advice_outcome` (call_advieslijn when the table has no outcome)."""
    advice = decide(answers_from_slots(slots))
    values = common_values(load_facts())
    name, extra = outcome_message(advice)
    utter(dispatcher, domain, name, {**values, **extra})
    step = next_step(advice)
    if step:
        utter(dispatcher, domain, step, values)
    outcome = advice.outcome if advice else Outcome.CALL_ADVIESLIJN
    return [SlotSet("advice_outcome", outcome.value)]


def send_summary_and_handoff(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    slots: Dict[str, Any],
    clock: Clock,
    code: Optional[str] = None,
) -> None:
    """(c): the summary without names, and the hand-off for this moment, in one message; with the
    triage code the advice line can look up, when one was stored (actions/staff_store.py)."""
    answers = answers_from_slots(slots)
    facts = load_facts()
    now, schedule = clock(), current_schedule()
    name, values = handoff_message(now, facts, schedule, closed_days(now, schedule.timezone))
    handoff = render(domain, name, values)
    summary = summary_text(answers, decide(answers)) or "- Nog niets bekend"
    if code:
        utter(dispatcher, domain, "utter_summary_handoff_with_code", {
            "summary": summary, "handoff": handoff, "code": code, "code_days": str(retention_days()),
        })
    else:
        utter(dispatcher, domain, "utter_summary_handoff", {"summary": summary, "handoff": handoff})


def send_summary(dispatcher: CollectingDispatcher, domain: DomainDict, slots: Dict[str, Any]) -> None:
    """The summary on request: to read out on the phone or paste into the contact form."""
    answers = answers_from_slots(slots)
    text = summary_text(answers, decide(answers))
    if text:
        utter(dispatcher, domain, "utter_summary", {"summary": text})
    else:
        utter(dispatcher, domain, "utter_summary_empty")


class ActionFinishTriage(Action):
    """At the end of the triage: (a) the outcome, (b) what to do now, (c) summary and hand-off."""

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return "action_finish_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = give_outcome(dispatcher, domain, tracker.slots)
        code = store_triage_code(tracker.slots, events[0]["value"], self._clock())
        send_summary_and_handoff(dispatcher, domain, tracker.slots, self._clock, code)
        return events


class ActionTriageSummary(Action):
    """The summary on request, also in the middle of the triage."""

    def name(self) -> Text:
        return "action_triage_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        send_summary(dispatcher, domain, tracker.slots)
        return []


class ActionExplainOutcome(Action):
    """"Meer uitleg": how to register and the consent advice, or why SWV and board come first,
    or the other routes; only after an outcome was given."""

    def name(self) -> Text:
        return "action_explain_outcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        given = tracker.get_slot("advice_outcome") is not None
        advice = decide(answers_from_slots(tracker.slots)) if given else None
        values = common_values(load_facts())
        if given and advice is None:  # the outcome was "call the advice line" for lack of answers
            advice = Advice(Outcome.CALL_ADVIESLIJN, Reason.UNKNOWN_ANSWER)
        for name in details_for(advice):
            utter(dispatcher, domain, name, values)
        return []
