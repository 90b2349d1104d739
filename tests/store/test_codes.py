"""Triage codes: the alphabet, the format, and what happens when a code is taken."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import chain, repeat

import pytest

from store import codes
from store.triage_records import MAX_TRIES, find_triage, save_triage

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=timezone.utc)
LOOK_ALIKES = ["0O", "1IL", "5S", "2Z", "8B"]


def test_alphabet_keeps_at_most_one_of_each_look_alike_group() -> None:
    for group in LOOK_ALIKES:
        assert sum(ch in codes.ALPHABET for ch in group) <= 1, group
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 28
    assert codes.ALPHABET == codes.ALPHABET.upper()


def test_new_codes_use_only_the_alphabet_and_differ() -> None:
    drawn = [codes.new_code() for _ in range(2000)]
    assert all(len(code) == 6 and set(code) <= set(codes.ALPHABET) for code in drawn)
    assert len(set(drawn)) == len(drawn)
    assert set("".join(drawn)) == set(codes.ALPHABET)  # every character is used


def test_display_and_normalize() -> None:
    assert codes.display("K7F3QX") == "K7F-3QX"
    assert codes.normalize("k7f-3qx") == codes.normalize(" K7F 3QX ") == "K7F3QX"
    for bad in ["", "K7F-3Q", "K7F-3QXX", "K0F-3QX", "K7F-3Q!", "SSSSSS"]:
        assert codes.normalize(bad) is None, bad


def test_a_taken_code_is_drawn_again(store) -> None:
    first = save_triage(store, {"school_type": "po"}, "call_advieslijn", "", NOW, draw=lambda: "K7F3QX")
    draws = chain(["K7F3QX", "K7F3QX"], repeat("M4N7PQ"))
    second = save_triage(store, {"school_type": "vo"}, "engage_consultant", "contacts_made", NOW,
                         draw=lambda: next(draws))
    assert (first, second) == ("K7F3QX", "M4N7PQ")
    assert find_triage(store, "K7F-3QX", NOW).answers == {"school_type": "po"}
    assert find_triage(store, "m4n-7pq", NOW).outcome == "engage_consultant"


def test_no_free_code_is_an_error_not_an_overwrite(store) -> None:
    save_triage(store, {}, "call_advieslijn", "", NOW, draw=lambda: "K7F3QX")
    with pytest.raises(RuntimeError, match=f"after {MAX_TRIES} tries"):
        save_triage(store, {"x": 1}, "call_advieslijn", "", NOW, draw=lambda: "K7F3QX")
    assert find_triage(store, "K7F3QX", NOW).answers == {}
