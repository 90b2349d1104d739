"""A turn in which the action server or the tracker store fails ends whole or not at all, loudly.

What Rasa 3.6.21 does (https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/core/):
- ``actions/action.py`` ``RemoteAction.run``: a refused connection, an error status and the action
  server's 500 (an exception in one of our actions) become ``RasaException``; a slow server
  raises ``asyncio.TimeoutError`` (our timeout: patches.action_session); a 400 becomes
  ``ActionExecutionRejection``, the normal signal of a form or action that declines to run.
- ``processor.py`` ``MessageProcessor._run_action`` catches every exception but that rejection,
  logs it, records the action as executed *without its events* and goes on predicting. The parent
  gets whatever came before (often nothing: the empty reply of issue 9), every later action of the
  turn calls the dead server again (each waiting for the timeout), and the tracker is saved with a
  half turn (say, the form's next question without the slot its validation would have set).
- ``tracker_store.py`` ``FailSafeTrackerStore`` (wrapped around every tracker store by
  ``Agent``) hides a failing store: a failed ``retrieve`` gives an empty conversation (the parent
  mid-triage is greeted again), a failed ``save`` goes to this process's memory only. With
  several replicas on Redis that silently forgets or forks conversations.

What happens here instead:
- ``MessageProcessor.handle_message`` opens a record of the turn (a context variable, so
  concurrent conversations on the one event loop never see each other's record).
- ``RemoteAction.run`` notes any failure but the rejection on that record and re-raises it, so
  Rasa's own handling runs unchanged; once a call of the turn failed, later calls fail at once.
- ``MessageProcessor._run_action`` runs as in Rasa and then raises ``TurnFailed`` when the turn
  has a failure: the turn stops there.
- ``FailSafeTrackerStore``'s error callbacks raise ``TurnFailed`` instead of falling back.

``TurnFailed`` leaves ``handle_message`` before ``save_tracker``, so the tracker store keeps the
conversation as it was before the message: a turn is saved whole or not at all, and when the
part is back the parent answers the same question again. ``Agent.handle_message`` releases the
conversation's lock on the way out (``async with``). Our input channels catch it, and any other
exception out of Rasa, and answer with the service message (channels/service.py).

Why here and not only in the channel: the channel sees an exception only if Rasa lets one out,
and Rasa swallows the action server's failures; and only the processor can stop the turn before
its half is saved. Exceptions in Rasa's own built-in actions are still handled by Rasa.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any, List, Optional

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.exceptions import RasaException

from patches import install

_original_run = RemoteAction.run
_original_run_action = MessageProcessor._run_action
_original_handle_message = MessageProcessor.handle_message


class TurnFailed(RasaException):
    """A part behind the channel failed during this turn; the turn was not saved.

    The message names the part and the kind of error, never the parent's text or sender id."""


@dataclass
class _Turn:
    failure: Optional[str] = None


_current_turn: contextvars.ContextVar[Optional[_Turn]] = contextvars.ContextVar("advieslijn_turn", default=None)


async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
    """Rasa's `RemoteAction.run`, noting a failure (not a rejection) on the current turn."""
    turn = _current_turn.get()
    if turn is not None and turn.failure:
        raise RasaException(f"Custom action '{self.name()}' not run: {turn.failure}")
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except Exception as error:
        if turn is not None:
            turn.failure = f"the action server failed running '{self.name()}' ({type(error).__name__})"
        raise


async def _run_action(self: MessageProcessor, *args: Any, **kwargs: Any) -> bool:
    """Rasa's `MessageProcessor._run_action`; raises TurnFailed after a failed action server call."""
    should_predict_another_action = await _original_run_action(self, *args, **kwargs)
    turn = _current_turn.get()
    if turn is not None and turn.failure:
        raise TurnFailed(turn.failure)
    return should_predict_another_action


async def handle_message(self: MessageProcessor, message: Any) -> Any:
    """Rasa's `MessageProcessor.handle_message` inside a record of this turn."""
    token = _current_turn.set(_Turn())
    try:
        return await _original_handle_message(self, message)
    finally:
        _current_turn.reset(token)


def _tracker_store_failed(self: FailSafeTrackerStore, error: Exception) -> None:
    """`FailSafeTrackerStore`'s error callbacks: fail the turn instead of falling back to memory."""
    store = type(getattr(self, "_tracker_store", None)).__name__
    raise TurnFailed(f"the tracker store ({store}) failed ({type(error).__name__})") from error


def apply() -> None:
    """Install the four replacements (idempotent; only on the Rasa version the patches target)."""
    install(RemoteAction, "run", run, __name__)
    install(MessageProcessor, "_run_action", _run_action, __name__)
    install(MessageProcessor, "handle_message", handle_message, __name__)
    install(FailSafeTrackerStore, "on_tracker_store_error", _tracker_store_failed, __name__)
    install(FailSafeTrackerStore, "on_tracker_store_retrieve_error", _tracker_store_failed, __name__)


def is_applied() -> bool:
    return (
        RemoteAction.run is run
        and MessageProcessor._run_action is _run_action
        and MessageProcessor.handle_message is handle_message
        and FailSafeTrackerStore.on_tracker_store_error is _tracker_store_failed
        and FailSafeTrackerStore.on_tracker_store_retrieve_error is _tracker_store_failed
    )
