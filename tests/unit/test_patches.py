"""Each patch (patches/) keeps Rasa's behaviour; the entry point installs them all.

The action-session patch has its own file (test_patch_action_session.py), as has the validator's.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import patches
from patches import action_validation

patches.apply_all()  # as `python -m patches` does before Rasa's command line runs

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


def test_the_patch_is_applied_by_apply_all() -> None:
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


TRICKY = [
    {"events": [{"event": ["slot"], "name": "x"}]},
    {"events": [{"name": "x"}]},
    {"events": [None]},
    {"events": None},
    {"events": [{"event": "slot", "name": "x", "timestamp": "yesterday"}]},
    {"events": [{"event": "user", "text": "hoi", "parse_data": {"intent": {"name": 5}}}]},
    {"events": [{"event": "user", "text": "hoi", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}}]},
    {"events": [{"event": "bot", "text": "hoi", "metadata": "not an object"}]},
    {"events": [{"event": "action", "name": "action_listen", "policy": None, "confidence": None}]},
    {"responses": None},
    {"responses": [{"text": "x"}], "events": [{"event": "followup", "name": "action_x"}]},
    [],
]


def _outcome(check: Any, payload: Any) -> Any:
    try:
        return check(payload)
    except ValidationError as error:
        return ("error", error.message, list(error.path))


@pytest.mark.parametrize("payload", VALID + INVALID + TRICKY)
def test_the_fast_path_never_changes_the_outcome(payload: Any) -> None:
    action = RemoteAction("action_x", None)
    expected = _outcome(lambda p: action_validation._original(action, p), payload)
    assert _outcome(action._validate_action_result, payload) == expected
    if action_validation.is_valid_fast(payload):
        assert expected is True  # the fast path only ever says "valid" when Rasa agrees


def test_the_fast_path_accepts_every_event_rasa_can_send() -> None:
    """Each Rasa event, serialised as the action server sends it, passes without the full check."""
    from rasa.shared.core import events as ev

    samples = [
        ev.SlotSet("situation", "child_at_home"), ev.ActiveLoop("triage_form"), ev.ActiveLoop(None),
        ev.FollowupAction("action_handoff"), ev.AllSlotsReset(), ev.Restarted(), ev.UserUtteranceReverted(),
        ev.ActionReverted(), ev.ConversationPaused(), ev.ConversationResumed(), ev.LoopInterrupted(True),
        ev.ActionExecutionRejected("action_x"), ev.BotUttered("hoi", {"buttons": []}),
        ev.SessionStarted(), ev.ActionExecuted("action_listen"),
        ev.UserUttered("hoi", {"name": "greet", "confidence": 1.0}, []),
    ]
    payload = {"events": [event.as_dict() for event in samples], "responses": [{"text": "hoi"}]}
    assert action_validation.is_valid_fast(payload)
    assert action_validation._original(RemoteAction("action_x", None), payload) is True


# --- patches.event_lookup ---------------------------------------------------------------------

from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered  # noqa: E402

from patches import event_lookup  # noqa: E402


def test_the_event_lookup_patch_is_applied_by_apply_all() -> None:
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


# --- patches.domain_empty ---------------------------------------------------------------------

from rasa.shared.core.domain import Domain  # noqa: E402

from patches import domain_empty  # noqa: E402


def test_the_domain_empty_patch_is_applied_by_apply_all() -> None:
    assert domain_empty.is_applied()


def test_is_empty_answers_as_rasa_does() -> None:
    from tests.conftest import PROJECT_ROOT

    ours = Domain.load(str(PROJECT_ROOT / "domain"))
    for domain in (Domain.empty(), ours, Domain.from_dict({"intents": ["greet"]}), Domain.from_dict({})):
        assert domain.is_empty() == domain_empty._original(domain)
    assert Domain.empty().is_empty() and not ours.is_empty()
    ours.is_empty()
    assert Domain.empty().is_empty()  # the cached empty dict was not changed by a comparison


# --- patches.install: the version gate shared by every patch ----------------------------------


class _Owner:
    attribute = "rasa's"


def test_install_replaces_the_attribute_on_the_target_version() -> None:
    patches.install(_Owner, "attribute", "ours", "patches.example")
    assert _Owner.attribute == "ours"


def test_install_leaves_another_rasa_version_alone_and_says_so(monkeypatch: Any, caplog: Any) -> None:
    _Owner.attribute = "rasa's"
    monkeypatch.setattr(patches, "TARGET_RASA_VERSION", "0.0.0")
    with caplog.at_level("WARNING", logger="patches"):
        patches.install(_Owner, "attribute", "ours", "patches.example")
    assert _Owner.attribute == "rasa's"
    assert "patches.example targets Rasa 0.0.0" in caplog.text and "not applied" in caplog.text
