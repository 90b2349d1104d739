"""rasa-sdk wrappers for hand-off, answers to questions, the crisis numbers and the fallback."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.facts import load_facts
from actions.messages import common_values, handoff_message
from actions.intents import ANSWERED_QUESTIONS, answer_response
from actions.rasa_helpers import current_schedule, latest_intent
from actions.responses import utter
from actions.staff_store import closed_days, keep_fallback

FALLBACK_ACTION = "action_fallback"


def send_handoff(dispatcher: CollectingDispatcher, domain: DomainDict, clock: Clock) -> None:
    """The hand-off for this moment: phone while open, otherwise voicemail and contact form."""
    facts = load_facts()
    schedule = current_schedule()
    now = clock()
    response, values = handoff_message(now, facts, schedule, closed_days(now, schedule.timezone))
    utter(dispatcher, domain, response, values)
    if response != "utter_handoff_open":
        return
    utter(dispatcher, domain, "utter_opening_hours", values)


class ActionHandoff(Action):
    """Hands the parent to the advice line, depending on the opening hours now."""

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        send_handoff(dispatcher, domain, self._clock)
        return []


class ActionAnswerQuestion(Action):
    """Answers the information questions from the sources, with links from the facts file."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        if intent not in ANSWERED_QUESTIONS:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        utter(dispatcher, domain, answer_response(intent), common_values(load_facts()))
        return []


class ActionCrisisHelp(Action):
    """Gives the emergency and crisis numbers at once.

    Outside the triage it adds an open door back to the school question: the classifier sometimes
    reads a worried but ordinary message as a crisis, and that parent should not be left with
    only crisis numbers. (Inside the triage, the rule's pause message does this.)
    """

    def name(self) -> Text:
        return "action_crisis_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        utter(dispatcher, domain, "utter_crisis_help", common_values(load_facts()))
        if not tracker.active_loop_name:
            utter(dispatcher, domain, "utter_crisis_follow_up")
        return []


def consecutive_fallbacks(events: Sequence[Dict[str, Any]]) -> int:
    """How many user turns in a row ended in the fallback, the turn being handled now included.

    The tracker's events are split into turns at each user message; counting goes back from the
    current turn and stops at the first earlier turn that the bot did understand.
    """
    turns: List[List[Any]] = []
    for event in events:
        if event.get("event") == "user":
            turns.append([])
        elif event.get("event") == "action" and turns:
            turns[-1].append(event.get("name"))
    count = 1
    for actions in reversed(turns[:-1]):
        if FALLBACK_ACTION not in actions:
            break
        count += 1
    return count


class ActionFallback(Action):
    """First time: ask to rephrase, with the main topics as buttons. Twice in a row: hand off."""

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return FALLBACK_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        keep_fallback(tracker.latest_message.get("text"), self._clock())
        if consecutive_fallbacks(tracker.events) >= 2:
            utter(dispatcher, domain, "utter_fallback_handoff")
            send_handoff(dispatcher, domain, self._clock)
        else:
            utter(dispatcher, domain, "utter_fallback_rephrase")
        return []
