"""Read parents' free-text answers (Dutch): yes/no, "weet ik niet", school type, weeks at home.

Parents often type an answer instead of pressing a button. These small pure functions turn such an
answer into a slot value, or return None when the answer is unclear, so the bot can ask again with
buttons instead of guessing. They never read the clock: ``today`` is passed in.

All functions first normalise the text: lower case, accents removed ("één" -> "een"), typographic
apostrophes made straight and whitespace collapsed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import Callable, Iterable, List, Mapping, Optional, Set, Tuple

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


# --- Weeks at home ------------------------------------------------------------------------------

WEEKS_PER_MONTH = 52 / 12
WEEKS_PER_YEAR = 52.0

_NUMBER_WORDS: Mapping[str, float] = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
    "twintig": 20, "anderhalf": 1.5, "anderhalve": 1.5, "een half": 0.5, "een halve": 0.5,
    "half": 0.5, "halve": 0.5, "1/2": 0.5,
}
# Vague amounts: "een paar weken" is a duration, but not a number.
_VAGUE_WORDS = ("paar", "aantal", "enkele", "meerdere", "vele")

_UNITS: Tuple[Tuple[str, float], ...] = (
    (r"weken|weeken|weekjes?|weke|week|wekn|wkn|wks|wk|weeks", 1.0),
    (r"maanden|maande|maandjes?|maand|mndn|mnden|mnd|months?", WEEKS_PER_MONTH),
    (r"jaren|jaartje|jaar|jr|years?", WEEKS_PER_YEAR),
    (r"dagen|dagjes?|dag|dgn|days?", 1 / 7),
)

_MONTHS: Mapping[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "febuari": 2, "febr": 2, "feb": 2, "maart": 3,
    "mrt": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10,
    "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# "sinds begin/half/eind oktober": which day of the month (0 = the last day).
_MONTH_PARTS: Mapping[str, int] = {
    "begin": 1, "half": 15, "medio": 15, "midden": 15, "eind": 0, "einde": 0,
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so "zeventien" wins over "zeven"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUMBER = rf"-?\d+(?:[.,]\d+)?|{_alternation(_NUMBER_WORDS)}|{_alternation(_VAGUE_WORDS)}"
_HALF = r"\s+en\s+een\s+halve?|\s*enhalve?|\s+1/2"
_UNIT = "|".join(f"(?:{pattern})" for pattern, _ in _UNITS)
_SINCE = r"\b(?:sinds|vanaf|sedert|per|since|from)\s+"

# Not a duration: "3 dagen per week" (part-time school).
_NOT_A_DURATION = r"(?!\s*(?:per|in\s+de|/)\s*(?:week|wk|maand|mnd|jaar))"
# "6 weken", "zes weken", "anderhalve maand", "twee en een halve week", "een paar weken".
_QUANTITY = re.compile(
    rf"(?<!\w)(?P<num>{_NUMBER})(?P<half>{_HALF})?\s*(?P<unit>{_UNIT})\b{_NOT_A_DURATION}"
)
# An age, not a duration: "is 12 jaar", "van 9 jaar", "12 jaar oud".
_AGE_BEFORE = re.compile(r"\b(?:is|van|wordt|werd|ben)\s$")
_AGE_AFTER = re.compile(r"^\s+oud\b")
# "een week of zes": about six weeks.
_ABOUT = re.compile(rf"\b(?:een\s+)?(?P<unit>{_UNIT})\s+of\s+(?P<num>{_NUMBER})\b")
# "sinds 1 oktober", "vanaf 15 sept. 2025", "sinds begin oktober", "sinds september".
_SINCE_NAMED = re.compile(
    rf"{_SINCE}(?:(?P<part>{_alternation(_MONTH_PARTS)})\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:e|ste|de)?\s+)?"
    rf"(?P<month>{_alternation(_MONTHS)})\b\.?(?:\s+(?P<year>\d{{4}})\b)?"
)
# "sinds 01-10", "sinds 1/10/2025", "vanaf 1.10.25".
_SINCE_NUMERIC = re.compile(
    rf"{_SINCE}(?P<day>\d{{1,2}})[-/.](?P<month>\d{{1,2}})(?:[-/.](?P<year>\d{{4}}|\d{{2}}))?\b"
    rf"(?!\s*(?:{_UNIT})\b)"  # "sinds 5-6 weken" is a range of weeks, not 5 June
)
# The whole answer is a number ("6", "al 6", "ongeveer zes"): read as weeks.
_PLAIN_NUMBER = re.compile(
    rf"^(?:(?:al|ongeveer|ruim|bijna|zo'?n|circa|ca)\s+)?"
    rf"(?P<num>\d+(?:[.,]\d+)?|{_alternation(_NUMBER_WORDS)})$"
)


def parse_weeks(text: str, today: date) -> Optional[float]:
    """Weeks the child has been at home, from a free-text duration; None if unknown.

    Understood, whichever comes first in the text:

    * a number and a unit: "6 weken", "zes wk", "al 3 weken", "twee maanden", "anderhalve maand",
      "een half jaar", "10 dagen", "een week of zes". Months count 52/12 weeks, a year 52 weeks,
      a day 1/7 week. In a range ("5 à 6 weken") the last number is used.
    * a start date: "sinds 1 oktober", "vanaf 15 sept", "sinds 01-10", "sinds begin oktober",
      "sinds september" (the first of the month). Without a year the most recent such date on or
      before ``today`` is meant; "sinds 29 februari" goes back to the last leap year.
    * an answer that is only a number ("6", "al zes"): read as weeks, because the bot asked how
      many weeks.

    The result is rounded to one decimal. Vague amounts ("een paar weken", "al maanden"), events
    ("sinds de zomervakantie"), impossible dates ("sinds 31 april") and dates after ``today`` give
    None.
    """
    clean = normalize(text)
    plain = _PLAIN_NUMBER.match(clean.strip(" .!"))
    if plain:
        return _rounded(_number(plain.group("num")))
    matches = [
        (match, read)
        for regex, read in _READERS
        for match in regex.finditer(clean)
        if not _is_age(match, clean)
    ]
    if not matches:
        return None
    match, read = min(matches, key=lambda item: (item[0].start(), -item[0].end()))
    return read(match, today)


def _number(word: str) -> Optional[float]:
    """A number from digits ("6", "1,5", "-3") or a Dutch number word; None for a vague word."""
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _is_age(match: re.Match[str], text: str) -> bool:
    """A number of years that is somebody's age ("mijn zoon is 12 jaar"), not a duration."""
    if match.re is not _QUANTITY or _unit_weeks(match.group("unit")) != WEEKS_PER_YEAR:
        return False
    return bool(_AGE_BEFORE.search(text[: match.start()]) or _AGE_AFTER.match(text[match.end() :]))


