"""rasa-sdk wrappers for the triage: start it, and read the answers for the form."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.decision import TriageAnswers, answers_from_slots, decide, slots_on_path
from actions.intents import SITUATIONS
from actions.rasa_helpers import latest_intent, latest_text, local_today
from actions.responses import utter
from actions.triage import hint_for, read_turn

FORM_NAME = "triage_form"
START_ACTION = "action_start_triage"
# The form's slots are the answers of the decision table (domain/triage.yml lists the same).
FORM_SLOTS = tuple(field.name for field in fields(TriageAnswers))
TRIAGE_SLOTS = FORM_SLOTS + ("advice_outcome",)

# Actions that run between a parent's message and the form reading it. Any other action in the
# turn (an answer to a question, say) means the form is resuming, not reading a new answer.
FORM_TURN_ACTIONS = frozenset({"action_listen", "action_extract_slots", START_ACTION, FORM_NAME})


def actions_this_turn(events: List[Dict[str, Any]]) -> List[str]:
    """The names of the actions run since the latest user message."""
    names: List[str] = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "action" and event.get("name"):
            names.append(event["name"])
    return list(reversed(names))


class ActionStartTriage(Action):
    """Clears the answers of an earlier triage and records the situation the parent named."""

    def name(self) -> Text:
        return START_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        events: List[EventType] = [SlotSet(slot, None) for slot in TRIAGE_SLOTS]
        if intent in SITUATIONS:
            events.append(SlotSet("situation", intent))
        utter(dispatcher, domain, "utter_triage_intro")
        return events


class ValidateTriageForm(FormValidationAction):
    """The form's slot hooks: the decision table decides what is asked, the parsers read answers.

    - `required_slots`: the slots the decision table still needs come first, in its order, so the
      form asks the first of them (with `utter_ask_<slot>`); the others follow, so that an answer
      given before its question is kept. Once the table has its outcome, slots without a value
      are left out and the form ends.
    - `extract_<slot>` (one per form slot, made below the class): the value the parent's latest
      message gives for that slot (`actions.triage.read_turn`), read only in the turn of the
      message itself, not when the form resumes after a rule answered a question. A message meant
      for a rule gives nothing, so the form rejects the turn and the rule answers.
    - `validate_<slot>`: an answer that could not be read arrives as None; the parent then gets a
      hint, and the form asks the question again.
    """

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return f"validate_{FORM_NAME}"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        answers = answers_from_slots(tracker.slots)
        path = slots_on_path(answers)
        complete = decide(answers) is not None
        others = [
            slot for slot in domain_slots
            if slot not in path and (not complete or tracker.get_slot(slot) is not None)
        ]
        return path + others

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        """The first required slot without a valid value, always named. (rasa-sdk leaves the choice
        to Rasa when `required_slots` equals the domain's list, and counts any value as valid.)"""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        answers = answers_from_slots(tracker.slots)
        return SlotSet(REQUESTED_SLOT, next((slot for slot in required if getattr(answers, slot) is None), None))

    def read(self, slot: str, tracker: Tracker) -> Dict[Text, Any]:
        """The value of `slot` in the parent's latest message, as {slot: value}, or {}."""
        turn = actions_this_turn(tracker.events)
        if not set(turn) <= FORM_TURN_ACTIONS:
            return {}
        requested = None if START_ACTION in turn else tracker.get_slot(REQUESTED_SLOT)
        answers = read_turn(
            latest_text(tracker),
            latest_intent(tracker),
            requested,
            answers_from_slots(tracker.slots),
            local_today(self._clock),
        )
        return {slot: answers[slot]} if slot in answers else {}

    def check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Keep a value; for an answer that could not be read, give the hint."""
        if value is None:
            utter(dispatcher, domain, hint_for(slot, latest_text(tracker)))
        return {slot: value}


def _extractor(slot: str) -> Callable[..., Awaitable[Dict[Text, Any]]]:
    async def extract(
        self: ValidateTriageForm, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self.read(slot, tracker)

    extract.__name__ = f"extract_{slot}"
    return extract


def _validator(slot: str) -> Callable[..., Awaitable[Dict[Text, Any]]]:
    async def validate(
        self: ValidateTriageForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        return self.check(slot, value, dispatcher, tracker, domain)

    validate.__name__ = f"validate_{slot}"
    return validate


# rasa-sdk looks the hooks up by name (extract_<slot>, validate_<slot>): one pair per form slot.
for _slot in FORM_SLOTS:
    setattr(ValidateTriageForm, f"extract_{_slot}", _extractor(_slot))
    setattr(ValidateTriageForm, f"validate_{_slot}", _validator(_slot))
