"""Redaction of personal data before a fallback message is stored: deduce, then our own pass.

deduce 3.0.4 (the newest release whose pins fit Rasa 3.6's regex<2022.11) finds names, places,
streets, dates, BSN, phone numbers and e-mail addresses. Its wheel lacks the base_config.json it
reads at start, so scripts/setup.sh fetches it from deduce's own sdist on PyPI into
.venv/share/deduce/ (store/deduce_setup.py) and builds deduce's lookup cache once.
Our pass after it removes what deduce let through in tests: international phone numbers with
spaces, any other run of 6+ digits, e-mail addresses, postcodes, and school names
("school De Regenboog", "Kastanjeschool"), and names typed in lowercase ("mijn dochter emma",
"bel jan de vries"), which deduce only finds with a capital: a lowercase word whose capitalised form
is in deduce's own first-name list, and is not one of deduce's ordinary words, becomes [PERSOON],
with a surname from deduce's surname list right after it.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Dict, FrozenSet, Optional

DEDUCE_CONFIG = Path(__file__).resolve().parent.parent / ".venv" / "share" / "deduce" / "base_config.json"

_OWN_RULES = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[EMAILADRES]"),
    (re.compile(r"\+?\d[\d\s().-]{4,}\d"), "[NUMMER]"),
    (re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b"), "[POSTCODE]"),
    (re.compile(r"\b(?:basisschool|school|college|lyceum|academie|kindcentrum|ikc)\s+"
                r"(?:(?:de|het|'t|De|Het)\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"), "[SCHOOL]"),
    (re.compile(r"\b[A-Z][\w'-]*(?:school|college|lyceum|academie)\b"), "[SCHOOL]"),
    (re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"), "[DATUM]"),
]

# Chat words that deduce's first-name list also holds (Hee, Hai) and Dutch words from our own
# training data that it holds too; never redacted.
NOT_NAMES = frozenset({"hee", "hai", "hoi", "koop", "kader", "joke"})
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_INTERFIXES = ("van der", "van den", "van de", "van", "de", "den", "der", "ter", "ten", "el", "al", "le")

_lock = threading.Lock()
_deduce: Optional[Any] = None


def _load_deduce() -> Any:
    global _deduce
    with _lock:
        if _deduce is None:
            import deduce

            if not DEDUCE_CONFIG.exists():
                raise RuntimeError(f"{DEDUCE_CONFIG} is missing: run `make install` (scripts/setup.sh)")
            _deduce = deduce.Deduce(load_base_config=False, config=str(DEDUCE_CONFIG))
        return _deduce


def own_pass(text: str) -> str:
    """Our rules alone (also run after deduce)."""
    for pattern, placeholder in _OWN_RULES:
        text = pattern.sub(placeholder, text)
    return text


_ordinary: Dict[int, FrozenSet[str]] = {}


def _ordinary_words(lookups: Any) -> FrozenSet[str]:
    """deduce's own lists of ordinary words (whitelist, common words, stop words) plus NOT_NAMES."""
    if id(lookups) not in _ordinary:
        words = set(NOT_NAMES)
        for name in ("whitelist", "common_word", "stop_word", "medical_term"):
            words.update(lookups[name].items())
        _ordinary[id(lookups)] = frozenset(words)
    return _ordinary[id(lookups)]


def lowercase_names(text: str, lookups: Any) -> str:
    """Lowercase first names (and a surname right after one) replaced by [PERSOON]."""
    first_names, surnames = lookups["first_name"], lookups["surname"]
    ordinary = _ordinary_words(lookups)

    def is_first_name(word: str) -> bool:
        return (word.islower() and len(word) > 2 and word not in ordinary
                and first_names.longest_matching_prefix([word.capitalize()]) is not None)

    def surname_after(rest: str) -> int:
        """Length of a surname at the start of `rest` (after a first name), else 0."""
        for interfix in _INTERFIXES:
            follow = re.match(rf"\s+{interfix}\s+([^\W\d_]+)", rest)
            # after "van der"/"van den"/"van de" any word is the surname ("van den berg")
            if follow and (" " in interfix or follow.group(1).lower() not in ordinary):
                return follow.end()
        follow = re.match(r"\s+([^\W\d_]+)", rest)
        if follow and follow.group(1).lower() not in ordinary and \
                surnames.longest_matching_prefix([follow.group(1).capitalize()]) is not None:
            return follow.end()
        return 0

    out, position = [], 0
    for match in _WORD.finditer(text):
        if match.start() >= position and is_first_name(match.group()):
            out.append(text[position:match.start()] + "[PERSOON]")
            position = match.end() + surname_after(text[match.end():])
    return "".join(out) + text[position:]


def redact(text: str) -> str:
    """`text` with personal data replaced by placeholders such as [PERSOON-1] and [NUMMER].

    Slow the first time in a process (deduce loads its lookup lists): call it off the event loop.
    """
    deducer = _load_deduce()
    return own_pass(lowercase_names(deducer.deidentify(text).deidentified_text, deducer.lookup_structs))
