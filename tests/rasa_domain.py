"""The bot's domain as Rasa reads it: every file in domain/, merged by Rasa's own loader."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any, Dict

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"


@functools.lru_cache(maxsize=1)
def _domain_dict() -> Dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(DOMAIN_DIR)).as_dict()


def domain_dict() -> Dict[str, Any]:
    """A fresh copy of the merged domain, as the action server receives it from Rasa."""
    return copy.deepcopy(_domain_dict())
