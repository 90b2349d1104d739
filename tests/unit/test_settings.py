"""store/settings.py: the one reading of on/off switches and whole-number settings, and the operator
error for a value it does not take (the setting's name and what it takes)."""

from __future__ import annotations

import pytest

from store.settings import OFF_WORDS, ON_WORDS, is_off, switch_setting, whole_number_setting

NAME = "ADVIESLIJN_SOME_SWITCH"


@pytest.mark.parametrize("value", ["0", "off", "OFF", " false ", "No", "nee", "Nee\n"])
def test_off_words(value: str) -> None:
    assert is_off(value)
    assert switch_setting(NAME, True, {NAME: value}) is False


@pytest.mark.parametrize("value", ["1", "on", "True", " yes ", "JA"])
def test_on_words(value: str) -> None:
    assert not is_off(value)
    assert switch_setting(NAME, False, {NAME: value}) is True


@pytest.mark.parametrize("default", [True, False])
def test_unset_or_empty_gives_the_default(default: bool) -> None:
    assert switch_setting(NAME, default, {}) is default
    assert switch_setting(NAME, default, {NAME: "  "}) is default


@pytest.mark.parametrize("value", ["maybe", "2", "uit", "aan", "y", "of"])
def test_anything_else_is_refused_with_the_name_and_the_words(value: str) -> None:
    assert not is_off(value)
    with pytest.raises(ValueError) as refused:
        switch_setting(NAME, True, {NAME: value})
    message = str(refused.value)
    assert message.startswith(f"{NAME}={value!r}: ")
    assert all(word in message for word in OFF_WORDS + ON_WORDS)


def test_the_process_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "nee")
    assert switch_setting(NAME, True) is False
    monkeypatch.delenv(NAME)
    assert switch_setting(NAME, True) is True


@pytest.mark.parametrize("value, expected", [("", 30), ("7", 7), (" 12 ", 12)])
def test_whole_numbers(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv(NAME, value)
    assert whole_number_setting(NAME, 30) == expected


@pytest.mark.parametrize("value", ["0", "-3", "dertig", "1.5"])
def test_a_bad_whole_number_names_the_setting(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ValueError, match=f"^{NAME}='{value}': needs a whole number, at least 1$"):
        whole_number_setting(NAME, 30)
