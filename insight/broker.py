"""An event broker for Rasa that turns events into anonymous counts (store.insight).

Configured in endpoints.yml:

    event_broker:
      type: insight.broker.InsightEventBroker
      url: postgresql+psycopg2://...   # optional; default ADVIESLIJN_STORE_URL or the SQLite file
      flush_seconds: 10                # optional

From each event it keeps only its kind, an intent/outcome/situation name and the hour. Text,
sender id, entities, metadata and exact times are dropped in `counts_of` and never leave it.
`publish` only adds to counters in memory (it runs on Rasa's event loop); a thread writes them to
the store every `flush_seconds` and at close.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine import Engine

from store import insight
from store.db import hour_of, open_store

logger = logging.getLogger(__name__)
FALLBACK_ACTION = "action_fallback"
CRISIS_ACTION = "action_crisis_help"
# The situation and the outcome are counted once per finished triage by the action that stores it
# (actions/staff_store.py), not from slot events: a slot is set more than once in a conversation,
# and the history window (patches/history_window.py) stores a compacted tracker whose snapshot
# events Rasa streams again. Feedback (kinds feedback and feedback_reason) is counted the same way,
# once per conversation, by actions/feedback_actions.py: counted here from the intents
# feedback_helped/feedback_not_helped, a second click would count twice and a plain "ja" right
# after the question not at all. Those intents are still counted here as kind "intent".
HANDOFF_RESPONSES = {"utter_handoff_open": "open", "utter_handoff_closing_soon": "open",
                     "utter_handoff_closed": "closed", "utter_handoff_closed_today": "closed"}
Key = Tuple[datetime, str, str]


def counts_of(event: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The (kind, name) pairs one Rasa event adds to; [] for everything else."""
    kind = event.get("event")
    if kind == "session_started":
        return [("conversation", "")]
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        return [("intent", str(intent)[:64])]
    if kind == "action" and event.get("name") == FALLBACK_ACTION:
        return [("fallback", "")]
    if kind == "action" and event.get("name") == CRISIS_ACTION:
        return [("crisis", "")]
    if kind == "bot":
        response = (event.get("metadata") or {}).get("utter_action")
        if response in HANDOFF_RESPONSES:
            return [("handoff", HANDOFF_RESPONSES[response])]
    return []


def hour_of_event(event: Dict[str, Any]) -> datetime:
    timestamp = event.get("timestamp")
    if isinstance(timestamp, (int, float)):
        return hour_of(datetime.fromtimestamp(timestamp, timezone.utc))
    return hour_of(datetime.now(timezone.utc))


class InsightEventBroker(EventBroker):
    def __init__(self, engine: Engine, flush_seconds: float = 10.0) -> None:
        self._engine = engine
        self._pending: Counter = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._flush_seconds = flush_seconds
        self._thread = threading.Thread(target=self._run, name="insight-flush", daemon=True)
        self._thread.start()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[Any] = None
    ) -> "InsightEventBroker":
        url = broker_config.url if broker_config and broker_config.url else None
        flush = float((broker_config.kwargs or {}).get("flush_seconds", 10)) if broker_config else 10.0
        return cls(open_store(url), flush)

    def publish(self, event: Dict[str, Any]) -> None:
        pairs = counts_of(event)
        if not pairs:
            return
        hour = hour_of_event(event)
        with self._lock:
            for kind, name in pairs:
                self._pending[(hour, kind, name)] += 1

    def flush(self) -> None:
        """Write the pending counts; on failure they are kept for the next round."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
        while pending:
            (hour, kind, name), amount = next(iter(pending.items()))
            try:
                insight.count(self._engine, hour, kind, name, amount)
            except Exception:
                logger.exception("insight: could not write counts; retrying later")
                with self._lock:
                    self._pending.update(pending)
                return
            del pending[(hour, kind, name)]

    def _run(self) -> None:
        while not self._stop.wait(self._flush_seconds):
            self.flush()

    async def close(self) -> None:
        self._stop.set()
        self.flush()