def _unit_weeks(unit: str) -> float:
    for pattern, weeks in _UNITS:
        if re.fullmatch(pattern, unit):
            return weeks
    raise ValueError(f"unknown unit {unit!r}")  # unreachable: _UNIT is built from _UNITS


def _rounded(weeks: Optional[float]) -> Optional[float]:
    if weeks is None or weeks < 0:
        return None
    return round(weeks, 1)


def _read_amount(match: re.Match[str], today: date) -> Optional[float]:
    """Weeks from a number and a unit ("zes weken", "een week of zes"); None for a vague amount."""
    amount = _number(match.group("num"))
    if amount is None:
        return None
    if match.groupdict().get("half"):
        amount += 0.5
    return _rounded(amount * _unit_weeks(match.group("unit")))


def _read_since_named(match: re.Match[str], today: date) -> Optional[float]:
    month = _MONTHS[match.group("month")]
    if match.group("day"):
        day = int(match.group("day"))
    else:
        day = _MONTH_PARTS.get(match.group("part") or "begin", 1)
    return _weeks_since(day, month, match.group("year"), today)


def _read_since_numeric(match: re.Match[str], today: date) -> Optional[float]:
    day, month = int(match.group("day")), int(match.group("month"))
    return _weeks_since(day, month, match.group("year"), today)


def _weeks_since(day: int, month: int, year: Optional[str], today: date) -> Optional[float]:
    """Weeks from a start date until ``today``. Day 0 means the last day of the month."""
    if not 1 <= month <= 12:
        return None
    if year is not None:
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        start = _date_or_none(full_year, month, day)
    else:
        start = _most_recent(month, day, today)
    if start is None or start > today:
        return None
    return _rounded((today - start).days / 7)


def _most_recent(month: int, day: int, today: date) -> Optional[date]:
    """The latest valid ``day``-``month`` on or before ``today`` (looks back up to 8 years)."""
    for year in range(today.year, today.year - 9, -1):
        start = _date_or_none(year, month, day)
        if start is not None and start <= today:
            return start
    return None


def _date_or_none(year: int, month: int, day: int) -> Optional[date]:
    if day == 0:
        day = calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


_READERS: Tuple[Tuple[re.Pattern[str], Callable[[re.Match[str], date], Optional[float]]], ...] = (
    (_QUANTITY, _read_amount),
    (_ABOUT, _read_amount),
    (_SINCE_NAMED, _read_since_named),
    (_SINCE_NUMERIC, _read_since_numeric),
)


def format_weeks(weeks: float) -> str:
    """Weeks in Dutch for a summary: "6 weken", "1 week", "ongeveer 9 weken", "minder dan een week".

    Raises:
        ValueError: for a negative number of weeks.
    """
    if weeks < 0:
        raise ValueError(f"weeks must not be negative, got {weeks}")
    if weeks < 1:
        return "minder dan een week"
    whole = int(weeks + 0.5)
    label = "week" if whole == 1 else "weken"
    if abs(weeks - whole) < 1e-9:
        return f"{whole} {label}"
    return f"ongeveer {whole} {label}"
