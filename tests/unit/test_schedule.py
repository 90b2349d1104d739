"""Unit tests for actions/schedule.py and actions/opening_settings.py (opening hours of the advice line).

Schedules are built from small dicts through ``parse_facts``, so these tests do not depend on the
values in content/advieslijn.yml (one test only checks that the real file parses).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict
from zoneinfo import ZoneInfo

import pytest
import yaml

from actions.facts import FactsError, load_facts, parse_facts
from actions.opening_settings import HOLIDAY_KEYS, OpeningSchedule, schedule_from_facts
from actions.schedule import (
    LineStatus,
    closed_reason,
    describe_next_opening,
    describe_time,
    holiday_dates,
    line_status,
)

AMS = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc

BASE_SETTINGS: Dict[str, Any] = {
    "timezone": "Europe/Amsterdam",
    "weekdays": [1, 2, 3, 4, 5],
    "open": "10:00",
    "close": "13:00",
    "closing_soon_minutes": 15,
    "closed_on_holidays": list(HOLIDAY_KEYS),
    "closed_on_good_friday": False,
    "closed_on_liberation_day": "lustrum",
    "closed_dates": [],
}


def make_schedule(**overrides: Any) -> OpeningSchedule:
    """A schedule from BASE_SETTINGS with some settings replaced, read like the real file."""
    settings = {**BASE_SETTINGS, **overrides}
    return schedule_from_facts(parse_facts(yaml.safe_dump({"opening_hours": settings})))


def ams(text: str) -> datetime:
    """An Amsterdam wall-clock time, e.g. ams("2026-06-15 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def schedule() -> OpeningSchedule:
    return make_schedule()


# --- The real facts file ------------------------------------------------------------------------


def test_real_facts_file_parses() -> None:
    real = schedule_from_facts(load_facts())
    assert isinstance(real, OpeningSchedule)
    assert real.open_time < real.close_time
    assert real.weekdays


def test_schedule_fields() -> None:
    parsed = make_schedule(closed_on_good_friday=True)
    assert parsed.timezone == "Europe/Amsterdam"
    assert parsed.tz == AMS
    assert parsed.weekdays == frozenset({1, 2, 3, 4, 5})
    assert (parsed.open_time, parsed.close_time) == (time(10, 0), time(13, 0))
    assert parsed.closing_soon == timedelta(minutes=15)
    assert parsed.closed_holidays == frozenset(HOLIDAY_KEYS) | {"good_friday"}
    assert parsed.liberation_day == "lustrum"


# --- One ordinary working day (Monday 15 June 2026) ---------------------------------------------


def test_before_opening_is_closed_and_opens_today(schedule: OpeningSchedule) -> None:
    now = ams("2026-06-15 09:59")
    status = line_status(now, schedule)
    assert status == LineStatus(
        is_open=False,
        closing_soon=False,
        closes_at=None,
        next_opening=ams("2026-06-15 10:00"),
        closed_reason=None,
    )
    assert describe_next_opening(now, status.next_opening) == "vandaag om 10 uur"


def test_opening_minute_is_open(schedule: OpeningSchedule) -> None:
    status = line_status(ams("2026-06-15 10:00"), schedule)
    assert status.is_open
    assert not status.closing_soon
    assert status.closes_at == ams("2026-06-15 13:00")
    assert status.closes_at.tzinfo == AMS
    assert status.next_opening is None
    assert status.closed_reason is None


@pytest.mark.parametrize(
    ("clock", "closing_soon"),
    [("11:30", False), ("12:44", False), ("12:44:59", False), ("12:45", True), ("12:59", True)],
)
def test_closing_soon_in_last_minutes(
    schedule: OpeningSchedule, clock: str, closing_soon: bool
) -> None:
    status = line_status(ams(f"2026-06-15 {clock}"), schedule)
    assert status.is_open
    assert status.closing_soon is closing_soon


def test_closing_soon_zero_minutes_never_closing_soon() -> None:
    status = line_status(ams("2026-06-15 12:59"), make_schedule(closing_soon_minutes=0))
    assert status.is_open and not status.closing_soon


def test_closing_minute_is_closed_and_opens_tomorrow(schedule: OpeningSchedule) -> None:
    now = ams("2026-06-15 13:00")
    status = line_status(now, schedule)
    assert not status.is_open
    assert status.closes_at is None
    assert status.closed_reason is None  # a working day, just after hours
    assert status.next_opening == ams("2026-06-16 10:00")
    assert describe_next_opening(now, status.next_opening) == "morgen om 10 uur"


def test_late_evening_opens_tomorrow(schedule: OpeningSchedule) -> None:
    status = line_status(ams("2026-06-15 23:59"), schedule)
    assert status.next_opening == ams("2026-06-16 10:00")


# --- Weekend ------------------------------------------------------------------------------------


def test_friday_after_closing_opens_monday(schedule: OpeningSchedule) -> None:
    now = ams("2026-06-19 13:00")
    status = line_status(now, schedule)
    assert not status.is_open
    assert status.next_opening == ams("2026-06-22 10:00")
    assert describe_next_opening(now, status.next_opening) == "maandag om 10 uur"


@pytest.mark.parametrize("now", ["2026-06-20 11:00", "2026-06-21 11:00", "2026-06-21 09:00"])
def test_weekend_closed_opens_monday(schedule: OpeningSchedule, now: str) -> None:
    status = line_status(ams(now), schedule)
    assert not status.is_open
    assert status.closed_reason == "weekend"
    assert status.next_opening == ams("2026-06-22 10:00")


def test_weekday_outside_weekdays_has_own_reason() -> None:
    mon_to_thu = make_schedule(weekdays=[1, 2, 3, 4])
    assert closed_reason(date(2026, 6, 19), mon_to_thu) == "geen openingsdag"
    assert line_status(ams("2026-06-18 13:00"), mon_to_thu).next_opening == ams("2026-06-22 10:00")


# --- Public holidays ----------------------------------------------------------------------------

HOLIDAYS_2026_2027 = [
    ("new_year", date(2026, 1, 1), "Nieuwjaarsdag"),
    ("easter_monday", date(2026, 4, 6), "Tweede Paasdag"),
    ("kings_day", date(2026, 4, 27), "Koningsdag"),
    ("ascension_day", date(2026, 5, 14), "Hemelvaartsdag"),
    ("whit_monday", date(2026, 5, 25), "Tweede Pinksterdag"),
    ("christmas_day", date(2026, 12, 25), "Eerste Kerstdag"),
    ("second_christmas_day", date(2026, 12, 26), "Tweede Kerstdag"),
    ("new_year", date(2027, 1, 1), "Nieuwjaarsdag"),
    ("easter_monday", date(2027, 3, 29), "Tweede Paasdag"),
    ("kings_day", date(2027, 4, 27), "Koningsdag"),
    ("ascension_day", date(2027, 5, 6), "Hemelvaartsdag"),
    ("whit_monday", date(2027, 5, 17), "Tweede Pinksterdag"),
    ("christmas_day", date(2027, 12, 25), "Eerste Kerstdag"),
    ("second_christmas_day", date(2027, 12, 26), "Tweede Kerstdag"),
]


def test_every_holiday_key_is_covered_each_year() -> None:
    assert {key for key, _, _ in HOLIDAYS_2026_2027} == set(HOLIDAY_KEYS)


@pytest.mark.parametrize(("key", "day", "name"), HOLIDAYS_2026_2027)
def test_holiday_closes_line_with_dutch_reason(
    schedule: OpeningSchedule, key: str, day: date, name: str
) -> None:
    assert holiday_dates(day.year)[key] == day
    assert closed_reason(day, schedule) == name
    status = line_status(datetime.combine(day, time(11, 0), AMS), schedule)
    assert not status.is_open
    assert status.closed_reason == name
    assert status.next_opening is not None and status.next_opening.date() > day


WEEKDAY_HOLIDAYS = [h for h in HOLIDAYS_2026_2027 if h[1].isoweekday() <= 5]


@pytest.mark.parametrize(("key", "day", "name"), WEEKDAY_HOLIDAYS)
def test_holiday_not_in_settings_is_open(key: str, day: date, name: str) -> None:
    others = [other for other in HOLIDAY_KEYS if other != key]
    assert closed_reason(day, make_schedule(closed_on_holidays=others)) is None


def test_no_holidays_configured() -> None:
    assert closed_reason(date(2026, 4, 6), make_schedule(closed_on_holidays=[])) is None


@pytest.mark.parametrize("year", range(2024, 2041))
def test_package_names_every_holiday(year: int) -> None:
    """Guards the name mapping: holidays.NL still names all holidays we look up."""
    dates = holiday_dates(year)
    assert set(dates) == set(HOLIDAY_KEYS) | {"good_friday", "liberation_day"}
    assert dates["good_friday"] + timedelta(days=3) == dates["easter_monday"]
    assert dates["ascension_day"] + timedelta(days=11) == dates["whit_monday"]


# --- Easter: Good Friday setting ----------------------------------------------------------------


def test_thursday_before_easter_good_friday_open_by_default(schedule: OpeningSchedule) -> None:
    now = ams("2026-04-02 13:00")
    status = line_status(now, schedule)
    assert status.next_opening == ams("2026-04-03 10:00")
    assert describe_next_opening(now, status.next_opening) == "morgen om 10 uur"
    assert line_status(ams("2026-04-03 10:30"), schedule).is_open


def test_thursday_before_easter_good_friday_closed_by_setting() -> None:
    closed_friday = make_schedule(closed_on_good_friday=True)
    now = ams("2026-04-02 13:00")
    status = line_status(now, closed_friday)
    assert status.next_opening == ams("2026-04-07 10:00")
    assert describe_next_opening(now, status.next_opening) == "dinsdag om 10 uur"
    assert closed_reason(date(2026, 4, 3), closed_friday) == "Goede Vrijdag"


@pytest.mark.parametrize(
    "now", ["2026-04-03 11:00", "2026-04-04 11:00", "2026-04-05 11:00", "2026-04-06 09:00"]
)
def test_easter_weekend_opens_tuesday(now: str) -> None:
    status = line_status(ams(now), make_schedule(closed_on_good_friday=True))
    assert not status.is_open
    assert status.next_opening == ams("2026-04-07 10:00")


def test_easter_monday_status(schedule: OpeningSchedule) -> None:
    now = ams("2026-04-06 11:00")
    status = line_status(now, schedule)
    assert status.closed_reason == "Tweede Paasdag"
    assert describe_next_opening(now, status.next_opening) == "morgen om 10 uur"


# --- Koningsdag ---------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2031, 2036])
def test_kings_day_moves_to_saturday_when_27_april_is_sunday(
    schedule: OpeningSchedule, year: int
) -> None:
    assert date(year, 4, 27).isoweekday() == 7
    assert holiday_dates(year)["kings_day"] == date(year, 4, 26)
    assert closed_reason(date(year, 4, 26), schedule) == "Koningsdag"
    assert closed_reason(date(year, 4, 27), schedule) == "weekend"


def test_moved_kings_day_matters_when_open_on_saturday() -> None:
    with_saturday = make_schedule(weekdays=[1, 2, 3, 4, 5, 6])
    assert closed_reason(date(2031, 4, 26), with_saturday) == "Koningsdag"
    assert closed_reason(date(2031, 4, 19), with_saturday) is None  # an ordinary Saturday
    status = line_status(ams("2031-04-25 13:00"), with_saturday)
    assert status.next_opening == ams("2031-04-28 10:00")


def test_kings_day_on_weekday_2026(schedule: OpeningSchedule) -> None:
    status = line_status(ams("2026-04-24 13:00"), schedule)  # Friday before
    assert status.next_opening == ams("2026-04-28 10:00")


# --- Bevrijdingsdag (5 May) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "day", "closed"),
    [
        ("lustrum", date(2025, 5, 5), True),
        ("lustrum", date(2026, 5, 5), False),
        ("lustrum", date(2027, 5, 5), False),
        ("always", date(2026, 5, 5), True),
        ("always", date(2025, 5, 5), True),
        ("never", date(2025, 5, 5), False),
        ("never", date(2026, 5, 5), False),
    ],
)
def test_liberation_day_setting(rule: str, day: date, closed: bool) -> None:
    assert day.isoweekday() <= 5
    reason = closed_reason(day, make_schedule(closed_on_liberation_day=rule))
    assert reason == ("Bevrijdingsdag" if closed else None)


