"""Weeks since a school holiday or the start of the school year, as parents say it (pure).

"Sinds de herfstvakantie", "na de kerstvakantie", "sinds de zomer", "vanaf de meivakantie",
"sinds het begin van het schooljaar": the child has been at home since school started again after
that holiday. The dates differ per region (noord, midden, zuid) and the bot does not know the
region, so the answer is a range: the fewest and the most weeks over the three regions, widened
for periods whose dates are not verified (content/schoolvakanties.yml). The caller decides what
to do with a range that straddles the 4-week line (ask the parent).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, List, Mapping, Optional, Tuple

import yaml

from actions.facts import PROJECT_ROOT
from store.known_settings import SCHOOL_CALENDAR

CALENDAR_PATH = PROJECT_ROOT / "content" / "schoolvakanties.yml"
# Tests that run the real servers point this at a small calendar of their own.
CALENDAR_PATH_ENV = SCHOOL_CALENDAR.name
REGIONS = ("noord", "midden", "zuid")

# What parents call each holiday; "zomer" and "begin van het schooljaar" both mean the summer
# holiday just ended.
_HOLIDAY_WORDS: Tuple[Tuple[str, str], ...] = (
    ("herfstvakantie", r"herfst(?:\s*vakantie)?"),
    ("kerstvakantie", r"kerst(?:\s*vakantie|mis)?|wintervakantie"),
    ("voorjaarsvakantie", r"voorjaars?(?:\s*vakantie)?|krokus(?:\s*vakantie)?|carnavals?(?:\s*vakantie)?"),
    ("meivakantie", r"mei\s*vakantie"),
    ("zomervakantie", r"zomer(?:\s*vakantie)?|grote\s+vakantie"
                      r"|(?:het\s+)?(?:begin|start)\s+van\s+het\s+(?:nieuwe\s+)?schooljaar"
                      r"|(?:het\s+)?(?:begin|start)\s+(?:van\s+)?(?:dit|het)?\s*schooljaar"
                      r"|het\s+nieuwe\s+schooljaar"),
)
_AFTER = r"(?:sinds|vanaf|sedert|na|vlak\s+na|direct\s+na|meteen\s+na|na\s+afloop\s+van)"
_HOLIDAY_PATTERNS: Tuple[Tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"\b{_AFTER}\s+(?:de\s+|het\s+)?(?:{words})\b")) for name, words in _HOLIDAY_WORDS
)


@dataclass(frozen=True)
class Period:
    """One holiday in one region: its first and last day, and whether the dates were checked."""

    name: str
    region: str
    first: date
    last: date
    verified: bool


@dataclass(frozen=True)
class SchoolCalendar:
    periods: Tuple[Period, ...]
    unverified_margin_weeks: float = 1.0


@dataclass(frozen=True)
class WeeksRange:
    """An estimate of weeks at home: the fewest and the most it can be."""

    low: float
    high: float


def calendar_from_data(data: Mapping[str, Any]) -> SchoolCalendar:
    """Build the calendar from the mapping in content/schoolvakanties.yml."""
    periods: List[Period] = []
    for entry in data.get("periods") or []:
        for region in REGIONS:
            if region in entry:
                first, last = (_as_date(value) for value in entry[region])
                periods.append(Period(entry["name"], region, first, last, bool(entry.get("verified"))))
    return SchoolCalendar(tuple(periods), float(data.get("unverified_margin_weeks", 1)))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_school_calendar() -> SchoolCalendar:
    """The calendar in content/ (or ``$ADVIESLIJN_SCHOOL_CALENDAR``), read once."""
    return _load(str(SCHOOL_CALENDAR.value() or CALENDAR_PATH))


@functools.lru_cache(maxsize=2)
def _load(path: str) -> SchoolCalendar:
    return calendar_from_data(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def named_holiday(text: str) -> Optional[str]:
    """The holiday a normalised text counts from ("sinds de herfstvakantie" -> "herfstvakantie")."""
    found = [(match.start(), name) for name, regex in _HOLIDAY_PATTERNS for match in regex.finditer(text)]
    return min(found)[1] if found else None


def weeks_since_holiday(holiday: str, today: date, calendar: SchoolCalendar) -> Optional[WeeksRange]:
    """Weeks since school started again after the latest `holiday` that ended before today.

    One count per region; None when the calendar has no such holiday for any region. A region that
    is on that holiday today counts 0 weeks: a parent there means this holiday, not last year's
    (the regions' autumn and spring holidays differ by a week, so one region may be back at school
    while another is still on holiday).
    """
    counts: List[Tuple[float, bool]] = []
    for region in REGIONS:
        periods = [period for period in calendar.periods if period.name == holiday and period.region == region]
        ongoing = [period for period in periods if period.first <= today <= period.last]
        if ongoing:
            counts.append((0.0, ongoing[0].verified))
            continue
        ended = [period for period in periods if period.last < today]
        if ended:
            latest = max(ended, key=lambda period: period.last)
            back_at_school = latest.last + timedelta(days=1)
            counts.append((max(0.0, (today - back_at_school).days / 7), latest.verified))
    if not counts:
        return None
    margin = 0.0 if all(verified for _, verified in counts) else calendar.unverified_margin_weeks
    low = min(weeks for weeks, _ in counts) - margin
    high = max(weeks for weeks, _ in counts) + margin
    return WeeksRange(round(max(0.0, low), 1), round(high, 1))
