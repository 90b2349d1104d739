"""Unit tests for actions/clock.py: the injected clock and ADVIESLIJN_FIXED_NOW."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from actions.clock import FIXED_NOW_ENV, clock_from_env, fixed_clock, system_clock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_variable_name() -> None:
    assert FIXED_NOW_ENV == "ADVIESLIJN_FIXED_NOW"


def test_system_clock_is_aware_and_current() -> None:
    before = datetime.now(timezone.utc)
    now = system_clock()
    after = datetime.now(timezone.utc)
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert before <= now <= after


@pytest.mark.parametrize("environ", [{}, {FIXED_NOW_ENV: ""}, {FIXED_NOW_ENV: "   "}, {"OTHER": "2026-12-01T10:30:00+01:00"}])
def test_without_the_variable_the_system_clock_is_used(environ: dict) -> None:
    assert clock_from_env(environ) is system_clock


def test_fixed_now_from_the_environment() -> None:
    clock = clock_from_env({FIXED_NOW_ENV: "2026-12-01T10:30:00+01:00"})
    moment = clock()
    assert moment == datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)
    assert moment.utcoffset() == timedelta(hours=1)
    # The same moment every time.
    assert clock() == moment


def test_fixed_now_in_utc_and_with_spaces() -> None:
    clock = clock_from_env({FIXED_NOW_ENV: "  2026-07-01T08:00:00+00:00 "})
    assert clock() == datetime(2026, 7, 1, 10, 0, tzinfo=AMSTERDAM)  # summer time: UTC+2


def test_naive_fixed_now_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        clock_from_env({FIXED_NOW_ENV: "2026-12-01T10:30:00"})


@pytest.mark.parametrize("value", ["morgen om tien", "2026-13-01T10:30:00+01:00", "10:30", "now"])
def test_garbage_fixed_now_names_the_variable(value: str) -> None:
    with pytest.raises(ValueError) as error:
        clock_from_env({FIXED_NOW_ENV: value})
    assert FIXED_NOW_ENV in str(error.value)
    assert repr(value) in str(error.value)


def test_os_environ_is_read_when_no_mapping_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FIXED_NOW_ENV, "2026-12-04T13:30:00+01:00")
    assert clock_from_env()() == datetime(2026, 12, 4, 13, 30, tzinfo=AMSTERDAM)
    monkeypatch.delenv(FIXED_NOW_ENV)
    assert clock_from_env() is system_clock


def test_fixed_clock_returns_its_moment() -> None:
    moment = datetime(2026, 12, 25, 11, 0, tzinfo=AMSTERDAM)
    clock = fixed_clock(moment)
    assert clock() is moment


def test_fixed_clock_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        fixed_clock(datetime(2026, 12, 1, 10, 30))
