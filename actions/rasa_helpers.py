"""Small helpers shared by the rasa-sdk action wrappers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from actions.clock import Clock
from actions.facts import load_facts
from actions.opening_settings import OpeningSchedule, schedule_from_facts


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the latest user message, or None."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name")
    return name if isinstance(name, str) else None


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message ('' if none)."""
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def current_schedule() -> OpeningSchedule:
    """The opening schedule from the facts file."""
    return schedule_from_facts(load_facts())


def local_now(clock: Clock) -> datetime:
    """The clock's time in the advice line's timezone."""
    schedule = current_schedule()
    return clock().astimezone(ZoneInfo(schedule.timezone))


def local_today(clock: Clock) -> date:
    """Today's date for the advice line (Europe/Amsterdam)."""
    return local_now(clock).date()