def test_liberation_day_lustrum_next_opening(schedule: OpeningSchedule) -> None:
    status = line_status(ams("2025-05-02 13:00"), schedule)  # Friday before Monday 5 May 2025
    assert status.next_opening == ams("2025-05-06 10:00")


# --- Summer and winter time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now_utc", "is_open"),
    [
        ("2026-03-27 09:00", True),  # Friday, winter time: 10:00 CET
        ("2026-03-27 08:59", False),
        ("2026-03-30 07:59", False),  # Monday after the switch: 09:59 CEST
        ("2026-03-30 08:00", True),  # 10:00 CEST
        ("2026-03-30 10:59", True),  # 12:59 CEST
        ("2026-03-30 11:00", False),  # 13:00 CEST
        ("2026-10-23 08:00", True),  # Friday, summer time: 10:00 CEST
        ("2026-10-26 08:59", False),  # Monday after the switch: 09:59 CET
        ("2026-10-26 09:00", True),  # 10:00 CET
        ("2026-10-26 11:59", True),  # 12:59 CET
        ("2026-10-26 12:00", False),  # 13:00 CET
    ],
)
def test_dst_weeks_with_now_in_utc(schedule: OpeningSchedule, now_utc: str, is_open: bool) -> None:
    assert line_status(utc(now_utc), schedule).is_open is is_open


