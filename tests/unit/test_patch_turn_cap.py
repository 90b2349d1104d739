"""patches.turn_cap: the limit comes from ADVIESLIJN_MAX_TURNS; the behaviour itself (the notice,
then a fresh session) is tested on the real servers in tests/integration/test_resilience.py."""

from __future__ import annotations

import pytest

import patches
from patches import turn_cap

patches.apply_all()


def test_the_patch_is_applied_by_apply_all() -> None:
    assert turn_cap.is_applied()


@pytest.mark.parametrize("value, limit", [("", 200), ("12", 12), (" 7 ", 7), ("1", 1)])
def test_the_limit_comes_from_the_environment(monkeypatch, value: str, limit: int) -> None:
    monkeypatch.setenv(turn_cap.MAX_TURNS_ENV, value)
    assert turn_cap.max_turns() == limit


@pytest.mark.parametrize("value", ["0", "-3", "veel", "2.5"])
def test_a_bad_limit_is_refused_not_guessed(monkeypatch, value: str) -> None:
    # `python -m patches` refuses to start with it (tests/integration/test_settings_at_start.py).
    monkeypatch.setenv(turn_cap.MAX_TURNS_ENV, value)
    with pytest.raises(ValueError, match=f"^ADVIESLIJN_MAX_TURNS='{value}': .*; allowed: a whole number"):
        turn_cap.max_turns()


def test_the_notice_is_a_response_of_the_domain() -> None:
    from tests.rasa_domain import domain_dict

    assert domain_dict()["responses"][turn_cap.RESTARTED_RESPONSE][0]["text"]
