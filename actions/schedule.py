"""Opening hours of the advice line: is the phone line open now, and if not, when does it open?

The schedule comes from the ``opening_hours`` section of the facts file
(``content/advieslijn.yml``), so the association can change days, times and closed dates without
touching code. Dutch public holiday dates come from the ``holidays`` package (``holidays.NL``);
this module only decides which of them close the line.

Everything here is pure: the current time is always passed in (``now``), never read from the clock.

Example:
    >>> schedule = schedule_from_facts(load_facts())
    >>> status = line_status(now, schedule)
    >>> if not status.is_open and status.next_opening:
    ...     describe_next_opening(now, status.next_opening)
    'maandag om 10:00'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from actions.facts import Facts, FactsError

SECTION = "opening_hours"

# Key in the facts file -> the Dutch name the bot uses as closing reason.
HOLIDAY_NAMES: Mapping[str, str] = {
    "new_year": "Nieuwjaarsdag",
    "good_friday": "Goede Vrijdag",
    "easter_monday": "Tweede Paasdag",
    "kings_day": "Koningsdag",
    "liberation_day": "Bevrijdingsdag",
    "ascension_day": "Hemelvaartsdag",
    "whit_monday": "Tweede Pinksterdag",
    "christmas_day": "Eerste Kerstdag",
    "second_christmas_day": "Tweede Kerstdag",
}

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

# The ``holidays`` package names its Dutch holidays in Dutch (its source strings, language pinned
# to "nl" below). Matching is case-insensitive. Liberation Day is not looked up: it is always 5 May
# and the package lists it only in lustrum years.
_PACKAGE_LANGUAGE = "nl"
_PACKAGE_NAMES: Mapping[str, str] = {
    "nieuwjaarsdag": "new_year",
    "goede vrijdag": "good_friday",
    "tweede paasdag": "easter_monday",
    "koningsdag": "kings_day",
    "hemelvaartsdag": "ascension_day",
    "tweede pinksterdag": "whit_monday",
    "eerste kerstdag": "christmas_day",
    "tweede kerstdag": "second_christmas_day",
}

LIBERATION_DAY_RULES: Tuple[str, ...] = ("always", "never", "lustrum")

REASON_WEEKEND = "weekend"
REASON_NO_WORKING_DAY = "geen openingsdag"
REASON_CLOSED_DATE = "een extra sluitingsdag"

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
# How far ahead `line_status` looks for the next opening before giving up.
_MAX_DAYS_AHEAD = 366

WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


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


@dataclass(frozen=True)
class LineStatus:
    """The state of the phone line at one moment.

    Attributes:
        is_open: the line is open now.
        closing_soon: open, and within ``closing_soon_minutes`` of closing.
        closes_at: today's closing time when open (aware, schedule timezone); else None.
        next_opening: when closed, the next opening moment (aware, schedule timezone); None when
            open, or when no opening was found within a year.
        closed_reason: why today is closed (holiday name, "weekend", ...), or None when today is
            an opening day (also after closing time).
    """

    is_open: bool
    closing_soon: bool
    closes_at: Optional[datetime]
    next_opening: Optional[datetime]
    closed_reason: Optional[str]


# --- Reading the settings -----------------------------------------------------------------------


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


# --- Holidays -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def holiday_dates(year: int) -> Mapping[str, date]:
    """Dates of the Dutch holidays in ``year``, by key (see ``HOLIDAY_NAMES``).

    Dates come from ``holidays.country_holidays("NL")`` (including Koningsdag on 26 April when 27 April is a Sunday);
    Liberation Day is 5 May.

    Raises:
        LookupError: when the package does not list one of the holidays for that year (for
            example Koningsdag before 2014), rather than silently keeping the line open.
    """
    calendar = holidays.country_holidays("NL", years=year, language=_PACKAGE_LANGUAGE)
    found: Dict[str, date] = {}
    for day in calendar:
        for name in calendar.get_list(day):
            key = _PACKAGE_NAMES.get(name.strip().casefold())
            if key:
                found[key] = day
    missing = sorted(set(_PACKAGE_NAMES.values()) - set(found))
    if missing:
        raise LookupError(f"holidays.NL gives no date for {', '.join(missing)} in {year}")
    found["liberation_day"] = date(year, 5, 5)
    return found


def _is_closed_holiday(key: str, day: date, schedule: OpeningSchedule) -> bool:
    if key == "liberation_day":
        rule = schedule.liberation_day
        return rule == "always" or (rule == "lustrum" and day.year % 5 == 0)
    return key in schedule.closed_holidays


def closed_reason(day: date, schedule: OpeningSchedule) -> Optional[str]:
    """Why the line is closed all of ``day``, in Dutch; None if the line opens that day.

    A holiday the line closes on wins over the weekend (Koningsdag on Saturday 26 April says
    "Koningsdag"), then an extra closed date ("een extra sluitingsdag"), then "weekend" for a
    Saturday or Sunday and "geen openingsdag" for another weekday not in ``weekdays``.
    """
    for key, holiday in holiday_dates(day.year).items():
        if holiday == day and _is_closed_holiday(key, day, schedule):
            return HOLIDAY_NAMES[key]
    if day in schedule.closed_dates:
        return REASON_CLOSED_DATE
    if day.isoweekday() not in schedule.weekdays:
        return REASON_WEEKEND if day.isoweekday() >= 6 else REASON_NO_WORKING_DAY
    return None


# --- Status at a moment -------------------------------------------------------------------------


def line_status(now: datetime, schedule: OpeningSchedule) -> LineStatus:
    """The state of the line at ``now``.

    ``now`` may be in any time zone; it is converted to the schedule's zone first. The line is
    open on the interval [open, close): with 10:00-13:00, 10:00 and 12:59 are open, 09:59 and
    13:00 are closed.

    Raises:
        ValueError: when ``now`` is naive (has no time zone).
    """
    local = _to_local(now, schedule)
    today = local.date()
    reason = closed_reason(today, schedule)
    if reason is None:
        opens_at = _at(today, schedule.open_time, schedule)
        closes_at = _at(today, schedule.close_time, schedule)
        if opens_at <= local < closes_at:
            return LineStatus(
                is_open=True,
                closing_soon=closes_at - local <= schedule.closing_soon,
                closes_at=closes_at,
                next_opening=None,
                closed_reason=None,
            )
        if local < opens_at:
            return _closed(next_opening=opens_at, reason=None)
    return _closed(next_opening=_next_opening_after(today, schedule), reason=reason)


def _closed(next_opening: Optional[datetime], reason: Optional[str]) -> LineStatus:
    return LineStatus(
        is_open=False,
        closing_soon=False,
        closes_at=None,
        next_opening=next_opening,
        closed_reason=reason,
    )


def _to_local(now: datetime, schedule: OpeningSchedule) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(
            "line_status needs a timezone-aware datetime (e.g. datetime.now(ZoneInfo("
            "'Europe/Amsterdam'))), got a naive one"
        )
    return now.astimezone(schedule.tz)


def _at(day: date, moment: time, schedule: OpeningSchedule) -> datetime:
    return datetime.combine(day, moment, tzinfo=schedule.tz)


def _next_opening_after(day: date, schedule: OpeningSchedule) -> Optional[datetime]:
    """The opening moment on the first opening day after ``day`` (None if none within a year)."""
    for offset in range(1, _MAX_DAYS_AHEAD + 1):
        candidate = day + timedelta(days=offset)
        if closed_reason(candidate, schedule) is None:
            return _at(candidate, schedule.open_time, schedule)
    return None


# --- Dutch wording ------------------------------------------------------------------------------


def clock_words(t: Union[datetime, time]) -> str:
    """A clock time as parents say it, without "uur": ``"10"``, ``"12.30"``."""
    return f"{t.hour}" if t.minute == 0 else f"{t.hour}.{t.minute:02d}"


def describe_time(t: Union[datetime, time]) -> str:
    """A clock time in Dutch notation: ``"13 uur"``, ``"12.45 uur"``."""
    return f"{clock_words(t)} uur"


def describe_next_opening(now: datetime, next_opening: datetime) -> str:
    """When the line opens next, in plain Dutch, as seen from ``now``.

    Returns "vandaag om 10:00", "morgen om 10:00", a weekday within six days ("maandag om
    10:00"), or weekday, day and month further away ("dinsdag 29 december om 10:00"). Days are
    counted in ``next_opening``'s time zone.

    Raises:
        ValueError: when either datetime is naive, or ``next_opening`` is on an earlier day.
    """
    if now.tzinfo is None or next_opening.tzinfo is None:
        raise ValueError("describe_next_opening needs timezone-aware datetimes")
    local_now = now.astimezone(next_opening.tzinfo)
    days = (next_opening.date() - local_now.date()).days
    at = f"om {describe_time(next_opening)}"
    weekday = WEEKDAY_NAMES[next_opening.weekday()]
    if days < 0:
        raise ValueError(f"next_opening {next_opening} is before now {now}")
    if days == 0:
        return f"vandaag {at}"
    if days == 1:
        return f"morgen {at}"
    if days <= 6:
        return f"{weekday} {at}"
    return f"{weekday} {next_opening.day} {_MONTH_NAMES[next_opening.month - 1]} {at}"
