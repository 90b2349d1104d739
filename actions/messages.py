"""Values for the {placeholders} in the domain's responses, taken from the facts file.

Responses live in `domain/`; facts live in `content/advieslijn.yml`. This module joins them:
each function returns the keyword arguments an action passes to `dispatcher.utter_message`.
"""

from __future__ import annotations

from datetime import datetime
import dataclasses
from datetime import date
from typing import Dict, Mapping, Optional, Tuple

from actions.decision import weeks_threshold
from actions.facts import Facts
from actions.opening_settings import OpeningSchedule
from actions.schedule import (
    REASON_CLOSED_DATE,
    WEEKDAY_NAMES,
    describe_next_opening,
    clock_words,
    describe_time,
    line_status,
)

def contact_form_phrase(facts: Facts) -> str:
    """'het contactformulier: URL', or without a link when the URL is not known."""
    url = facts.text("advieslijn.contact_form_url")
    if url:
        return f"het contactformulier: {url}"
    return f"het contactformulier op de website van {facts.text('advieslijn.organisation')}"


def hours_phrase(schedule: OpeningSchedule) -> str:
    """'op werkdagen van 10 tot 13 uur' (or the configured days)."""
    days = sorted(schedule.weekdays)
    if days == [1, 2, 3, 4, 5]:
        day_text = "op werkdagen"
    else:
        names = [WEEKDAY_NAMES[d - 1] for d in days]
        day_text = "op " + (", ".join(names[:-1]) + " en " + names[-1] if len(names) > 1 else names[0])
    return f"{day_text} van {clock_words(schedule.open_time)} tot {describe_time(schedule.close_time)}"


def common_values(facts: Facts) -> Dict[str, str]:
    """Placeholders that any response may use."""
    dos_url = facts.text("links.dos_and_donts_information_exchange")
    tips_url = facts.text("links.tips_passend_onderwijs")
    return {
        "phone": facts.text("advieslijn.phone"),
        "contact_form": contact_form_phrase(facts),
        "oc_website": facts.text("onderwijsconsulenten.website"),
        "oc_phone": facts.text("onderwijsconsulenten.phone"),
        "oc_phone_hours": facts.text("onderwijsconsulenten.phone_hours"),
        "dos_and_donts": f"Meer tips over het delen van informatie met school: {dos_url}" if dos_url else "",
        "tips_link": f": {tips_url}" if tips_url else f" op de website van {facts.text('advieslijn.organisation')}",
        "emergency": facts.text("crisis.emergency"),
        "suicide_prevention": facts.text("crisis.suicide_prevention"),
        "suicide_prevention_free": facts.text("crisis.suicide_prevention_free"),
        "kindertelefoon": facts.text("crisis.kindertelefoon"),
        "veilig_thuis": facts.text("crisis.veilig_thuis"),
        "weeks_threshold": f"{weeks_threshold():g}",
        "not_for": facts.text("onderwijsconsulenten.not_for"),
    }


def handoff_message(
    now: datetime, facts: Facts, schedule: OpeningSchedule, closed_by_staff: Optional[Mapping[date, str]] = None
) -> Tuple[str, Dict[str, str]]:
    """The hand-off response for this moment and its values: open, closing soon, or closed.

    `closed_by_staff`: days a volunteer closed the line on the staff page, with an optional reason;
    on such a day the hand-off names the contact form and the next opening, not the phone.
    """
    closed_by_staff = closed_by_staff or {}
    if closed_by_staff:
        schedule = dataclasses.replace(schedule, closed_dates=schedule.closed_dates | frozenset(closed_by_staff))
    status = line_status(now, schedule)
    values = {**common_values(facts), "hours": hours_phrase(schedule)}
    if status.is_open and status.closes_at is not None:
        values["closes_at"] = describe_time(status.closes_at)
        name = "utter_handoff_closing_soon" if status.closing_soon else "utter_handoff_open"
        return name, values
    assert status.next_opening is not None, "a closed line always has a next opening"
    values["next_opening"] = describe_next_opening(now, status.next_opening)
    reason = status.closed_reason
    staff_reason = closed_by_staff.get(now.astimezone(schedule.tz).date())
    if reason == REASON_CLOSED_DATE and staff_reason:
        reason = f"{reason} ({staff_reason})"
    values["closed_reason"] = f", want het is {reason}" if reason else ""
    if staff_reason is not None:  # a volunteer closed today: nobody picks up, so no phone number
        return "utter_handoff_closed_today", values
    return "utter_handoff_closed", values
