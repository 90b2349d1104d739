"""The bot's side of the staff store: save a finished triage under a code, read the line's
closures for the hand-off, count the parent's feedback, keep a redacted fallback message. Each
fails soft: when the database cannot be reached the parent still gets the advice (without a
code) and the normal hand-off.

The store is shared by every replica (PostgreSQL in the scaled topology), so a closure a volunteer
sets shows at the next hand-off on every replica: nothing here is cached.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from datetime import date, datetime, timedelta
from typing import Any, Dict, Mapping, Optional
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from actions.decision import answers_from_slots, decide
from store import closures, codes, fallbacks, insight, retention
from store.db import open_store
from store.triage_records import save_triage

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_engine: Optional[Engine] = None
_last_purge: Optional[datetime] = None
_background: set = set()


def engine() -> Engine:
    """One engine per process, on an up-to-date schema (ADVIESLIJN_STORE_URL)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = open_store()
        return _engine


def _purge_hourly(now: datetime) -> None:
    """Retention runs by itself in the action server too: at most once an hour, on a save."""
    global _last_purge
    if _last_purge is not None and now - _last_purge < timedelta(hours=1):
        return
    _last_purge = now
    retention.purge(engine(), now)


def store_triage_code(slots: Mapping[str, Any], outcome: str, now: datetime) -> Optional[str]:
    """Save the structured answers, the outcome the parent was given (the `advice_outcome` value)
    and the table's reason; returns the code as shown ('K7F-3QX'), or None."""
    answers = answers_from_slots(slots)
    advice = decide(answers)
    stored = {
        key: value for key, value in dataclasses.asdict(answers).items() if key != "unknown" and value is not None
    }
    if answers.unknown:  # "weet ik niet" answers, under their slot's name as a list (JSON has no sets)
        stored["unknown_answers"] = sorted(answers.unknown)
    try:
        code = save_triage(engine(), stored, outcome, advice.reason.value if advice else "", now)
        if answers.situation:
            insight.count(engine(), now, "situation", answers.situation)
        insight.count(engine(), now, "outcome", outcome)
        _purge_hourly(now)
    except Exception as error:  # the advice matters more than the code
        logger.warning("staff store: could not save a triage code (%s)", type(error).__name__)
        return None
    return codes.display(code)


def count_once(kind: str, name: str, now: datetime) -> None:
    """Add one to an insight counter that only an action can count once per conversation (the
    parent's feedback, which the action guards with a slot); a store that is down loses it."""
    try:
        insight.count(engine(), now, kind, name)
    except Exception as error:
        logger.warning("staff store: could not count %s (%s)", kind, type(error).__name__)


def closed_days(now: datetime, timezone: str) -> Dict[date, str]:
    """Days from today (in `timezone`) on which a volunteer closed the line, with the reason."""
    try:
        return closures.closed_days(engine(), now.astimezone(ZoneInfo(timezone)).date())
    except Exception as error:
        logger.warning("staff store: could not read line closures (%s)", type(error).__name__)
        return {}


def keep_fallback(text: Optional[str], now: datetime) -> None:
    """Store the message redacted, in the background, when ADVIESLIJN_STORE_FALLBACKS allows it.

    The action server refuses to start with a value that is neither on nor off (actions/server.py),
    so a bad value cannot normally reach this. The one kept fall-back: if it does (the actions run
    in a process that was started another way, e.g. `rasa run actions`), nothing is kept and the
    reason is logged, instead of raising. Raising here would fail the parent's turn (the service
    message instead of the answer to "I did not understand"), and keeping nothing is the privacy-safe
    reading of a value nobody can read."""
    if not text:
        return
    try:
        if not fallbacks.enabled():
            return
    except ValueError as problem:  # names the setting and its value, nothing of the parent's
        logger.error("staff store: keeping no fallback messages: %s", problem)
        return

    def store() -> None:
        try:
            fallbacks.store_fallback(engine(), text, now)
        except Exception as error:
            logger.warning("staff store: could not keep a fallback message (%s)", type(error).__name__)

    task = asyncio.get_running_loop().run_in_executor(None, store)
    _background.add(task)
    task.add_done_callback(_background.discard)
