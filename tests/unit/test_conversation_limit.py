"""The per-conversation message limit (channels/conversation_limit.py) on an injected clock."""

from __future__ import annotations

import pytest

from channels.conversation_limit import (
    BURST_ENV,
    DEFAULT_BURST,
    DEFAULT_PER_MINUTE,
    RATE_ENV,
    ConversationLimiter,
    limiter_from_env,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_per_refill_and_other_conversations_apart() -> None:
    clock = Clock()
    limiter = ConversationLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "another conversation has its own bucket"
    clock.now += 0.5
    assert not limiter.allow("a"), "half a second gives half a message"
    clock.now += 0.5
    assert limiter.allow("a") and not limiter.allow("a")
    clock.now += 3600
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False], "never more than the burst"


def test_refused_messages_do_not_use_up_tokens() -> None:
    clock = Clock()
    limiter = ConversationLimiter(per_minute=60, burst=1, clock=clock)
    assert limiter.allow("a")
    for _ in range(100):
        assert not limiter.allow("a")
    clock.now += 1.0
    assert limiter.allow("a")


def test_the_least_recently_seen_conversations_are_forgotten_first() -> None:
    clock = Clock()
    limiter = ConversationLimiter(per_minute=60, burst=1, clock=clock, max_tracked=2)
    assert limiter.allow("a") and limiter.allow("b")
    assert not limiter.allow("a")  # "a" is now the most recent, "b" the oldest
    assert limiter.allow("c") and len(limiter) == 2
    assert limiter.allow("b"), "b was forgotten, so it starts with a full bucket"
    assert not limiter.allow("c")


def test_a_refusal_is_logged_at_most_once_a_minute() -> None:
    clock = Clock()
    limiter = ConversationLimiter(per_minute=60, burst=1, clock=clock)
    assert limiter.log_due() and not limiter.log_due()
    clock.now += 61
    assert limiter.log_due()


def test_settings() -> None:
    default = limiter_from_env({})
    assert default is not None and default.burst == DEFAULT_BURST and default.per_second == DEFAULT_PER_MINUTE / 60
    tuned = limiter_from_env({RATE_ENV: "6", BURST_ENV: "2"})
    assert tuned is not None and tuned.burst == 2 and tuned.per_second == pytest.approx(0.1)
    assert limiter_from_env({RATE_ENV: "off"}) is None and limiter_from_env({RATE_ENV: "0"}) is None
    assert limiter_from_env({RATE_ENV: " Nee "}) is None  # every off word of store/settings.py
    for bad in ({RATE_ENV: "veel"}, {BURST_ENV: "0"}, {RATE_ENV: "-5"}):
        with pytest.raises(ValueError, match="ADVIESLIJN_MESSAGES"):
            limiter_from_env(bad)
    with pytest.raises(ValueError, match=r"^ADVIESLIJN_MESSAGES_PER_MINUTE='maybe': .*or off \(0, off, false, no, nee\) \(unset: 60\)$"):
        limiter_from_env({RATE_ENV: "maybe"})
    with pytest.raises(ValueError) as burst:
        limiter_from_env({BURST_ENV: "off"})  # the burst has no off
    assert "ADVIESLIJN_MESSAGES_BURST='off'" in str(burst.value) and "or off" not in str(burst.value)
