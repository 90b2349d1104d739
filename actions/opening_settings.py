"""The advice line's opening hours as settings: the ``OpeningSchedule`` record, read and checked
from the ``opening_hours`` section of the facts file (``content/advieslijn.yml``).

What the settings mean at a given moment (open now? next opening?) is actions/schedule.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, FrozenSet, List, Mapping, Set, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from actions.facts import Facts, FactsError

SECTION = "opening_hours"

# Keys allowed in ``opening_hours.closed_on_holidays``. Good Friday and Liberation Day have their
# own settings because the source says they vary per employer.
HOLIDAY_KEYS: Tuple[str, ...] = (
    "new_year",
    "easter_monday",
    "kings_day",
    "ascension_day",
    "whit_monday",
    "christmas_day",
    "second_christmas_day",
)

LIBERATION_DAY_RULES: Tuple[str, ...] = ("always", "never", "lustrum")

_KNOWN_SETTINGS = frozenset(
    {
        "timezone",
        "weekdays",
        "open",
        "close",
        "closing_soon_minutes",
        "closed_on_holidays",
        "closed_on_good_friday",
        "closed_on_liberation_day",
        "closed_dates",
    }
)
_TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")

@dataclass(frozen=True)
class OpeningSchedule:
    """The parsed ``opening_hours`` settings.

    Attributes:
        timezone: name of the zone in which opening times are read ("Europe/Amsterdam"); the
            ``tz`` property gives the ``ZoneInfo``.
        weekdays: ISO weekday numbers on which the line opens (1 = Monday ... 7 = Sunday).
        open_time: the line is open from ``open_time`` (inclusive)...
        close_time: ...until ``close_time`` (exclusive).
        closing_soon: the last stretch before ``close_time`` that counts as "closing soon".
        closed_holidays: holiday keys (see ``HOLIDAY_NAMES``) on which the line is closed,
            including ``good_friday`` when that setting is on.
        liberation_day: "always", "never" or "lustrum" (closed only in years divisible by 5).
        closed_dates: extra dates on which the line is closed.
    """

    timezone: str
    weekdays: FrozenSet[int]
    open_time: time
    close_time: time
    closing_soon: timedelta
    closed_holidays: FrozenSet[str]
    liberation_day: str
    closed_dates: FrozenSet[date]

    @property
    def tz(self) -> ZoneInfo:
        """The schedule's time zone."""
        return ZoneInfo(self.timezone)


def schedule_from_facts(facts: Facts) -> OpeningSchedule:
    """Build the opening schedule from the facts file's ``opening_hours`` section.

    All settings are required except ``closed_dates`` (default: none). Unknown settings are
    rejected, so a misspelt key does not silently fall back to a default.

    Raises:
        FactsError: naming the offending key, when a setting is missing or has a bad value.
    """
    settings = facts.section(SECTION)
    unknown = sorted(set(settings) - _KNOWN_SETTINGS)
    if unknown:
        raise FactsError(f"unknown setting(s) in '{SECTION}': {', '.join(unknown)}")

    opens = _parse_time(_require(settings, "open"), "open")
    closes = _parse_time(_require(settings, "close"), "close")
    if closes <= opens:
        raise FactsError(
            f"'{SECTION}.close' ({closes:%H:%M}) must be later than "
            f"'{SECTION}.open' ({opens:%H:%M})"
        )
    minutes = _parse_closing_soon(_require(settings, "closing_soon_minutes"), opens, closes)

    closed_holidays = set(_parse_holiday_keys(_require(settings, "closed_on_holidays")))
    if _parse_bool(_require(settings, "closed_on_good_friday"), "closed_on_good_friday"):
        closed_holidays.add("good_friday")

    return OpeningSchedule(
        timezone=_parse_timezone(_require(settings, "timezone")),
        weekdays=_parse_weekdays(_require(settings, "weekdays")),
        open_time=opens,
        close_time=closes,
        closing_soon=timedelta(minutes=minutes),
        closed_holidays=frozenset(closed_holidays),
        liberation_day=_parse_liberation_day(_require(settings, "closed_on_liberation_day")),
        closed_dates=_parse_closed_dates(settings.get("closed_dates")),
    )


def _key(name: str) -> str:
    return f"'{SECTION}.{name}'"


def _require(settings: Mapping[str, Any], name: str) -> Any:
    if name not in settings:
        raise FactsError(f"facts file has no value for {_key(name)}")
    return settings[name]


def _parse_time(value: Any, name: str) -> time:
    match = _TIME_PATTERN.match(value) if isinstance(value, str) else None
    if not match:
        raise FactsError(f"{_key(name)} must be a time \"HH:MM\" (00:00-23:59), got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _parse_timezone(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise FactsError(f"{_key('timezone')} must be a time zone name, got {value!r}")
    try:
        ZoneInfo(value)
        return value
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise FactsError(f"{_key('timezone')}: unknown time zone {value!r}") from error


def _parse_weekdays(value: Any) -> FrozenSet[int]:
    valid = (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in value)
    )
    if not valid:
        raise FactsError(
            f"{_key('weekdays')} must be a non-empty list of ISO weekday numbers "
            f"(1 = Monday ... 7 = Sunday), got {value!r}"
        )
    return frozenset(value)


def _parse_closing_soon(value: Any, opens: time, closes: time) -> int:
    open_minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= open_minutes:
        raise FactsError(
            f"{_key('closing_soon_minutes')} must be a whole number of minutes between 0 and "
            f"{open_minutes} (the opening time), got {value!r}"
        )
    return value


def _parse_holiday_keys(value: Any) -> List[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise FactsError(f"{_key('closed_on_holidays')} must be a list of holiday keys")
    unknown = [key for key in value if key not in HOLIDAY_KEYS]
    if unknown:
        raise FactsError(
            f"{_key('closed_on_holidays')}: unknown holiday key(s) {', '.join(unknown)}; "
            f"known keys: {', '.join(HOLIDAY_KEYS)}"
        )
    return list(value)


def _parse_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise FactsError(f"{_key(name)} must be true or false, got {value!r}")
    return value


def _parse_liberation_day(value: Any) -> str:
    if value not in LIBERATION_DAY_RULES:
        raise FactsError(
            f"{_key('closed_on_liberation_day')} must be one of "
            f"{', '.join(LIBERATION_DAY_RULES)}, got {value!r}"
        )
    return str(value)


def _parse_closed_dates(value: Any) -> FrozenSet[date]:
    """Read ``closed_dates``. YAML turns an unquoted 2026-12-31 into a date: accept that too."""
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise FactsError(f"{_key('closed_dates')} must be a list of dates \"YYYY-MM-DD\"")
    dates: Set[date] = set()
    for item in value:
        if isinstance(item, date) and not isinstance(item, datetime):
            dates.add(item)
            continue
        try:
            if not isinstance(item, str) or not _DATE_PATTERN.match(item):
                raise ValueError
            dates.add(date.fromisoformat(item))
        except ValueError:
            raise FactsError(
                f"{_key('closed_dates')}: {item!r} is not a date \"YYYY-MM-DD\""
            ) from None
    return frozenset(dates)
