"""The clock the actions use, injected rather than read deep inside the logic.

Production reads the system time. Tests pass their own clock to an action's constructor; the
HTTP conversation tests start the action server with ``ADVIESLIJN_FIXED_NOW`` (an ISO 8601 time
with a UTC offset) so that a whole running bot sees one chosen moment.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Mapping, Optional

from store.known_settings import FIXED_NOW

Clock = Callable[[], datetime]
FIXED_NOW_ENV = FIXED_NOW.name


def system_clock() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(timezone.utc)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always returns `moment` (which must be timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError(f"a fixed clock needs a time with a UTC offset, got {moment.isoformat()}")
    return lambda: moment


def clock_from_env(environ: Optional[Mapping[str, str]] = None) -> Clock:
    """``ADVIESLIJN_FIXED_NOW`` if set, else the system clock.

    Raises:
        ValueError: if the variable is set to something that is not an aware ISO 8601 time.
    """
    moment = FIXED_NOW.value(environ)
    return system_clock if moment is None else fixed_clock(moment)
