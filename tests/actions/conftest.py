"""Shared fixtures for the rasa-sdk action tests: trackers, a runner, the domain and the facts.

pytest-asyncio is not installed: actions run with ``asyncio.run``. Actions send domain responses
by name; the tests read them as the parent does, filled in by Rasa's own response generator.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clock import fixed_clock
from actions.facts import Facts, load_facts
from actions.messages import common_values
from tests.rasa_domain import domain_dict

ROOT = Path(__file__).resolve().parents[2]

TrackerFactory = Callable[..., Tracker]
Runner = Callable[[Action, Tracker], Tuple[CollectingDispatcher, List[Dict[str, Any]]]]


def user_event(text: str, intent: Optional[str] = None) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
    }


def action_event(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def slot_event(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


# The form's tests: Tuesday 1 December 2026, 10:30 in Amsterdam (the line is open), and two
# partly answered triages.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CLOCK = fixed_clock(datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM))
OPP_PO = {"situation": "opp_problem", "school_type": "po"}
HOME_PO_6 = {"situation": "child_at_home", "school_type": "po", "weeks_at_home": 6.0}


@pytest.fixture
def form() -> Any:
    """The triage form's validation action on CLOCK."""
    from actions.triage_actions import ValidateTriageForm

    return ValidateTriageForm(clock=CLOCK)


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return domain_dict()


@pytest.fixture(scope="session")
def facts() -> Facts:
    return load_facts()


@pytest.fixture
def make_tracker() -> TrackerFactory:
    """Build a rasa_sdk Tracker.

    Without explicit ``events``, the events are a fresh user turn: the previous bot turn, then
    ``action_listen`` and the user message of ``text``/``intent``.
    """

    def build(
        slots: Optional[Dict[str, Any]] = None,
        text: str = "",
        intent: Optional[str] = None,
        events: Optional[List[Dict[str, Any]]] = None,
        active_loop: Optional[str] = "triage_form",
        latest_action_name: str = "action_listen",
    ) -> Tracker:
        if events is None:
            events = [action_event("action_listen"), user_event(text, intent)]
        if active_loop:
            # As Rasa's form calls its validation action (FormAction._temporary_tracker): the
            # requested slot and the form's own action end the events.
            events = events + [slot_event("requested_slot", (slots or {}).get("requested_slot")), action_event(active_loop)]
        return Tracker(
            sender_id="t",
            slots=dict(slots or {}),
            latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name=latest_action_name,
        )

    return build


@pytest.fixture
def run_action(domain: Dict[str, Any]) -> Runner:
    """Run an action; returns the dispatcher (its ``messages``) and the events as dicts."""

    def run(action: Action, tracker: Tracker) -> Tuple[CollectingDispatcher, List[Dict[str, Any]]]:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, domain))
        return dispatcher, [dict(event) for event in events]

    return run


def slot_sets(events: List[Dict[str, Any]]) -> List[Tuple[str, Any]]:
    """The (name, value) of the SlotSet events, in order."""
    return [(event["name"], event["value"]) for event in events if event.get("event") == "slot"]


# The keys rasa-sdk's utter_message writes itself; any other key is a value for the response.
SDK_MESSAGE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}
NLG = TemplatedNaturalLanguageGenerator(domain_dict()["responses"])


def rendered(message: Dict[str, Any]) -> Dict[str, Any]:
    """A sent message as the parent sees it: a response is filled in by Rasa's generator."""
    if not message.get("response"):
        return message
    values = {key: value for key, value in message.items() if key not in SDK_MESSAGE_KEYS}
    filled = NLG.generate_from_slots(message["response"], {}, "rest", **values)
    assert filled is not None, f"no response {message['response']} in the domain"
    return filled


def texts_of(dispatcher: CollectingDispatcher) -> List[str]:
    """The texts the action sent, in order, as the parent reads them."""
    return [rendered(message).get("text") or "" for message in dispatcher.messages]


def response_text(name: str, **values: Any) -> str:
    """The text of response `name` filled with the fact values (and `values`)."""
    return rendered({"response": name, **common_values(load_facts()), **values})["text"]


@pytest.fixture(scope="session")
def h() -> SimpleNamespace:
    """Helpers for building events and reading results (a conftest is not importable by name)."""
    return SimpleNamespace(
        user=user_event,
        action=action_event,
        slot=slot_event,
        slot_sets=slot_sets,
        texts_of=texts_of,
        rendered=rendered,
        response_text=response_text,
    )
