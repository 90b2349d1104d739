"""Settings from the environment, read the same way wherever they are used: whole numbers
(`whole_number_setting`) and on/off switches (`switch_setting`, `is_off`). A value that is not
understood is refused with the variable's name and what it takes, never guessed.

The switch words are one list for every Python setting. web/scripts/build.mjs (the widget build,
which cannot import Python) repeats OFF_WORDS for ADVIESLIJN_STORE_FALLBACKS.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

OFF_WORDS = ("0", "off", "false", "no", "nee")
ON_WORDS = ("1", "on", "true", "yes", "ja")


def is_off(value: str) -> bool:
    """True when `value` is one of the off words (case and surrounding spaces do not matter)."""
    return value.strip().lower() in OFF_WORDS


def switch_setting(name: str, default: bool, environ: Optional[Mapping[str, str]] = None) -> bool:
    """An on/off setting: True for an on word, False for an off word, `default` when unset or empty.

    Raises:
        ValueError: naming the setting and the words it takes, for any other value ("maybe").
    """
    value = (os.environ if environ is None else environ).get(name, "")
    word = value.strip().lower()
    if not word:
        return default
    if word in OFF_WORDS or word in ON_WORDS:
        return word in ON_WORDS
    raise ValueError(f"{name}={value!r}: needs on ({', '.join(ON_WORDS)}) or off ({', '.join(OFF_WORDS)})")


def whole_number_setting(name: str, default: int) -> int:
    """A setting from the environment that must be a whole number of at least 1 (days, minutes)."""
    value = os.environ.get(name, "").strip()
    try:
        number = int(value) if value else default
    except ValueError:  # "dertig", "1.5": refused below with the setting's name
        number = 0
    if number < 1:
        raise ValueError(f"{name}={value!r}: needs a whole number, at least 1")
    return number
