"""Read parents' free-text answers (Dutch): yes/no, "weet ik niet", school type.

Parents often type an answer instead of pressing a button. These small pure functions turn such an
answer into a slot value, or return None when the answer is unclear, so the bot can ask again with
buttons instead of guessing. Durations (weeks at home) are read by actions/durations.py.

All functions first normalise the text: lower case, accents removed ("één" -> "een"), typographic
apostrophes made straight and whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Set, Tuple

# --- Normalising --------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower-case ``text``, strip accents, straighten apostrophes, collapse whitespace.

    "½" becomes " 1/2 " so that "2½ week" reads as "2 1/2 week".
    """
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("\u00bd", " 1/2 "))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(plain.lower().split())


def _words(text: str) -> List[str]:
    return re.findall(r"[a-z0-9']+", text)


# --- "Weet ik niet" -----------------------------------------------------------------------------

_UNKNOWN = re.compile(
    # weet niet, weet ik niet, ik weet het (echt) niet, weet ik eigenlijk nie
    r"\bweet(?:\s+(?:ik|het|echt|eigenlijk|ook|zo|even|helaas|nog|dus|je|we|hij|zij))*\s+niet?\b"
    r"|\bweetikniet\b|\bweetniet\b"
    r"|\bgeen\s+(?:flauw\s+)?(?:idee|benul)\b"
    r"|\b(?:onbekend|idk|dunno|geen\s+flauw|misschien|wellicht|twijfel)\b"
)


def is_unknown_answer(text: str) -> bool:
    """True when the parent says they do not know ("weet ik niet", "geen idee", "misschien")."""
    return bool(_UNKNOWN.search(normalize(text)))


# --- Yes / no -----------------------------------------------------------------------------------

_YES_FIRST = re.compile(r"^(?:ja+|jazeker|jawel|jaja|jep|jup|yes|yep|yup)$")
_NO_FIRST = re.compile(r"^(?:nee+|neen|nope|no|nah|nein)$")
_YES_WORDS = frozenset(
    {"klopt", "zeker", "jazeker", "jawel", "inderdaad", "absoluut", "uiteraard", "gedaan", "gehad"}
)
_NEGATIONS = frozenset({"niet", "nie", "nooit", "geen"})
_HEDGES = frozenset(
    {"misschien", "wellicht", "denk", "denken", "geloof", "twijfel", "soms", "deels",
     "gedeeltelijk", "beetje", "half", "mogelijk", "waarschijnlijk"}
)
_QUESTION_WORDS = frozenset({"wat", "hoe", "hoezo", "waarom", "wie", "welke", "welk", "wanneer"})


def parse_yes_no(text: str) -> Optional[bool]:
    """Read a yes/no answer; None when it is unclear.

    Rules, in order:

    1. Empty, "weet ik niet", a hedge ("misschien", "denk het wel", "niet zeker") or a question
       ("wat is een swv?", "hoe bedoel je") -> None.
    2. Starts with a no-word ("nee", "neen", "nope") -> False ("nee hoor", "nee, nog geen contact").
    3. Starts with a yes-word ("ja", "jawel", "jep") -> True, unless a negation follows ("ja, maar
       niet met het bestuur" is mixed -> None).
    4. A negation anywhere ("nog niet", "helaas niet", "nooit", "zeker niet") -> False.
    5. A yes-word anywhere ("klopt", "zeker", "al gedaan", "hebben we al gehad") -> True.
    6. Otherwise None.
    """
    clean = normalize(text)
    words = _words(clean)
    if not words or is_unknown_answer(clean) or clean.endswith("?"):
        return None
    if words[0] in _QUESTION_WORDS or _HEDGES.intersection(words) or "niet zeker" in clean:
        return None
    negated = bool(_NEGATIONS.intersection(words))
    if _NO_FIRST.match(words[0]):
        return False
    if _YES_FIRST.match(words[0]):
        return None if negated else True
    if negated:
        return False
    if _YES_WORDS.intersection(words):
        return True
    return None


# --- School type --------------------------------------------------------------------------------

SCHOOL_TYPES: Tuple[str, ...] = ("po", "vo", "so", "mbo", "ho")

# Checked in this order; a match is blanked out before the next pattern runs, so the more specific
# phrase wins: "speciaal voortgezet onderwijs" is so (not vo), "speciaal basisonderwijs" is po (not
# so), "middelbaar beroepsonderwijs" is mbo (not vo).
_SCHOOL_PATTERNS: Tuple[Tuple[str, str], ...] = (
    ("so", r"speciaal\s+voortgezet\s+onderwijs|\(v\)\s*so|v\(so\)|vso"),
    ("po", r"speciaal\s+basis\s*onderwijs|sbo|sbao"),
    ("so", r"speciaal\s+onderwijs|speciale\s+school|so|cluster\s*-?\s*[1-4](?:\s*-?\s*school)?"
           r"|clusterschool|mytylschool|tyltylschool"),
    ("mbo", r"middelbaar\s+beroeps\s*onderwijs|mbo(?:\s*-?\s*[1-4])?|roc|entree(?:\s*opleiding)?"),
    ("ho", r"hoger\s+(?:beroeps\s*)?onderwijs|wetenschappelijk\s+onderwijs|hbo|hoge\s*school"
           r"|universiteit|uni|wo"),
    ("po", r"bass?is\s*s?cho+l|basis\s*onderwijs|primair\s+onderwijs|po|kleuter\w*"
           r"|groep\s*(?:[1-8]|een|twee|drie|vier|vijf|zes|zeven|acht)"),
    ("vo", r"midd?elbaa?re?(?:\s+school)?|voortgezet(?:\s+onderwijs)?|vo|brugklas\w*"
           r"|vmbo(?:-?\w+)?|mavo|havo|vwo|gymnasium|atheneum|lyceum|praktijkonderwijs|pro|lwoo"),
)
_SCHOOL_REGEXES: Tuple[Tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")) for kind, pattern in _SCHOOL_PATTERNS
)


def parse_school_type(text: str) -> Optional[str]:
    """The school type a parent names: "po", "vo", "so", "mbo" or "ho"; None if none or unclear.

    Matching is case-insensitive on whole words, with a few cheap typo variants ("basischool",
    "midelbare"). "klas 2" alone is not enough (primary and secondary both have it); "2e klas van
    de middelbare" is vo through "middelbare". Speciaal basisonderwijs (sbo) counts as po.

    When the text names two different types ("van de basisschool naar het vo", "eerst so, nu
    vmbo") the result is None: the bot cannot tell which one the question is about, so it asks
    again with buttons.
    """
    remaining = normalize(text)
    if remaining == "ho":  # the code alone (a typed button label); in a sentence "ho" is "stop"
        return "ho"
    found: Set[str] = set()
    for kind, regex in _SCHOOL_REGEXES:
        if regex.search(remaining):
            found.add(kind)
            remaining = regex.sub(" ", remaining)
    return found.pop() if len(found) == 1 else None