def test_spring_switch_sunday_next_opening_is_summer_time(schedule: OpeningSchedule) -> None:
    now = utc("2026-03-29 01:30")  # 03:30 CEST, just after the clocks went forward
    status = line_status(now, schedule)
    assert status.closed_reason == "weekend"
    assert status.next_opening == ams("2026-03-30 10:00")
    assert status.next_opening.utcoffset() == timedelta(hours=2)
    assert status.next_opening.astimezone(UTC) == utc("2026-03-30 08:00")
    assert describe_next_opening(now, status.next_opening) == "morgen om 10 uur"


def test_autumn_switch_sunday_next_opening_is_winter_time(schedule: OpeningSchedule) -> None:
    now = utc("2026-10-25 00:30")  # 02:30 CEST, the first of the two 02:30s
    status = line_status(now, schedule)
    assert status.closed_reason == "weekend"
    assert status.next_opening == ams("2026-10-26 10:00")
    assert status.next_opening.utcoffset() == timedelta(hours=1)
    assert status.next_opening.astimezone(UTC) == utc("2026-10-26 09:00")


def test_friday_before_autumn_switch_opens_monday_winter_time(schedule: OpeningSchedule) -> None:
    status = line_status(utc("2026-10-23 11:00"), schedule)  # 13:00 CEST
    assert not status.is_open
    assert status.next_opening.astimezone(UTC) == utc("2026-10-26 09:00")


