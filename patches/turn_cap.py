"""End a conversation politely after ADVIESLIJN_MAX_TURNS user turns (default 200); start fresh.

A parent never needs hundreds of turns; a conversation that long is a script or abuse, and each
turn of it keeps a share of the one event loop every conversation is served from. Rasa 3.6.21
starts a new session only when the old one has expired
(``MessageProcessor._update_tracker_session``,
https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/core/processor.py). Here it also starts one when
the current session already has the maximum number of user turns (counted with
patches.history_window, which keeps the count of turns it compacted away): the parent first gets
``utter_conversation_restarted`` (domain/service.yml, rendered by Rasa's NLG in the Rasa process),
then Rasa runs ``action_session_start`` exactly as for an expired session (no slots carried over:
domain session_config), and the message is handled in the new session.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from rasa.core.channels.channel import OutputChannel
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_SESSION_START_NAME, SESSION_START_METADATA_SLOT
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from patches import install
from patches.history_window import earlier_turns
from store.known_settings import MAX_TURNS

logger = logging.getLogger(__name__)

MAX_TURNS_ENV = MAX_TURNS.name
DEFAULT_MAX_TURNS = MAX_TURNS.default
RESTARTED_RESPONSE = "utter_conversation_restarted"

_original = MessageProcessor._update_tracker_session


def max_turns() -> int:
    """$ADVIESLIJN_MAX_TURNS, else 200. A bad value stops `python -m patches` at start
    (store/known_settings.py), so it cannot reach a turn there."""
    return int(MAX_TURNS.value())


async def _update_tracker_session(
    self: MessageProcessor,
    tracker: DialogueStateTracker,
    output_channel: OutputChannel,
    metadata: Optional[Dict] = None,
) -> None:
    """Rasa's `_update_tracker_session`, plus a new session once the current one is full."""
    turns = earlier_turns(list(tracker.events))
    if turns < max_turns():
        await _original(self, tracker, output_channel, metadata)
        return
    logger.info(f"turn cap: a conversation reached {turns} turns; starting a new session")
    if output_channel is not None:
        notice: Any = await self.nlg.generate(RESTARTED_RESPONSE, tracker, output_channel.name())
        if notice:
            await output_channel.send_response(tracker.sender_id, notice)
    # From here as Rasa does for an expired session.
    if metadata:
        tracker.update(SlotSet(SESSION_START_METADATA_SLOT, metadata), self.domain)
    await self._run_action(
        action=self._get_action(ACTION_SESSION_START_NAME),
        tracker=tracker,
        output_channel=output_channel,
        nlg=self.nlg,
        prediction=PolicyPrediction.for_action_name(self.domain, ACTION_SESSION_START_NAME),
    )


def apply() -> None:
    """Install the capped session update (idempotent; only on the Rasa version the patches target)."""
    install(MessageProcessor, "_update_tracker_session", _update_tracker_session, __name__)


def is_applied() -> bool:
    return MessageProcessor._update_tracker_session is _update_tracker_session
