"""rasa-sdk wrappers that explain the outcome of the triage and give the summary."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.conversation_actions import send_handoff
from actions.decision import Advice, Outcome, Reason, answers_from_slots, decide
from actions.facts import load_facts
from actions.messages import common_values
from actions.summary import summary_text
from actions.responses import utter
from actions.staff_store import store_triage_code
from store.retention import retention_days

CONTACT_FIRST_RESPONSES = {
    ("swv", "board"): "utter_outcome_contact_first_both",
    ("swv",): "utter_outcome_contact_first_swv",
    ("board",): "utter_outcome_contact_first_board",
}
ENGAGE_REASON_RESPONSES = {
    Reason.CONTACTS_MADE: "utter_reason_contacts_made",
    Reason.MBO_BOARD_CONTACTED: "utter_reason_mbo_board_contacted",
    Reason.HOME_WITHOUT_EDUCATION: "utter_reason_home_without_education",
}


def advice_responses(advice: Advice) -> List[str]:
    """The responses that state and explain an outcome, in order."""
    if advice.outcome is Outcome.ENGAGE_CONSULTANT:
        reason = ENGAGE_REASON_RESPONSES[advice.reason]
        return ["utter_outcome_engage_consultant", reason, "utter_how_to_register", "utter_consent_advice"]
    if advice.outcome is Outcome.CONTACT_SWV_AND_BOARD_FIRST:
        if advice.reason is Reason.HOME_FOUR_WEEKS_OR_LESS:
            if advice.missing_contacts == ("board",):  # mbo: no samenwerkingsverband
                return ["utter_outcome_contact_first_short_home_mbo", "utter_tips_page"]
            return ["utter_outcome_contact_first_short_home", "utter_tips_page"]
        return [
            CONTACT_FIRST_RESPONSES[advice.missing_contacts],
            "utter_reason_precondition",
            "utter_tips_page",
        ]
    if advice.outcome is Outcome.NOT_FOR_CONSULTANT:
        return ["utter_outcome_not_for_consultant"]
    if advice.reason is Reason.PROSPECT_OF_RETURN:
        return ["utter_outcome_call_advieslijn_prospect"]
    return ["utter_outcome_call_advieslijn_alternative"]


def give_advice(dispatcher: CollectingDispatcher, domain: DomainDict, slots: Dict[str, Any]) -> List[EventType]:
    """Decide with the table, explain the outcome and the reason; set `advice_outcome`."""
    advice = decide(answers_from_slots(slots))
    if advice is None:
        utter(dispatcher, domain, "utter_outcome_unknown")
        return [SlotSet("advice_outcome", Outcome.CALL_ADVIESLIJN.value)]
    values = common_values(load_facts())
    for response in advice_responses(advice):
        utter(dispatcher, domain, response, values)
    return [SlotSet("advice_outcome", advice.outcome.value)]


def send_summary(
    dispatcher: CollectingDispatcher, domain: DomainDict, slots: Dict[str, Any], code: Optional[str] = None
) -> None:
    """A short summary without names, to read out on the phone or paste into the contact form;
    with the triage code the advice line can look up, when one was stored (actions/staff_store.py)."""
    answers = answers_from_slots(slots)
    text = summary_text(answers, decide(answers))
    if text and code:
        utter(dispatcher, domain, "utter_summary_with_code", {"summary": text, "code": code, "code_days": str(retention_days())})
    elif text:
        utter(dispatcher, domain, "utter_summary", {"summary": text})
    else:
        utter(dispatcher, domain, "utter_summary_empty")


class ActionFinishTriage(Action):
    """At the end of the triage: the advice and why, the summary, and the hand-off.

    One action instead of three saves the Rasa server two calls to the action server per triage.
    """

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return "action_finish_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = give_advice(dispatcher, domain, tracker.slots)
        code = store_triage_code(tracker.slots, events[0]["value"], self._clock())
        send_summary(dispatcher, domain, {**tracker.slots, "advice_outcome": events[0]["value"]}, code)
        send_handoff(dispatcher, domain, self._clock)
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