def test_closes_at_is_in_schedule_timezone(schedule: OpeningSchedule) -> None:
    new_york = datetime(2026, 6, 15, 4, 30, tzinfo=ZoneInfo("America/New_York"))  # 10:30 CEST
    status = line_status(new_york, schedule)
    assert status.is_open
    assert status.closes_at == ams("2026-06-15 13:00")
    assert status.closes_at.tzinfo == AMS


def test_utc_evening_is_next_day_in_amsterdam(schedule: OpeningSchedule) -> None:
    # Sunday 23:30 UTC is Monday 01:30 in Amsterdam: the line opens "vandaag".
    now = utc("2026-06-21 23:30")
    status = line_status(now, schedule)
    assert status.closed_reason is None
    assert status.next_opening == ams("2026-06-22 10:00")
    assert describe_next_opening(now, status.next_opening) == "vandaag om 10 uur"


def test_naive_now_is_rejected(schedule: OpeningSchedule) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        line_status(datetime(2026, 6, 15, 11, 0), schedule)


# --- Christmas ----------------------------------------------------------------------------------


def test_christmas_eve_is_open_on_a_weekday(schedule: OpeningSchedule) -> None:
    assert date(2026, 12, 24).isoweekday() == 4
    assert closed_reason(date(2026, 12, 24), schedule) is None
    assert line_status(ams("2026-12-24 11:00"), schedule).is_open


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        ("2026-12-24 13:00", None),
        ("2026-12-25 11:00", "Eerste Kerstdag"),
        ("2026-12-26 11:00", "Tweede Kerstdag"),
        ("2026-12-27 11:00", "weekend"),
    ],
)
def test_christmas_next_opening_monday_28_december(
    schedule: OpeningSchedule, now: str, reason: str
) -> None:
    status = line_status(ams(now), schedule)
    assert not status.is_open
    assert status.closed_reason == reason
    assert status.next_opening == ams("2026-12-28 10:00")
    assert status.next_opening.isoweekday() == 1


