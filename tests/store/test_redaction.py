"""Redaction of fallback messages with deduce and our own pass (real deduce, its real lookup lists)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from store import fallbacks
from store.redaction import own_pass, redact
from store.schema import fallback_messages

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
# A parent's free text with a name, a phone number, an e-mail address, an address, a BSN, a date
# of birth and a school name; PERSONAL lists what must not survive.
MESSAGE = ("Ik ben Fatima el Amrani, mijn zoon Mohammed zit al weken thuis. Bel me op +31 6 1234 5678 "
           "of 0612345678, mail fatima.elamrani@gmail.com. We wonen aan de Kerkstraat 12, 3811 AB "
           "Amersfoort. Zijn BSN is 123456782, geboren 03-04-2016, hij zat op basisschool De Regenboog.")
PERSONAL = ["Fatima", "Amrani", "Mohammed", "1234", "5678", "0612345678", "gmail", "elamrani", "Kerkstraat",
            "3811", "Amersfoort", "123456782", "03-04-2016", "Regenboog"]


def test_redact_removes_every_personal_detail() -> None:
    redacted = redact(MESSAGE)
    assert [word for word in PERSONAL if word.lower() in redacted.lower()] == []
    assert "zit al weken thuis" in redacted  # what the message is about stays readable


@pytest.mark.parametrize("text, placeholder", [
    ("mail a.b@x.nl", "[EMAILADRES]"), ("bel +31 6 1234 5678", "[NUMMER]"), ("postcode 3811AB", "[POSTCODE]"),
    ("de Kastanjeschool", "[SCHOOL]"), ("op school Het Baken", "[SCHOOL]"), ("geboren 3/4/2016", "[DATUM]"),
])
def test_own_pass(text: str, placeholder: str) -> None:
    assert placeholder in own_pass(text)


def test_only_redacted_text_reaches_the_table(store) -> None:
    fallbacks.store_fallback(store, MESSAGE, NOW)
    with store.connect() as connection:
        stored = " ".join(str(value) for row in connection.execute(fallback_messages.select()) for value in row)
    assert [word for word in PERSONAL if word.lower() in stored.lower()] == []


def test_switch() -> None:
    assert fallbacks.enabled({}) and not fallbacks.enabled({fallbacks.ENABLED_ENV: "off"})
    assert fallbacks.enabled({fallbacks.ENABLED_ENV: "ja"}) and not fallbacks.enabled({fallbacks.ENABLED_ENV: "Nee"})
    with pytest.raises(ValueError, match="^ADVIESLIJN_STORE_FALLBACKS='maybe': not an on or off word; allowed: on"):
        fallbacks.enabled({fallbacks.ENABLED_ENV: "maybe"})


@pytest.mark.parametrize("text, name_parts", [
    ("mijn dochter emma en haar broer daan zitten thuis", ["emma", "daan"]),
    ("je kunt jan de vries bellen", ["jan", "vries"]),
    ("mijn zoon heet mohammed el amrani, hij is 9", ["mohammed", "amrani"]),
    ("bel sophie van den berg morgen", ["sophie", "berg"]),
])
def test_lowercase_names_are_redacted(text: str, name_parts: list) -> None:
    redacted = redact(text)
    assert "[PERSOON]" in redacted
    assert [part for part in name_parts if part in redacted.lower()] == []


@pytest.mark.parametrize("text", [
    "ik ben de moeder en ik wil hulp",
    "hee hoi, ik heb een vraag over het opp van mijn kind",
    "hij is van school gestuurd en zit nu thuis",
])
def test_ordinary_lowercase_words_stay(text: str) -> None:
    assert redact(text) == text
