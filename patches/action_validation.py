"""Validate action server responses with a compiled JSON-schema validator, once per process.

Rasa 3.6.21 checks every response of the action server with ``jsonschema.validate(result,
schema)`` (``RemoteAction._validate_action_result``). That call first validates the large events
schema itself against the JSON-schema meta-schema and builds a new validator, every time: about
20 ms of CPU per custom action call, 50-80% of a whole turn of this bot (measured by `make bench`).
The schema never changes, so we build the validator once and validate each response with it. The
same errors are raised with the same message; only the repeated schema check is skipped.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Dict, Text

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

logger = logging.getLogger(__name__)
RASA_VERSION = "3.6.21"
_original = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate would do on every call
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result` with a cached validator."""
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error


def apply() -> None:
    """Install the cached validator (idempotent); only on the Rasa version it was written for."""
    if rasa.__version__ != RASA_VERSION:
        logger.warning(
            f"patches.action_validation targets Rasa {RASA_VERSION}, found {rasa.__version__}: "
            f"not applied. Check whether it is still needed."
        )
        return
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]


def is_applied() -> bool:
    return RemoteAction._validate_action_result is validate_action_result
