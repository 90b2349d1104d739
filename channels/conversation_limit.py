"""A per-conversation message limit inside the Rasa process (both input channels).

nginx limits requests per client address and per socket.io session id in the URL (deploy/
nginx.conf), but it cannot see a REST body's sender, and one websocket carries any number of
messages. This limit counts a conversation's messages where the conversation is known: in the
channel, before Rasa reads the message. Over the limit the parent gets ``utter_slow_down``, the same
text nginx sends, and the message is not handled.

A token bucket per conversation: ``burst`` messages at once, then ``per_minute`` a minute. The
defaults (a burst of 30, then one a second) are far above what a person types or clicks, and keep a
script from holding a replica busy with one conversation. (nginx's per-client limit, a burst of 20
at 5 a second, comes first for REST through nginx.) The counts live in this process only
(each replica counts its own), for at most ``MAX_TRACKED`` conversations (the least recently seen
are forgotten first), and hold nothing but the conversation id and two numbers.

Settings: ``ADVIESLIJN_MESSAGES_PER_MINUTE`` (default 60; ``0``, ``off`` or another off word of
store/settings.py switches the limit off)
and ``ADVIESLIJN_MESSAGES_BURST`` (default 30), both read by store/known_settings.py. Tests and benchmarks that drive one conversation
for hundreds of turns switch it off; everything else runs with the defaults.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Mapping, Optional, Tuple

from store.known_settings import MESSAGES_BURST, MESSAGES_PER_MINUTE

RATE_ENV = MESSAGES_PER_MINUTE.name
BURST_ENV = MESSAGES_BURST.name
DEFAULT_PER_MINUTE = MESSAGES_PER_MINUTE.default
DEFAULT_BURST = MESSAGES_BURST.default
MAX_TRACKED = 100_000
SLOW_DOWN_RESPONSE = "utter_slow_down"


class ConversationLimiter:
    """Token buckets keyed by conversation id; ``allow`` takes one token or says no."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_tracked: int = MAX_TRACKED) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be above 0 and burst at least 1")
        self.per_second = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._max_tracked = max_tracked
        self._buckets: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()  # id -> (tokens, when)
        self._lock = threading.Lock()
        self._last_log = float("-inf")

    def allow(self, conversation_id: str) -> bool:
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.pop(conversation_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.per_second)
            allowed = tokens >= 1.0
            self._buckets[conversation_id] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self._max_tracked:
                self._buckets.popitem(last=False)
            return allowed

    def log_due(self) -> bool:
        """True at most once a minute: a refusal is logged, not every one under a flood."""
        now = self._clock()
        with self._lock:
            if now - self._last_log < 60.0:
                return False
            self._last_log = now
            return True

    def __len__(self) -> int:
        return len(self._buckets)


def limiter_from_env(environ: Optional[Mapping[str, str]] = None) -> Optional[ConversationLimiter]:
    """The limiter the settings ask for; None when switched off.

    Raises:
        ValueError: naming the setting, for a value that is not a number.
    """
    per_minute = MESSAGES_PER_MINUTE.value(environ)
    if per_minute is None:
        return None
    return ConversationLimiter(per_minute, MESSAGES_BURST.value(environ))
