"""Triage codes: 6 characters that are easy to say on the phone, shown as `K7F-3QX`.

The alphabet leaves out characters that look or sound alike: 0/O, 1/I, 5/S, 2/Z and B/8 keep
only one of each pair, so a volunteer who hears or reads a code cannot pick the wrong one.
28 characters, 6 positions: 28**6 (about 480 million) codes; a collision is caught by the unique
constraint and the code is drawn again (store.triage_records.save_triage).
"""

from __future__ import annotations

import re
import secrets
from typing import Optional

ALPHABET = "2346789ACDEFGHJKLMNPQRTUVWXY"
LENGTH = 6
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]+")


def new_code() -> str:
    """A random code, drawn with `secrets` (unpredictable), without separator."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """'K7F3QX' -> 'K7F-3QX'."""
    return f"{code[:3]}-{code[3:]}"


def normalize(typed: str) -> Optional[str]:
    """What a volunteer typed ('k7f 3qx', 'K7F-3QX') as a stored code, or None if it cannot be one."""
    code = _SEPARATORS.sub("", typed or "").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
