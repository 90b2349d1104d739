"""Settings from the environment, read the same way wherever they are used, and checked when a
process starts.

Every ADVIESLIJN_* setting a process reads is a `Setting` in store/known_settings.py: its name,
how a value is read (the readers below), its default and what it allows. `Setting.value()` reads
it; a value that is not understood is refused, never guessed, with one operator error: the
variable's name, what is wrong with the value, and what is allowed. Secrets (tokens, the session
secret, a store URL with its password) are never repeated in that error.

`refuse_bad_settings(process, settings)` is what each process calls first (the staff app, the action
server, the Rasa server through `python -m patches`, the staff and insight commands): every setting
the process reads is checked, and any bad one stops it with exit code 2 before it serves anyone.

The switch words are one list for every Python setting. web/scripts/build.mjs (the widget build,
which cannot import Python) repeats OFF_WORDS for ADVIESLIJN_STORE_FALLBACKS.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, List, Mapping, Optional, Sequence

OFF_WORDS = ("0", "off", "false", "no", "nee")
ON_WORDS = ("1", "on", "true", "yes", "ja")
SWITCH_WORDS = f"on ({', '.join(ON_WORDS)}) or off ({', '.join(OFF_WORDS)})"
BAD_SETTINGS_EXIT = 2


def is_off(value: str) -> bool:
    """True when `value` is one of the off words (case and surrounding spaces do not matter)."""
    return value.strip().lower() in OFF_WORDS


# Readers: each takes a value with its surrounding spaces removed (never empty) and returns what it
# means, or raises ValueError with the problem in a few words (the caller adds the name and what is
# allowed).

def read_switch(value: str) -> bool:
    word = value.lower()
    if word in ON_WORDS or word in OFF_WORDS:
        return word in ON_WORDS
    raise ValueError("not an on or off word")


def whole_number(minimum: int = 1, maximum: Optional[int] = None) -> Callable[[str], int]:
    def read(value: str) -> int:
        try:
            number = int(value)
        except ValueError:  # "dertig", "1.5"
            raise ValueError("not a whole number") from None
        if number < minimum:
            raise ValueError(f"less than {minimum}")
        if maximum is not None and number > maximum:
            raise ValueError(f"more than {maximum}")
        return number
    return read


def number_above_zero(maximum: float) -> Callable[[str], float]:
    def read(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ValueError("not a number") from None
        if not number > 0:  # also NaN
            raise ValueError("not above 0")
        if number > maximum:
            raise ValueError(f"more than {maximum:g}")
        return number
    return read


def number_or_off(minimum: float) -> Callable[[str], Optional[float]]:
    """A number of at least `minimum`, or None for an off word."""
    def read(value: str) -> Optional[float]:
        if is_off(value):
            return None
        try:
            number = float(value)
        except ValueError:
            raise ValueError("neither a number nor an off word") from None
        if not number >= minimum:
            raise ValueError(f"less than {minimum:g}")
        return number
    return read


def one_of(*choices: str) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError("not one of the choices")
        return value.lower()
    return read


def aware_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError("a time without a UTC offset")
    return moment


def existing_file(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise ValueError("no such file")
    return path


def secret_text(min_chars: int = 1) -> Callable[[str], str]:
    """A secret, taken as it is (`Setting.value` strips nothing of a secret: a stripped token would
    no longer match the one another process sends), so spaces around it or control characters in it
    are refused."""
    def read(value: str) -> str:
        if value != value.strip():
            raise ValueError("spaces or a line break at its start or end")
        if not value.isprintable():
            raise ValueError("contains control characters")
        if len(value) < min_chars:
            raise ValueError(f"only {len(value)} characters long")
        return value
    return read


def database_url(value: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        driver = make_url(value).drivername
    except ArgumentError:
        raise ValueError("not a database URL") from None
    if driver.split("+")[0] not in ("sqlite", "postgresql"):
        raise ValueError(f"the database {driver.split('+')[0]!r} is not supported")
    return value


@dataclass(frozen=True)
class Setting:
    """One environment setting: `read` turns a value into what it means (see the readers above)."""

    name: str
    read: Callable[[str], Any]
    default: Any
    allowed: str  # what it takes, for the operator error ("a whole number of days, at least 1")
    secret: bool = False  # never repeat the value in an error

    def value(self, environ: Optional[Mapping[str, str]] = None) -> Any:
        """The setting's value; `default` when unset or only spaces.

        Raises:
            ValueError: the operator error (`problem`) for a value it does not take.
        """
        text = (os.environ if environ is None else environ).get(self.name, "")
        if not text.strip():
            return self.default
        if not self.secret:
            text = text.strip()
        try:
            return _read_once(self, text)
        except ValueError as wrong:
            raise ValueError(self.problem(text, str(wrong))) from None

    def problem(self, text: str, wrong: str) -> str:
        shown = f"{self.name} (value not shown)" if self.secret else f"{self.name}={text!r}"
        return f"{shown}: {wrong}; allowed: {self.allowed}"


@lru_cache(maxsize=256)
def _read_once(setting: Setting, text: str) -> Any:
    """`setting.read(text)`, remembered per setting and value: some are read on every turn (the
    facts path by every action), and a reader may look at the disk (`existing_file`). A bad value
    raises every time (an exception is not remembered); a changed value is read anew."""
    return setting.read(text)


def bad_settings(settings: Sequence[Setting], environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """The operator error of every setting in `settings` that has a value it does not take."""
    problems = []
    for setting in settings:
        try:
            setting.value(environ)
        except ValueError as problem:
            problems.append(str(problem))
    return problems


def refuse_bad_settings(process: str, settings: Sequence[Setting],
                        environ: Optional[Mapping[str, str]] = None) -> None:
    """Called first when a process starts: exit (code 2) with every bad setting on stderr."""
    problems = bad_settings(settings, environ)
    if problems:
        count = f"{len(problems)} settings have values" if len(problems) > 1 else "a setting has a value"
        print(f"{process}: refusing to start: {count} it does not take", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(BAD_SETTINGS_EXIT)

