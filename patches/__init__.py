"""Small, documented fixes to Rasa 3.6.21 itself, applied by one entry point: `python -m patches`.

`python -m patches ARGS` is `rasa ARGS` with every patch installed first (see __main__.py); `make
run`, `make train`, `make validate`, the test harness, `rasa test` in our tests and the benchmarks
all start Rasa that way, so what we test is what we ship. Each patch names and links the Rasa code
it replaces, keeps its behaviour, and has tests in tests/unit/test_patches.py. Remove a patch when
the Rasa version it targets is left behind.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType
from typing import Any, Tuple

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


# Every patch module, by name: the one list (apply_all and all_applied both use it).
PATCH_MODULES = (
    "action_session",
    "action_validation",
    "domain_empty",
    "event_lookup",
    "graph_runner",
    "history_window",
    "server_hardening",
    "turn_cap",
    "turn_failure",
    "unused_responses",
)


def _patch_modules() -> Tuple[ModuleType, ...]:
    """Every patch module. Imported here, not at the top: each one imports parts of Rasa."""
    return tuple(importlib.import_module(f"patches.{name}") for name in PATCH_MODULES)


def apply_all() -> None:
    """Install every patch (idempotent)."""
    for patch in _patch_modules():
        patch.apply()


def all_applied() -> bool:
    """True when every patch is installed (false on another Rasa version, or without apply_all)."""
    return all(patch.is_applied() for patch in _patch_modules())
