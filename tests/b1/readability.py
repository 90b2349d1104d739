"""Dutch readability of a bot text (pure): Flesch-Douma, sentence length, jargon, banned names.

Flesch-Douma = 206.835 - 0.93 * (words per sentence) - 77 * (syllables per word), with syllables
from pyphen's nl_NL hyphenation dictionary. URLs, e-mail addresses and phone numbers are read as
one plain word ("website", "nummer"): a parent does not read them syllable by syllable. A new
line ends a sentence (summary lines have no full stop).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, List, Mapping, Sequence

import pyphen

URL = re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?)]?(?:\s|$))|\b[\w.-]+@[\w.-]+\.\w+")
PHONE = re.compile(r"\b\d{3,4}-\d{3}(?: ?\d)*\b|\b\d{2,4}\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['-][A-Za-zÀ-ÿ]+)*")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL", left=1, right=1)


def syllables(word: str) -> int:
    """Syllables of one word: the hyphenation points plus one."""
    return len(_hyphenator().positions(word.lower())) + 1


def plain(text: str) -> str:
    """The text with links and numbers replaced by a plain word."""
    return PHONE.sub("nummer", URL.sub("website", text))


def sentences(text: str) -> List[List[str]]:
    """The words of each sentence."""
    found = [WORD.findall(part) for part in SENTENCE_END.split(plain(text))]
    return [words for words in found if words]


def flesch_douma(text: str) -> float:
    """The Flesch-Douma score (higher is easier; 60 and up is plain language)."""
    parts = sentences(text)
    words = [word for sentence in parts for word in sentence]
    if not words:
        return 100.0
    per_sentence = len(words) / len(parts)
    per_word = sum(syllables(word) for word in words) / len(words)
    return 206.835 - 0.93 * per_sentence - 77 * per_word


@dataclass
class Verdict:
    """The B1 check of one text: its score and every problem found."""

    score: float
    longest_sentence: int
    problems: List[str] = field(default_factory=list)


def check(text: str, extra: str, rules: Mapping[str, Any]) -> Verdict:
    """Check `text` (the message) with `extra` (its button titles, checked for jargon only)."""
    parts = sentences(text)
    longest = max((len(words) for words in parts), default=0)
    verdict = Verdict(flesch_douma(text), longest)
    if verdict.score < rules["min_score"]:
        verdict.problems.append(f"score {verdict.score:.0f} < {rules['min_score']}")
    for words in parts:
        if len(words) > rules["max_sentence_words"]:
            verdict.problems.append(f"sentence of {len(words)} words: {' '.join(words[:8])} ...")
    whole = f"{text}\n{extra}"
    for name, entry in rules["jargon"].items():
        if re.search(entry["pattern"], whole) and not _any(entry["explained_by"], whole):
            verdict.problems.append(f"jargon '{name}' without explanation")
    for entry in rules["banned"]:
        if re.search(entry["pattern"], whole, re.IGNORECASE):
            verdict.problems.append(f"'{entry['pattern']}': use {entry['use']}")
    return verdict


def _any(patterns: Sequence[str], text: str) -> bool:
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns)
