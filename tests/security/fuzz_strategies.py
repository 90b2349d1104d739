"""Hypothesis strategies and settings shared by the channel fuzz tests (REST and socket.io)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Floats without NaN: a NaN in JSON is not valid JSON for the clients either.
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=60)
# Any JSON value: what a client may put where the channel expects a string.
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def fuzz_settings(examples: int) -> settings:
    """The same payloads in every run (a failure can be replayed), no deadline on real servers."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
