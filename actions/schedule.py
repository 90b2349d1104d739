"""Opening hours of the advice line: is the phone line open now, and if not, when does it open?

The schedule comes from the ``opening_hours`` section of the facts file
(``content/advieslijn.yml``, read by actions/opening_settings.py), so the association can change
days, times and closed dates without touching code. Dutch public holiday dates come from the ``holidays`` package (``holidays.NL``);
this module only decides which of them close the line.

Everything here is pure: the current time is always passed in (``now``), never read from the clock.

Example:
    >>> schedule = schedule_from_facts(load_facts())  # actions/opening_settings.py
    >>> status = line_status(now, schedule)
    >>> if not status.is_open and status.next_opening:
    ...     describe_next_opening(now, status.next_opening)
    'maandag om 10:00'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Dict, Mapping, Optional, Union

import holidays

from actions.opening_settings import OpeningSchedule

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

REASON_WEEKEND = "weekend"
REASON_NO_WORKING_DAY = "geen openingsdag"
REASON_CLOSED_DATE = "een extra sluitingsdag"

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
