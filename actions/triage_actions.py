"""rasa-sdk wrappers for the triage: start it, and read the answers for the form."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Type

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.decision import answers_from_slots, decide, slots_on_path, weeks_threshold
from actions.facts import load_facts
from actions.intents import SITUATIONS
from actions.messages import common_values
from actions.rasa_helpers import latest_intent, latest_text, local_today
from actions.responses import utter
from actions.school_calendar import load_school_calendar
from actions.triage import Turn, ambiguous_situation, question_for, read_turn, turn_state

FORM_NAME = "triage_form"
START_ACTION = "action_start_triage"
# The questions of the decision table (domain/triage.yml lists the same as the form's slots).
FORM_SLOTS = (
    "situation",
    "school_type",
    "weeks_at_home",
    "prospect_of_return",
    "alternative_school_found",
    "receives_education",
    "cluster_1_or_2",
    "contacted_swv",
    "contacted_board",
)
# Read from the parent's words, never asked (at_home_now, exclusion), and the form's memory.
CUE_SLOTS = ("at_home_now", "exclusion")
STATE_SLOTS = ("unknown_answers", "unread_answers", "weeks_range")
TRIAGE_SLOTS = FORM_SLOTS + CUE_SLOTS + STATE_SLOTS + ("advice_outcome",)

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


def situation_intent(tracker: Tracker) -> Optional[str]:
    """The latest intent, or None when the top two situations are too close to choose."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    margin = float(load_facts().get("triage.situation_margin"))
    return None if ambiguous_situation(ranking, margin) else latest_intent(tracker)


class ActionStartTriage(Action):
    """Clears the answers of an earlier triage and records the situation the parent named."""

    def name(self) -> Text:
        return START_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = situation_intent(tracker)
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
        open_slots = (slot for slot in required if getattr(answers, slot) is None and slot not in answers.unknown)
        return SlotSet(REQUESTED_SLOT, next(open_slots, None))

    def turn(self, tracker: Tracker) -> Turn:
        """What the parent's latest message gives the form (`actions.triage.read_turn`); nothing
        when the form resumes after a rule answered a question."""
        turn = actions_this_turn(tracker.events)
        if not set(turn) <= FORM_TURN_ACTIONS:
            return Turn()
        starting = START_ACTION in turn
        return read_turn(
            latest_text(tracker),
            situation_intent(tracker) if starting else latest_intent(tracker),
            None if starting else tracker.get_slot(REQUESTED_SLOT),
            answers_from_slots(tracker.slots),
            local_today(self._clock),
            turn_state(tracker.get_slot("unread_answers"), tracker.get_slot("weeks_range")),
            load_school_calendar(),
            weeks_threshold(),
        )

    def read(self, slot: str, tracker: Tracker) -> Dict[Text, Any]:
        """The value of `slot` in the parent's latest message, as {slot: value}, or {}."""
        answers = self.turn(tracker).answers
        return {slot: answers[slot]} if slot in answers else {}

    def check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Keep a value (None: an answer that could not be read; get_validation_events says why)."""
        return {slot: value}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """The validated answers, then what the message says besides (at home now, an exclusion,
        "weet ik niet", an estimate to check), and the hint for an answer that could not be read.
        (Reading again after the extraction gives the same turn: the message is the same, and the
        answers it just gave are read the same way.)"""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        turn = self.turn(tracker)
        if turn.reply:
            utter(dispatcher, domain, turn.reply)
        return events + [SlotSet(name, value) for name, value in turn.extras.items()]


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


class AskTriageQuestion(Action, metaclass=ABCMeta):
    """The form asks a question with `action_ask_<slot>`: the plain question, "Is dat langer dan
    4 weken?" after an estimate on both sides of the line, or the question with buttons (and
    "Weet ik niet") after two answers that could not be read."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The form slot this action asks (one subclass per slot, below)."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        state = turn_state(tracker.get_slot("unread_answers"), tracker.get_slot("weeks_range"))
        utter(dispatcher, domain, question_for(self.slot, state), common_values(load_facts()))
        return []


# rasa-sdk looks the hooks up by name (extract_<slot>, validate_<slot>): one pair per form slot;
# Rasa asks each slot with action_ask_<slot> (one concrete action class per slot; the action
# server registers every concrete Action subclass).
ASK_ACTIONS: Dict[str, Type[AskTriageQuestion]] = {}
for _slot in FORM_SLOTS:
    setattr(ValidateTriageForm, f"extract_{_slot}", _extractor(_slot))
    setattr(ValidateTriageForm, f"validate_{_slot}", _validator(_slot))
    ASK_ACTIONS[_slot] = type(f"AskTriageQuestion_{_slot}", (AskTriageQuestion,), {"slot": _slot})
