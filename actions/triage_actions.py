"""rasa-sdk wrappers for the triage: start it, and read the answers for the form."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.decision import SITUATIONS, answers_from_slots, next_question
from actions.rasa_helpers import latest_intent, latest_text, local_today
from actions.texts import say
from actions.triage import LEAVING_INTENTS, QUESTION_INTENTS, extract_answers, hint_for

TRIAGE_SLOTS = [
    "situation",
    "school_type",
    "weeks_at_home",
    "receives_education",
    "prospect_of_return",
    "alternative_school_found",
    "contacted_swv",
    "contacted_board",
    "advice_outcome",
]
FORM_NAME = "triage_form"
START_ACTION = "action_start_triage"


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
        say(dispatcher, "triage_intro")
        return events


class ValidateTriageForm(FormValidationAction):
    """Reads answers from the parent's words and asks only what the decision table still needs.

    It also sends the next question (texts `ask_<slot>`): the form finds no `utter_ask_<slot>`
    and leaves the asking to this action.

    Returning no events rejects the form for this turn, so that a rule can answer a question, give
    the crisis numbers or stop; the form then resumes (or not) as the rules say.
    """

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return f"validate_{FORM_NAME}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slots: Dict[str, Any] = dict(tracker.slots)
        known = answers_from_slots(slots)
        updates: Dict[str, Any] = {}
        turn = actions_this_turn(tracker.events)
        if set(turn) <= FORM_TURN_ACTIONS:
            text, intent = latest_text(tracker), latest_intent(tracker)
            requested = None if START_ACTION in turn else slots.get("requested_slot")
            if requested and intent in LEAVING_INTENTS:
                return []
            updates = extract_answers(text, intent, requested, known, local_today(self._clock))
            if requested and requested not in updates:
                if intent in QUESTION_INTENTS:
                    return []
                say(dispatcher, hint_for(requested, text))
                updates[requested] = None
        next_slot = next_question(answers_from_slots({**slots, **updates}))
        if next_slot:
            # Asking here saves the form a second call to the action server for the question.
            say(dispatcher, f"ask_{next_slot}")
        events: List[EventType] = [SlotSet(slot, value) for slot, value in updates.items()]
        events.append(SlotSet("requested_slot", next_slot))
        return events
