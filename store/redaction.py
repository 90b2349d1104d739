"""Redaction of personal data before a fallback message is stored: deduce, then our own pass.

deduce 3.0.4 (the newest release whose pins fit Rasa 3.6's regex<2022.11) finds names, places,
streets, dates, BSN, phone numbers and e-mail addresses. Its wheel lacks the base_config.json it
reads at start, so scripts/setup.sh fetches it from deduce's own sdist on PyPI into
.venv/share/deduce/ (store/deduce_setup.py) and builds deduce's lookup cache once.
Our pass after it removes what deduce let through in tests: international phone numbers with
spaces, any other run of 6+ digits, e-mail addresses, postcodes, and school names
("school De Regenboog", "Kastanjeschool"). Lowercase first names ("emma") are a known gap.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Optional

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


def redact(text: str) -> str:
    """`text` with personal data replaced by placeholders such as [PERSOON-1] and [NUMMER].

    Slow the first time in a process (deduce loads its lookup lists): call it off the event loop.
    """
    return own_pass(_load_deduce().deidentify(text).deidentified_text)
