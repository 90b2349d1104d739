"""The clock the actions use, injected rather than read deep inside the logic.

Production reads the system time. Tests pass their own clock to an action's constructor; the
HTTP conversation tests start the action server with ``ADVIESLIJN_FIXED_NOW`` (an ISO 8601 time
with a UTC offset) so that a whole running bot sees one chosen moment.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Callable, Optional

Clock = Callable[[], datetime]
FIXED_NOW_ENV = "ADVIESLIJN_FIXED_NOW"


def system_clock() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(timezone.utc)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always returns `moment` (which must be timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError(f"a fixed clock needs a time with a UTC offset, got {moment.isoformat()}")
    return lambda: moment


def clock_from_env(environ: Optional[dict] = None) -> Clock:
    """``ADVIESLIJN_FIXED_NOW`` if set, else the system clock.

    Raises:
        ValueError: if the variable is set to something that is not an aware ISO 8601 time.
    """
    value = (environ if environ is not None else os.environ).get(FIXED_NOW_ENV, "").strip()
    if not value:
        return system_clock
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(
            f"{FIXED_NOW_ENV}={value!r} is not an ISO 8601 time such as 2026-12-01T10:30:00+01:00"
        ) from error
    if moment.tzinfo is None:
        raise ValueError(f"{FIXED_NOW_ENV}={value!r} needs a UTC offset, such as 2026-12-01T10:30:00+01:00")
    return fixed_clock(moment)