# --- Extra closed dates -------------------------------------------------------------------------


def test_closed_dates(schedule: OpeningSchedule) -> None:
    staff_day = make_schedule(closed_dates=["2026-06-16"])
    assert closed_reason(date(2026, 6, 16), staff_day) == "een extra sluitingsdag"
    assert closed_reason(date(2026, 6, 16), schedule) is None
    status = line_status(ams("2026-06-15 13:00"), staff_day)
    assert status.next_opening == ams("2026-06-17 10:00")


def test_closed_dates_accept_unquoted_yaml_dates() -> None:
    text = yaml.safe_dump({"opening_hours": BASE_SETTINGS}).replace(
        "closed_dates: []", "closed_dates: [2026-06-16]"
    )
    parsed = schedule_from_facts(parse_facts(text))
    assert parsed.closed_dates == frozenset({date(2026, 6, 16)})


def test_closed_dates_default_to_none() -> None:
    settings = {k: v for k, v in BASE_SETTINGS.items() if k != "closed_dates"}
    parsed = schedule_from_facts(parse_facts(yaml.safe_dump({"opening_hours": settings})))
    assert parsed.closed_dates == frozenset()


def test_no_opening_within_a_year_gives_none() -> None:
    year_off = [(date(2026, 6, 16) + timedelta(days=n)).isoformat() for n in range(400)]
    status = line_status(ams("2026-06-15 13:00"), make_schedule(closed_dates=year_off))
    assert not status.is_open
    assert status.next_opening is None


# --- Dutch wording ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "next_opening", "expected"),
    [
        ("2026-06-15 08:00", "2026-06-15 10:00", "vandaag om 10 uur"),
        ("2026-06-15 13:00", "2026-06-16 10:00", "morgen om 10 uur"),
        ("2026-06-15 13:00", "2026-06-17 10:00", "woensdag om 10 uur"),
        ("2026-06-19 13:00", "2026-06-22 10:00", "maandag om 10 uur"),
        ("2026-06-15 13:00", "2026-06-21 10:00", "zondag om 10 uur"),  # 6 days: weekday name
        ("2026-06-15 13:00", "2026-06-22 10:00", "maandag 22 juni om 10 uur"),  # 7 days
        ("2026-12-21 13:00", "2026-12-29 10:00", "dinsdag 29 december om 10 uur"),
        ("2026-12-24 13:00", "2027-01-04 09:30", "maandag 4 januari om 9.30 uur"),
    ],
)
def test_describe_next_opening(now: str, next_opening: str, expected: str) -> None:
    assert describe_next_opening(ams(now), ams(next_opening)) == expected


