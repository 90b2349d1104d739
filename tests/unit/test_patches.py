"""The patch for Rasa's action response validation keeps Rasa's behaviour."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import channels  # noqa: F401  (applies the patches, as in the Rasa server)
from patches import action_validation

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "situation", "value": "child_at_home"}], "responses": [{"text": "hoi"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "slot", "name": "requested_slot", "value": None}]},
    {"responses": [{"text": "x", "buttons": [{"title": "Ja", "payload": "ja"}]}]},
]
INVALID = [
    {"events": [{"event": "slot", "name": 5}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def test_the_patch_is_applied_when_the_channels_load() -> None:
    assert action_validation.is_applied()


@pytest.mark.parametrize("payload", VALID)
def test_valid_responses_pass_as_before(payload: Dict[str, Any]) -> None:
    action = RemoteAction("action_x", None)
    assert action_validation._original(action, payload) is True
    assert action._validate_action_result(payload) is True


@pytest.mark.parametrize("payload", INVALID)
def test_invalid_responses_fail_as_before_with_rasas_message(payload: Dict[str, Any]) -> None:
    action = RemoteAction("action_x", None)
    with pytest.raises(ValidationError) as original:
        action_validation._original(action, payload)
    with pytest.raises(ValidationError) as patched:
        action._validate_action_result(payload)
    assert patched.value.message == original.value.message
    assert "Failed to validate Action server response" in patched.value.message


# --- patches.event_lookup ---------------------------------------------------------------------

from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered  # noqa: E402

from patches import event_lookup  # noqa: E402


def test_the_event_lookup_patch_is_applied_when_the_channels_load() -> None:
    assert event_lookup.is_applied()


@pytest.mark.parametrize("name", ["slot", "user", "action", "bot", "active_loop", "session_started", "restart"])
def test_event_lookup_finds_the_same_class_as_rasa(name: str) -> None:
    assert Event.resolve_by_type(name) is event_lookup._original(name)


def test_event_lookup_keeps_rasas_edge_cases() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_events_still_round_trip_through_json() -> None:
    events = [UserUttered("hallo", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"), SlotSet("situation", "opp_problem")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events
