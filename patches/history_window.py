"""Keep a conversation's stored history to its last turns, so a turn costs the same at turn 500.

Rasa 3.6.21 walks the whole history of a conversation several times in every turn: the tracker
store deserialises and replays every stored event (``TrackerStore.deserialise_tracker``,
https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/core/tracker_store.py), ``_run_action`` copies
the tracker by replaying it for each action (rasa/core/processor.py), the RulePolicy featurises
every earlier state for each prediction (rasa/core/policies/rule_policy.py with no
``max_history``), the form rebuilds a temporary tracker from all events (rasa/core/actions/forms.py),
and the action server is sent every event (rasa/core/actions/action.py ``_action_call_format``).
Measured (`make bench-turns`): 24 ms at turn 5, 60 ms at turn 50, 436 ms at turn 500.

Here the tracker is **compacted when it is saved** (``SerializedTrackerAsText.serialise_tracker``,
used by the in-memory and the Redis tracker store): when the session has more than
``KEPT_TURNS`` user turns, the events before the last ``KEPT_TURNS`` turns are replaced by a
snapshot of the conversation's state at that point, written as Rasa events:
``action_session_start``, ``session_started`` (its metadata counts the dropped turns, for the
turn cap in patches/turn_cap.py), one ``slot`` event per slot that differs from its initial value,
and the active form (``active_loop``, with its interrupted and rejected flags). Replaying the
compacted events gives the same slots, form and latest message as the full history, and the last
turns give the same dialogue states, which is all RulePolicy matches: our rules span one user
turn, and our actions look at the current turn or the last few (tests/unit/test_patch_history_window.py).
(Further back the states may differ: Rasa folds a form's uninterrupted turns into its previous
run, ``DialogueStateTracker.applied_events``, and that run may lie before the kept turns.) Earlier
sessions of the same sender are dropped too. What is lost is what the bot does not need: the
text of old turns, which it should not keep anyway (privacy).
"""

from __future__ import annotations

import json
from typing import List, Optional

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    ConversationPaused,
    Event,
    LoopInterrupted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.core.tracker_store import SerializedTrackerAsText

from patches import install

KEPT_TURNS = 10
# Metadata key of the snapshot's session_started event: user turns of this session it replaces.
EARLIER_TURNS_KEY = "advieslijn_earlier_turns"

_original = SerializedTrackerAsText.serialise_tracker


def earlier_turns(events: List[Event]) -> int:
    """User turns of the latest session in `events` (those a snapshot replaced included)."""
    count = 0
    for event in reversed(events):
        if isinstance(event, UserUttered):
            count += 1
        elif isinstance(event, SessionStarted):
            return count + int((event.metadata or {}).get(EARLIER_TURNS_KEY, 0))
    return count


def snapshot(tracker: DialogueStateTracker, events: List[Event]) -> List[Event]:
    """Events that rebuild the state `events` leave `tracker`'s slots and form in."""
    state = tracker.init_copy()
    for event in events:
        state.update(event)
    at = events[-1].timestamp
    result: List[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at),
        SessionStarted(timestamp=at, metadata={EARLIER_TURNS_KEY: earlier_turns(events)}),
    ]
    for name, slot in state.slots.items():
        if slot.value != slot.initial_value:
            result.append(SlotSet(name, slot.value, timestamp=at))
    if state.active_loop_name:
        result.append(ActiveLoop(state.active_loop_name, timestamp=at))
        if state.is_active_loop_interrupted:
            result.append(LoopInterrupted(True, timestamp=at))
        if state.is_active_loop_rejected:
            result.append(ActionExecutionRejected(state.active_loop_name, timestamp=at))
    if state.is_paused():
        result.append(ConversationPaused(timestamp=at))
    return result


def compacted_events(tracker: DialogueStateTracker, kept_turns: int = KEPT_TURNS) -> Optional[List[Event]]:
    """The tracker's events with all but the last `kept_turns` user turns replaced by a snapshot;
    None when there is nothing to drop."""
    events = list(tracker.events)
    starts = [index for index, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(starts) <= kept_turns:
        return None
    cut = starts[-kept_turns]
    previous = events[cut - 1] if cut else None
    if isinstance(previous, ActionExecuted) and previous.action_name == ACTION_LISTEN_NAME:
        cut -= 1  # the window starts at a turn boundary: listen, then the user's message
    return snapshot(tracker, events[:cut]) + events[cut:]


def serialise_tracker(tracker: DialogueStateTracker) -> str:
    """Drop-in for `SerializedTrackerAsText.serialise_tracker`: the compacted conversation."""
    events = compacted_events(tracker)
    if events is None:
        return _original(tracker)
    return json.dumps(Dialogue(tracker.sender_id, events).as_dict())


def apply() -> None:
    """Install the compacting serialiser (idempotent; only on the Rasa version the patches target)."""
    install(SerializedTrackerAsText, "serialise_tracker", staticmethod(serialise_tracker), __name__)


def is_applied() -> bool:
    return SerializedTrackerAsText.serialise_tracker is serialise_tracker
