"""Read how long a child has been at home from a parent's Dutch words, and say a duration back.

"6 weken", "zes wk", "een week of vijf", "anderhalve maand", "een half jaar", "sinds 1 oktober",
"sinds begin oktober": pure functions that never read the clock (``today`` is passed in). School
holidays ("sinds de herfstvakantie") are read by actions/school_calendar.py.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Callable, Iterable, Mapping, Optional, Tuple

from actions.parsing import normalize

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
