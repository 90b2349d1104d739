"""Small, documented fixes to Rasa 3.6.21 itself, applied when the Rasa server loads our channels.

Each patch names the Rasa function it replaces, keeps its behaviour, and has tests in
tests/unit/test_patches.py. Remove a patch when the Rasa version it targets is left behind.
"""

from __future__ import annotations

import logging
from typing import Any

import rasa

logger = logging.getLogger(__name__)

# The Rasa version every patch here was written for and tested against.
TARGET_RASA_VERSION = "3.6.21"


def install(owner: Any, attribute: str, replacement: Any, patch: str) -> None:
    """Set `owner.attribute` to `replacement` (idempotent), but only on TARGET_RASA_VERSION:
    on another version the patch is left out with a warning naming it (`patch`)."""
    if rasa.__version__ != TARGET_RASA_VERSION:
        logger.warning(
            f"{patch} targets Rasa {TARGET_RASA_VERSION}, found {rasa.__version__}: not applied. "
            f"Check whether it is still needed."
        )
        return
    setattr(owner, attribute, replacement)
