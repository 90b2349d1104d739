"""rasa-sdk wrappers that explain the outcome of the triage and give the summary."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.decision import Advice, Outcome, Reason, answers_from_slots, decide
from actions.facts import load_facts
from actions.messages import common_values
from actions.summary import summary_text
from actions.texts import say

CONTACT_FIRST_RESPONSES = {
    ("swv", "board"): "outcome_contact_first_both",
    ("swv",): "outcome_contact_first_swv",
    ("board",): "outcome_contact_first_board",
}


def advice_responses(advice: Advice) -> List[str]:
    """The responses that state and explain an outcome, in order."""
    if advice.outcome is Outcome.ENGAGE_CONSULTANT:
        reason = f"reason_{advice.reason.value}"
        return ["outcome_engage_consultant", reason, "how_to_register", "consent_advice"]
    if advice.outcome is Outcome.CONTACT_SWV_AND_BOARD_FIRST:
        if advice.reason is Reason.HOME_FOUR_WEEKS_OR_LESS:
            short_home = "outcome_contact_first_short_home"
            if advice.missing_contacts == ("board",):  # mbo: no samenwerkingsverband
                short_home += "_mbo"
            return [short_home, "tips_page"]
        return [
            CONTACT_FIRST_RESPONSES[advice.missing_contacts],
            "reason_precondition",
            "tips_page",
        ]
    if advice.outcome is Outcome.NOT_FOR_CONSULTANT:
        return ["outcome_not_for_consultant"]
    if advice.reason is Reason.PROSPECT_OF_RETURN:
        return ["outcome_call_advieslijn_prospect"]
    return ["outcome_call_advieslijn_alternative"]


class ActionGiveAdvice(Action):
    """Decides with the table, sets `advice_outcome` and explains the outcome and the reason."""

    def name(self) -> Text:
        return "action_give_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        advice = decide(answers_from_slots(tracker.slots))
        if advice is None:
            say(dispatcher, "outcome_unknown")
            return [SlotSet("advice_outcome", Outcome.CALL_ADVIESLIJN.value)]
        values = common_values(load_facts())
        for response in advice_responses(advice):
            say(dispatcher, response, values)
        return [SlotSet("advice_outcome", advice.outcome.value)]


class ActionTriageSummary(Action):
    """A short summary without names, to read out on the phone or paste into the contact form."""

    def name(self) -> Text:
        return "action_triage_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answers = answers_from_slots(tracker.slots)
        text = summary_text(answers, decide(answers))
        if text:
            say(dispatcher, "summary", {"summary": text})
        else:
            say(dispatcher, "summary_empty")
        return []