def test_describe_next_opening_far_away_from_line_status() -> None:
    holiday = make_schedule(closed_dates=[f"2026-12-{day}" for day in range(22, 29)])
    now = ams("2026-12-21 13:00")
    status = line_status(now, holiday)
    assert describe_next_opening(now, status.next_opening) == "dinsdag 29 december om 10 uur"


def test_describe_next_opening_rejects_past_and_naive() -> None:
    with pytest.raises(ValueError):
        describe_next_opening(ams("2026-06-16 08:00"), ams("2026-06-15 10:00"))
    with pytest.raises(ValueError):
        describe_next_opening(datetime(2026, 6, 15, 8, 0), ams("2026-06-15 10:00"))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [("2026-06-15 13:00", "13 uur"), ("2026-06-15 09:05", "9.05 uur"), ("2026-06-15 00:00", "0 uur")],
)
def test_describe_time(moment: str, expected: str) -> None:
    assert describe_time(ams(moment)) == expected


# --- Bad settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"open": "13:00", "close": "10:00"}, "opening_hours.close"),
        ({"open": "10:00", "close": "10:00"}, "must be later than"),
        ({"closed_on_holidays": ["new_year", "sinterklaas"]}, "closed_on_holidays.*sinterklaas"),
        ({"closed_on_holidays": ["good_friday"]}, "closed_on_holidays.*good_friday"),
        ({"closed_on_holidays": "new_year"}, "closed_on_holidays"),
        ({"open": "10.00"}, "opening_hours.open"),
        ({"open": "25:00"}, "opening_hours.open"),
        ({"open": "9:00"}, "opening_hours.open"),
        ({"close": 1300}, "opening_hours.close"),
        ({"open": None}, "opening_hours.open"),
        ({"weekdays": [0, 1]}, "opening_hours.weekdays"),
        ({"weekdays": [1, 8]}, "opening_hours.weekdays"),
        ({"weekdays": []}, "opening_hours.weekdays"),
        ({"weekdays": "1-5"}, "opening_hours.weekdays"),
        ({"weekdays": [True]}, "opening_hours.weekdays"),
        ({"timezone": "Europe/Amsterdamm"}, "opening_hours.timezone"),
        ({"timezone": ""}, "opening_hours.timezone"),
        ({"closing_soon_minutes": -1}, "opening_hours.closing_soon_minutes"),
        ({"closing_soon_minutes": 181}, "opening_hours.closing_soon_minutes"),
        ({"closing_soon_minutes": "15"}, "opening_hours.closing_soon_minutes"),
        ({"closed_on_good_friday": "yes"}, "opening_hours.closed_on_good_friday"),
        ({"closed_on_liberation_day": "sometimes"}, "opening_hours.closed_on_liberation_day"),
        ({"closed_on_liberation_day": True}, "opening_hours.closed_on_liberation_day"),
        ({"closed_dates": ["2026-02-30"]}, "opening_hours.closed_dates.*2026-02-30"),
        ({"closed_dates": ["16-06-2026"]}, "opening_hours.closed_dates"),
        ({"closed_dates": "2026-06-16"}, "opening_hours.closed_dates"),
        ({"closed_on_goodfriday": True}, "unknown setting.*closed_on_goodfriday"),
    ],
)
def test_bad_settings_raise_facts_error(overrides: Dict[str, Any], message: str) -> None:
    with pytest.raises(FactsError, match=message):
        make_schedule(**overrides)


@pytest.mark.parametrize("missing", ["timezone", "weekdays", "open", "close", "closed_on_holidays"])
def test_missing_setting_raises_facts_error(missing: str) -> None:
    settings = {k: v for k, v in BASE_SETTINGS.items() if k != missing}
    with pytest.raises(FactsError, match=f"opening_hours.{missing}"):
        schedule_from_facts(parse_facts(yaml.safe_dump({"opening_hours": settings})))


def test_missing_section_raises_facts_error() -> None:
    with pytest.raises(FactsError, match="opening_hours"):
        schedule_from_facts(parse_facts("advieslijn: {phone: '030'}"))
