"""patches.history_window: a stored conversation keeps its last turns plus a snapshot of its state,
and the bot sees the same state (slots, form, latest message, dialogue states of the kept turns)."""

from __future__ import annotations

import asyncio
import json
from typing import List

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    Event,
    LoopInterrupted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

import patches
from patches import history_window
from patches.history_window import KEPT_TURNS, compacted_events, earlier_turns
from tests.rasa_domain import DOMAIN_DIR

patches.apply_all()


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(DOMAIN_DIR))


def _user(intent: str, text: str = "tekst") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def _conversation(turns: int) -> List[Event]:
    """A session: a triage started in turn 2, answers, a question that interrupts the form, and
    an answer per turn after that (`turns` user turns in all)."""
    events: List[Event] = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]
    events += [_user("greet", "hallo"), ActionExecuted("utter_greet"), BotUttered("Hoi!"), ActionExecuted(ACTION_LISTEN_NAME)]
    events += [
        _user("child_at_home"), ActionExecuted("action_start_triage"), SlotSet("situation", "child_at_home"),
        ActionExecuted("triage_form"), ActiveLoop("triage_form"), SlotSet("requested_slot", "school_type"),
        BotUttered("Om welk soort school gaat het?"), ActionExecuted(ACTION_LISTEN_NAME),
    ]
    for turn in range(3, turns + 1):
        if turn % 7 == 0:  # a question: the form declines, a rule answers, the form asks again
            events += [
                _user("ask_consultant"), ActionExecutionRejected("triage_form"), ActionExecuted("action_answer_question"),
                BotUttered("Een onderwijsconsulent ..."), ActionExecuted("triage_form"), LoopInterrupted(True),
                BotUttered("Om welk soort school gaat het?"), ActionExecuted(ACTION_LISTEN_NAME),
            ]
        else:
            events += [
                _user("inform"), ActionExecuted("triage_form"), SlotSet("weeks_at_home", float(turn)),
                SlotSet("school_type", "po" if turn % 2 else "vo"), BotUttered("Hoe lang?"),
                ActionExecuted(ACTION_LISTEN_NAME),
            ]
    return events


def _tracker(events: List[Event], domain: Domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("parent", events, domain.slots, domain=domain)


def test_the_patch_is_applied_by_apply_all() -> None:
    assert history_window.is_applied()


def test_a_short_conversation_is_stored_unchanged(domain: Domain) -> None:
    assert compacted_events(_tracker(_conversation(KEPT_TURNS), domain)) is None


@pytest.mark.parametrize("turns", [KEPT_TURNS + 1, 28, 200])
def test_the_compacted_conversation_has_the_same_state_and_recent_dialogue_states(domain: Domain, turns: int) -> None:
    full = _tracker(_conversation(turns), domain)
    events = compacted_events(full)
    assert events is not None
    compact = _tracker(events, domain)
    assert sum(isinstance(e, UserUttered) for e in events) == KEPT_TURNS
    assert compact.current_slot_values() == full.current_slot_values()
    assert compact.active_loop_name == full.active_loop_name == "triage_form"
    assert compact.is_active_loop_rejected == full.is_active_loop_rejected
    assert compact.is_active_loop_interrupted == full.is_active_loop_interrupted
    assert compact.latest_message == full.latest_message
    assert compact.latest_action_name == full.latest_action_name
    assert earlier_turns(events) == turns
    # The dialogue states RulePolicy matches its rules against (our rules span one user turn: the
    # current turn and the end of the one before) are those of the full history. Further back they
    # may differ: Rasa folds a form's uninterrupted turns into its previous run (`applied_events`),
    # and that run may lie before the kept turns.
    recent = 4
    assert compact.past_states(domain)[-recent:] == full.past_states(domain)[-recent:]


def test_a_stored_conversation_stays_small_and_right_over_many_saves(domain: Domain) -> None:
    """Save after every turn, as Rasa does: the stored text stops growing, the state stays right."""
    events = _conversation(300)
    boundaries = [i for i, e in enumerate(events) if isinstance(e, UserUttered)] + [len(events)]
    store = InMemoryTrackerStore(domain)

    async def run() -> List[int]:
        sizes = []
        stored: List[Event] = []
        for start, end in zip([0] + boundaries[:-1], boundaries):
            tracker = _tracker(stored + events[start:end], domain)
            await store.save(tracker)
            sizes.append(len(store.store["parent"]))
            stored = list((await store.retrieve("parent")).events)
        return sizes

    sizes = asyncio.run(run())
    assert max(sizes[50:]) < 1.2 * min(sizes[50:]), "the stored conversation keeps growing"
    final = asyncio.run(store.retrieve("parent"))
    assert final.current_slot_values() == _tracker(events, domain).current_slot_values()
    assert earlier_turns(list(final.events)) == 300
    assert json.loads(store.store["parent"])["name"] == "parent"
