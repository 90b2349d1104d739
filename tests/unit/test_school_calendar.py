"""Weeks since a school holiday, per region, from a small calendar of the test's own (the dates in
content/schoolvakanties.yml are data, not behaviour); the content file's shape; and, for dates
checked against the government's page, where the 4-week line falls."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from actions.answer_cues import read_weeks
from actions.decision import weeks_threshold
from actions.parsing import normalize
from actions.school_calendar import (
    CALENDAR_PATH,
    REGIONS,
    WeeksRange,
    calendar_from_data,
    load_school_calendar,
    named_holiday,
    weeks_since_holiday,
)
from actions.triage import weeks_value

CALENDAR = calendar_from_data({
    "unverified_margin_weeks": 1,
    "periods": [
        # Back at school on Monday 2 November (noord, midden) and 26 October (zuid).
        {"name": "herfstvakantie", "verified": True,
         "noord": ["2031-10-25", "2031-11-01"], "midden": ["2031-10-25", "2031-11-01"], "zuid": ["2031-10-18", "2031-10-25"]},
        {"name": "zomervakantie", "verified": True,
         "noord": ["2031-07-05", "2031-08-17"], "midden": ["2031-07-05", "2031-08-17"], "zuid": ["2031-07-05", "2031-08-17"]},
        {"name": "kerstvakantie", "verified": False,
         "noord": ["2031-12-20", "2032-01-04"], "midden": ["2031-12-20", "2032-01-04"], "zuid": ["2031-12-20", "2032-01-04"]},
    ],
})


@pytest.mark.parametrize(
    ("text", "holiday"),
    [
        ("hij zit al sinds de herfstvakantie thuis", "herfstvakantie"),
        ("na de kerstvakantie is ze niet meer gegaan", "kerstvakantie"),
        ("sinds de zomer", "zomervakantie"),
        ("sinds de zomervakantie", "zomervakantie"),
        ("vanaf de meivakantie", "meivakantie"),
        ("sinds de voorjaarsvakantie", "voorjaarsvakantie"),
        ("sinds de krokusvakantie", "voorjaarsvakantie"),
        ("sinds het begin van het schooljaar", "zomervakantie"),
        ("al sinds de start van het nieuwe schooljaar", "zomervakantie"),
        ("sinds begin oktober", None),
        ("in de herfstvakantie waren we weg", None),
    ],
)
def test_named_holiday(text: str, holiday: str) -> None:
    assert named_holiday(normalize(text)) == holiday


def test_the_same_holiday_gives_a_range_over_the_regions() -> None:
    # Tuesday 30 December 2031: noord/midden back on 2 November (58 days), zuid on 26 October (65).
    found = weeks_since_holiday("herfstvakantie", date(2031, 12, 30), CALENDAR)
    assert found == WeeksRange(8.3, 9.3)


def test_one_date_for_all_regions_gives_one_number() -> None:
    assert weeks_since_holiday("zomervakantie", date(2031, 9, 15), CALENDAR) == WeeksRange(4.0, 4.0)


def test_an_unverified_period_is_widened() -> None:
    # Back at school on 5 January 2032; on 26 January that is 3 weeks, widened by 1 week each side.
    assert weeks_since_holiday("kerstvakantie", date(2032, 1, 26), CALENDAR) == WeeksRange(2.0, 4.0)


def test_a_holiday_not_in_the_calendar_or_not_yet_begun_gives_nothing() -> None:
    assert weeks_since_holiday("meivakantie", date(2031, 12, 28), CALENDAR) is None
    assert weeks_since_holiday("kerstvakantie", date(2031, 12, 19), CALENDAR) is None


def test_a_region_still_on_the_holiday_counts_zero_weeks_not_since_last_year() -> None:
    # Monday 27 October 2031: zuid's holiday ended on the 25th (one day counted), noord and midden
    # are still on their autumn holiday (until 1 November): 0 weeks, not 0 to 52.
    assert weeks_since_holiday("herfstvakantie", date(2031, 10, 27), CALENDAR) == WeeksRange(0.0, 0.1)
    # During the Christmas holiday (unverified: widened by a week).
    assert weeks_since_holiday("kerstvakantie", date(2031, 12, 28), CALENDAR) == WeeksRange(0.0, 1.0)


def test_the_real_calendar_never_counts_from_last_year_while_a_region_is_on_holiday() -> None:
    calendar = load_school_calendar()
    for holiday in ("herfstvakantie", "voorjaarsvakantie", "zomervakantie"):
        for period in calendar.periods:
            if period.name != holiday:
                continue
            found = weeks_since_holiday(holiday, period.last, calendar)
            assert found is not None and found.high < 8, (holiday, period)


def test_read_weeks_reads_holidays_comparisons_and_durations() -> None:
    today = date(2031, 12, 30)
    assert read_weeks("sinds de herfstvakantie", today, CALENDAR) == WeeksRange(8.3, 9.3)
    assert read_weeks("langer dan 4 weken", today, CALENDAR) == WeeksRange(4.5, 4.5)
    assert read_weeks("korter dan 4 weken", today, CALENDAR) == WeeksRange(3.5, 3.5)
    assert read_weeks("een week of vijf", today, CALENDAR) == WeeksRange(5.0, 5.0)
    assert read_weeks("ruim een maand", today, CALENDAR) == WeeksRange(4.3, 4.3)
    assert read_weeks("een half jaar", today, CALENDAR) == WeeksRange(26.0, 26.0)
    assert read_weeks("sinds 2 weken ziek thuis", today, CALENDAR) == WeeksRange(2.0, 2.0)
    assert read_weeks("sinds oktober", today, CALENDAR) == WeeksRange(12.9, 12.9)
    assert read_weeks("sinds oktober 2031", today, CALENDAR) == WeeksRange(12.9, 12.9)
    assert read_weeks("geen idee", today, CALENDAR) is None


def test_the_content_calendar_has_every_region_for_the_current_and_next_school_year() -> None:
    calendar = load_school_calendar()
    for name in ("herfstvakantie", "kerstvakantie", "voorjaarsvakantie", "meivakantie", "zomervakantie"):
        for year in (2026, 2027):
            periods = [p for p in calendar.periods if p.name == name and p.first.year in (year, year + 1)]
            assert {p.region for p in periods} == set(REGIONS), (name, year)
    for period in calendar.periods:
        assert period.first <= period.last, period
    assert any(p.verified for p in calendar.periods)


def test_the_content_calendar_reaches_back_to_last_school_year() -> None:
    # Monday 30 November 2026: "sinds de meivakantie" is the one of spring 2026 (back at school on
    # Monday 4 May), widened by a week each side because those dates are not verified.
    found = weeks_since_holiday("meivakantie", date(2026, 11, 30), load_school_calendar())
    assert found == WeeksRange(29.0, 31.0)


def test_the_content_calendar_has_the_shape_of_the_government_schedule() -> None:
    # Every period runs Saturday to Sunday; kerst- and meivakantie are the same everywhere; the
    # zomervakantie is six weeks, the three regions start on three Saturdays in a row, and no region
    # goes from first to last (or back) from one year to the next. Caught midden and zuid sharing
    # the summer of 2027 before the dates were checked against the government's page.
    data = yaml.safe_load(CALENDAR_PATH.read_text(encoding="utf-8"))
    summer_order = {}
    for entry in data["periods"]:
        spans = {region: tuple(entry[region]) for region in REGIONS}
        for first, last in spans.values():
            assert (first.weekday(), last.weekday()) == (5, 6), entry
        if entry["name"] in ("kerstvakantie", "meivakantie"):
            assert len(set(spans.values())) == 1, entry
        if entry["name"] == "zomervakantie":
            assert all(last - first == timedelta(days=43) for first, last in spans.values()), entry
            starts = sorted(spans, key=lambda region: spans[region][0])
            assert [spans[region][0] for region in starts] == [
                spans[starts[0]][0] + timedelta(weeks=week) for week in range(3)
            ], entry
            summer_order[entry["school_year"]] = starts
    years = sorted(summer_order)
    for year, next_year in zip(years, years[1:]):
        for region in REGIONS:
            step = summer_order[next_year].index(region) - summer_order[year].index(region)
            assert abs(step) < 2, (region, year, next_year)


@pytest.mark.parametrize(
    ("today", "weeks", "asks"),
    [
        # Herfstvakantie 2026 (checked): back at school on Monday 19 October in noord, on 26
        # October in midden and zuid. The bot asks only while the region decides.
        (date(2026, 11, 16), WeeksRange(3.0, 4.0), False),  # 4 weeks in noord is not more than 4
        (date(2026, 11, 17), WeeksRange(3.1, 4.1), True),  # just over 4 weeks in noord only
        (date(2026, 11, 23), WeeksRange(4.0, 5.0), True),  # exactly 4 weeks in midden and zuid
        (date(2026, 11, 24), WeeksRange(4.1, 5.1), False),  # over 4 weeks everywhere
        (date(2026, 11, 30), WeeksRange(5.0, 6.0), False),  # the Monday of issue 12
    ],
)
def test_sinds_de_herfstvakantie_in_november_2026_asks_only_while_the_region_decides(
    today: date, weeks: WeeksRange, asks: bool
) -> None:
    found = read_weeks(normalize("ze zit al sinds de herfstvakantie thuis"), today, load_school_calendar())
    assert found == weeks
    assert (weeks_value(weeks, weeks_threshold()) is None) == asks
